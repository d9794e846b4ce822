// Small hand-written SVG charts for the staff pages: labelled bars, columns, a donut with a
// legend, a ring gauge, a stacked strip and a sparkline. Each SVG is role="img" with a
// <title> and a <desc> that says the numbers in words, so a screen reader gets the data too.
import { h, svg, uniqueId } from './dom.ts';

export const PALETTE = ['#0b4a6f', '#2a9d8f', '#e9a23b', '#c8102e', '#7b5ea7', '#5b8bb0', '#8a99a6', '#3d7a3d'] as const;
export const colorAt = (i: number): string => PALETTE[i % PALETTE.length]!;

/** An SVG that announces itself as one image described by its title and desc. A viewBox
 * scales the drawing (and its text) with the box; without one, sizes are CSS pixels. */
function frame(title: string, desc: string, cls: string, size: { viewBox: string } | { height: number }): SVGSVGElement {
  const tid = uniqueId('chart-title');
  const did = uniqueId('chart-desc');
  const box = 'viewBox' in size ? { viewBox: size.viewBox, preserveAspectRatio: 'xMinYMin meet' } : { width: '100%', height: size.height };
  return svg('svg', { class: `chart ${cls}`, ...box, role: 'img', 'aria-labelledby': `${tid} ${did}` }, svg('title', { id: tid }, title), svg('desc', { id: did }, desc));
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export interface BarDatum {
  label: string;
  value: number;
  /** What is written at the end of the bar (defaults to the value). */
  display?: string;
  color?: string;
}

/** Horizontal bars as wide as their box: label above each bar, the value at its end. Text stays
 * at its CSS size whatever the width, and long labels never collide with bars. */
export function barChart(opts: { title: string; data: readonly BarDatum[]; max?: number; emptyText?: string }): SVGSVGElement {
  const rowH = 44;
  const data = opts.data;
  const max = Math.max(opts.max ?? 0, ...data.map((d) => d.value), 1e-9);
  const desc = data.length === 0 ? (opts.emptyText ?? 'No data.') : data.map((d) => `${d.label}: ${d.display ?? d.value}`).join('; ') + '.';
  const root = frame(opts.title, desc, 'chart-bars', { height: Math.max(1, data.length) * rowH });
  if (data.length === 0) {
    root.append(svg('text', { x: 0, y: 24, class: 'chart-empty' }, opts.emptyText ?? 'No data yet'));
    return root;
  }
  // Bars use at most 82 % of the width, leaving room for the value written after them.
  const span = 0.82;
  data.forEach((d, i) => {
    const y = i * rowH;
    const share = Math.max(0, d.value / max) * span;
    root.append(
      svg(
        'g',
        { class: 'bar-row' },
        svg('text', { x: 0, y: y + 15, class: 'chart-label' }, d.label),
        svg('rect', { x: 0, y: y + 22, width: pct(span), height: 14, rx: 3, class: 'chart-track' }),
        d.value > 0 ? svg('rect', { x: 0, y: y + 22, width: pct(share), height: 14, rx: 3, fill: d.color ?? colorAt(0) }) : null,
        svg('text', { x: pct(share), dx: 8, y: y + 34, class: 'chart-value' }, d.display ?? String(d.value)),
      ),
    );
  });
  return root;
}

/** Vertical columns with their counts on top and a label underneath (e.g. CSAT 1–5). */
export function columnChart(opts: { title: string; data: readonly BarDatum[]; height?: number }): SVGSVGElement {
  const H = opts.height ?? 180;
  const data = opts.data;
  const max = Math.max(...data.map((d) => d.value), 1);
  const desc = data.map((d) => `${d.label}: ${d.display ?? d.value}`).join('; ') + '.';
  const root = frame(opts.title, desc, 'chart-columns', { height: H });
  const top = 24;
  const bottom = H - 28;
  const colW = 40;
  root.append(svg('line', { x1: 0, x2: '100%', y1: bottom + 0.5, y2: bottom + 0.5, class: 'chart-axis' }));
  data.forEach((d, i) => {
    const cx = (i + 0.5) / data.length;
    const hgt = (d.value / max) * (bottom - top);
    // A nested svg placed at the column's centre lets the column keep a fixed pixel width.
    root.append(
      svg(
        'svg',
        { x: pct(cx), y: 0, width: 1, height: H, overflow: 'visible', class: 'column' },
        svg('rect', { x: -colW / 2, y: (bottom - hgt).toFixed(1), width: colW, height: Math.max(d.value > 0 ? 2 : 0, hgt).toFixed(1), rx: 3, fill: d.color ?? colorAt(0) }),
        svg('text', { x: 0, y: (bottom - hgt - 7).toFixed(1), class: 'chart-value', 'text-anchor': 'middle' }, d.display ?? String(d.value)),
        svg('text', { x: 0, y: H - 8, class: 'chart-label', 'text-anchor': 'middle' }, d.label),
      ),
    );
  });
  return root;
}

export interface Segment {
  label: string;
  value: number;
  color: string;
}

function arcPath(cx: number, cy: number, r: number, from: number, to: number): string {
  const a0 = (from - 0.25) * 2 * Math.PI;
  const a1 = (to - 0.25) * 2 * Math.PI;
  const large = to - from > 0.5 ? 1 : 0;
  const p = (a: number) => `${(cx + r * Math.cos(a)).toFixed(2)} ${(cy + r * Math.sin(a)).toFixed(2)}`;
  return `M ${p(a0)} A ${r} ${r} 0 ${large} 1 ${p(a1)}`;
}

/** A donut of shares with a big number in the middle and an HTML legend beside it. */
export function donutChart(opts: { title: string; segments: readonly Segment[]; center: string; centerLabel: string; testid?: string }): HTMLElement {
  const total = opts.segments.reduce((s, x) => s + x.value, 0);
  const desc =
    total === 0
      ? 'No conversations in this period.'
      : opts.segments.map((s) => `${s.label}: ${s.value} (${Math.round((s.value / total) * 100)} %)`).join('; ') + '.';
  const size = 160;
  const r = 62;
  const root = frame(opts.title, desc, 'chart-donut', { viewBox: `0 0 ${size} ${size}` });
  root.append(svg('circle', { cx: size / 2, cy: size / 2, r, class: 'chart-track-ring', fill: 'none', 'stroke-width': 22 }));
  let at = 0;
  if (total > 0) {
    for (const s of opts.segments) {
      if (s.value <= 0) continue;
      const share = s.value / total;
      const el =
        share >= 0.9999
          ? svg('circle', { cx: size / 2, cy: size / 2, r, fill: 'none', stroke: s.color, 'stroke-width': 22 })
          : svg('path', { d: arcPath(size / 2, size / 2, r, at, at + share), fill: 'none', stroke: s.color, 'stroke-width': 22 });
      root.append(el);
      at += share;
    }
  }
  root.append(
    svg('text', { x: size / 2, y: size / 2 + 4, 'text-anchor': 'middle', class: 'donut-value' }, opts.center),
    svg('text', { x: size / 2, y: size / 2 + 24, 'text-anchor': 'middle', class: 'donut-label' }, opts.centerLabel),
  );
  const legend = h(
    'ul',
    { class: 'legend' },
    ...opts.segments.map((s) =>
      h('li', null, h('span', { class: 'swatch', style: `background:${s.color}`, 'aria-hidden': 'true' }), h('span', { class: 'legend-label' }, s.label), h('strong', null, String(s.value))),
    ),
  );
  return h('div', { class: 'donut-wrap', 'data-testid': opts.testid ?? null }, root, legend);
}

/** One share (0..1) as a ring, coloured against a target: green at or above, amber near, red below. */
export function ringGauge(opts: { title: string; share: number | null; target?: number; caption: string }): SVGSVGElement {
  const target = opts.target ?? 0.8;
  const share = opts.share;
  const text = share === null ? '—' : `${Math.round(share * 100)}%`;
  const desc = share === null ? `${opts.caption}: no handoffs yet today.` : `${opts.caption}: ${Math.round(share * 100)} percent (target ${Math.round(target * 100)} percent).`;
  const size = 84;
  const r = 34;
  const root = frame(opts.title, desc, 'chart-ring', { viewBox: `0 0 ${size} ${size}` });
  const tone = share === null ? 'none' : share >= target ? 'good' : share >= target - 0.15 ? 'fair' : 'poor';
  root.dataset.tone = tone;
  root.append(svg('circle', { cx: size / 2, cy: size / 2, r, fill: 'none', class: 'chart-track-ring', 'stroke-width': 9 }));
  if (share !== null && share > 0) {
    root.append(
      share >= 0.9999
        ? svg('circle', { cx: size / 2, cy: size / 2, r, fill: 'none', class: `ring-${tone}`, 'stroke-width': 9 })
        : svg('path', { d: arcPath(size / 2, size / 2, r, 0, share), fill: 'none', class: `ring-${tone}`, 'stroke-width': 9, 'stroke-linecap': 'round' }),
    );
  }
  root.append(svg('text', { x: size / 2, y: size / 2 + 6, 'text-anchor': 'middle', class: 'ring-value' }, text));
  return root;
}

/** One horizontal strip split into parts (e.g. agents by state), legend below in HTML. */
export function stackedStrip(opts: { title: string; segments: readonly Segment[]; testid?: string }): HTMLElement {
  const total = opts.segments.reduce((s, x) => s + x.value, 0);
  const desc = total === 0 ? 'Nobody is signed in.' : opts.segments.map((s) => `${s.label}: ${s.value}`).join('; ') + '.';
  const root = frame(opts.title, desc, 'chart-strip', { height: 18 });
  const clipId = uniqueId('strip-clip');
  // Round only the outer ends: every part is clipped to one rounded track.
  root.append(svg('clipPath', { id: clipId }, svg('rect', { x: 0, y: 0, width: '100%', height: 18, rx: 9 })));
  const parts = svg('g', { 'clip-path': `url(#${clipId})` }, svg('rect', { x: 0, y: 0, width: '100%', height: 18, class: 'chart-track' }));
  let x = 0;
  for (const s of opts.segments) {
    if (s.value <= 0 || total === 0) continue;
    const w = s.value / total;
    parts.append(svg('rect', { x: pct(x), y: 0, width: pct(w), height: 18, fill: s.color }));
    x += w;
  }
  root.append(parts);
  const legend = h(
    'ul',
    { class: 'legend legend-inline' },
    ...opts.segments.map((s) => h('li', null, h('span', { class: 'swatch', style: `background:${s.color}`, 'aria-hidden': 'true' }), h('span', { class: 'legend-label' }, s.label), h('strong', null, String(s.value)))),
  );
  return h('div', { class: 'strip-wrap', 'data-testid': opts.testid ?? null }, root, legend);
}

/** A small trend line of recent values, last point marked. */
export function sparkline(opts: { title: string; values: readonly number[]; height?: number; unit?: string }): SVGSVGElement {
  const W = 100;
  const H = opts.height ?? 28;
  const v = opts.values.length > 0 ? opts.values : [0];
  const max = Math.max(...v, 1);
  const last = v[v.length - 1]!;
  const desc = `${v.length} samples, from ${v[0]} to ${last}${opts.unit ? ` ${opts.unit}` : ''}, highest ${Math.max(...v)}.`;
  // Stretched to its box (no aspect ratio), with strokes that do not stretch along.
  const root = frame(opts.title, desc, 'chart-spark', { viewBox: `0 0 ${W} ${H}` });
  root.setAttribute('preserveAspectRatio', 'none');
  const step = v.length > 1 ? W / (v.length - 1) : 0;
  const pts = v.map((x, i) => [v.length > 1 ? i * step : W, H - 2 - (x / max) * (H - 4)] as const);
  const line = pts.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join(' ');
  root.append(
    svg('polygon', { points: `${pts[0]![0].toFixed(2)},${H} ${line} ${pts[pts.length - 1]![0].toFixed(2)},${H}`, class: 'spark-area' }),
    svg('polyline', { points: line, fill: 'none', class: 'spark-line', 'vector-effect': 'non-scaling-stroke' }),
  );
  return root;
}
