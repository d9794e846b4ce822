// Outcomes over a period as charts: how much the bot resolved, why people were handed over,
// how satisfied they were, and how the A/B flow variants compare.
import { barChart, colorAt, columnChart, donutChart } from '../shared/charts.ts';
import { h } from '../shared/dom.ts';
import { formatShare, humanize } from '../shared/format.ts';
import type { Stats, VariantStats } from './wire.ts';

function panel(title: string, testid: string, ...body: (Node | null)[]): HTMLElement {
  return h('section', { class: 'panel stat-panel', 'data-testid': testid }, h('div', { class: 'panel-head' }, h('h2', null, title)), h('div', { class: 'panel-body' }, ...body));
}

function kpi(label: string, value: string, testid: string, hint?: string): HTMLElement {
  return h('div', { class: 'kpi', 'data-testid': testid }, h('span', { class: 'kpi-label' }, label), h('strong', { class: 'kpi-value' }, value), hint ? h('span', { class: 'kpi-hint' }, hint) : null);
}

const stars = (avg: number | null) => (avg === null ? '—' : avg.toFixed(1));

export function renderKpis(s: Stats): HTMLElement {
  return h(
    'div',
    { class: 'kpi-row' },
    kpi('Conversations', String(s.conversations), 'kpi-conversations'),
    kpi('Bot resolution', formatShare(s.botResolutionRate), 'kpi-bot-rate', `${s.botResolved} resolved by the bot`),
    kpi('Handed to agents', String(s.handedOff), 'kpi-handoffs', s.conversations > 0 ? `${formatShare(s.handedOff / s.conversations)} of conversations` : undefined),
    kpi('Satisfaction', s.csat.average === null ? '—' : `${stars(s.csat.average)} / 5`, 'kpi-csat', `${s.csat.count} rating${s.csat.count === 1 ? '' : 's'}`),
  );
}

export function renderResolution(s: Stats): HTMLElement {
  const other = Math.max(0, s.conversations - s.botResolved - s.handedOff - s.abandoned);
  return panel(
    'Bot resolution rate',
    'chart-resolution',
    donutChart({
      title: 'How conversations ended',
      center: formatShare(s.botResolutionRate),
      centerLabel: 'resolved by bot',
      testid: 'resolution-donut',
      segments: [
        { label: 'Resolved by the bot', value: s.botResolved, color: '#2a9d8f' },
        { label: 'Handed to an agent', value: s.handedOff, color: '#0b4a6f' },
        { label: 'Abandoned', value: s.abandoned, color: '#c8102e' },
        { label: 'Still open / other', value: other, color: '#b5c0c8' },
      ],
    }),
  );
}

export function renderHandoffReasons(s: Stats): HTMLElement {
  const reasons = [...s.handoffReasons].sort((a, b) => b.count - a.count);
  const total = reasons.reduce((n, r) => n + r.count, 0);
  return panel(
    'Why customers reached an agent',
    'chart-handoff-reasons',
    barChart({
      title: 'Handoff reasons',
      emptyText: 'No handoffs in this period.',
      data: reasons.map((r, i) => ({ label: humanize(r.reason), value: r.count, display: `${r.count} (${Math.round((r.count / Math.max(1, total)) * 100)}%)`, color: colorAt(i) })),
    }),
  );
}

const STAR_COLORS = ['#c8102e', '#e07a3f', '#e9a23b', '#8dbf5a', '#2f8a4c'];

export function renderCsat(s: Stats): HTMLElement {
  const dist = [0, 1, 2, 3, 4].map((i) => s.csat.distribution[i] ?? 0);
  return panel(
    'Customer satisfaction',
    'chart-csat',
    h(
      'div',
      { class: 'csat-wrap' },
      h(
        'div',
        { class: 'csat-score' },
        h('strong', { 'data-testid': 'csat-average' }, stars(s.csat.average)),
        h('span', { class: 'stars', 'aria-hidden': 'true' }, s.csat.average === null ? '☆☆☆☆☆' : '★'.repeat(Math.round(s.csat.average)) + '☆'.repeat(5 - Math.round(s.csat.average))),
        h('span', { class: 'muted small', 'data-testid': 'csat-count' }, `${s.csat.count} rating${s.csat.count === 1 ? '' : 's'}`),
      ),
      columnChart({
        title: 'Ratings from 1 to 5 stars',
        data: dist.map((n, i) => ({ label: `${i + 1}★`, value: n, color: STAR_COLORS[i] })),
      }),
    ),
  );
}

const rate = (n: number, of: number) => (of > 0 ? n / of : null);

export function renderVariants(s: Stats): HTMLElement {
  const variants = s.variants;
  if (variants.length === 0) return panel('A/B flow variants', 'chart-variants', h('p', { class: 'empty' }, 'No experiment data in this period.'));
  const label = (v: VariantStats) => (v.experiment ? `${v.experiment} · ${v.variant}` : v.variant);
  const color = (i: number) => colorAt(i + 1);
  const metric = (title: string, value: (v: VariantStats) => number | null, display: (x: number | null) => string, max: number) =>
    h(
      'figure',
      { class: 'metric' },
      h('figcaption', null, title),
      barChart({ title: `${title} by flow variant`, max, data: variants.map((v, i) => ({ label: label(v), value: value(v) ?? 0, display: display(value(v)), color: color(i) })) }),
    );
  return panel(
    'A/B flow variants',
    'chart-variants',
    h(
      'div',
      { class: 'variant-metrics' },
      metric('Resolved by the bot', (v) => rate(v.resolved, v.conversations), (x) => formatShare(x), 1),
      metric('Handed to an agent', (v) => rate(v.handoff, v.conversations), (x) => formatShare(x), 1),
      metric('Satisfaction (of 5)', (v) => v.csatAverage, (x) => (x === null ? '—' : x.toFixed(1)), 5),
    ),
    h(
      'table',
      { class: 'data-table', 'data-testid': 'variant-table' },
      h('caption', { class: 'sr-only' }, 'Flow variants in numbers'),
      h('thead', null, h('tr', null, ...['Variant', 'Conversations', 'Resolved', 'Handed off', 'Abandoned', 'Ratings', 'Avg. rating'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        null,
        ...variants.map((v, i) =>
          h(
            'tr',
            null,
            h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${color(i)}` }), ' ', label(v)),
            h('td', { class: 'num' }, String(v.conversations)),
            h('td', { class: 'num' }, String(v.resolved)),
            h('td', { class: 'num' }, String(v.handoff)),
            h('td', { class: 'num' }, String(v.abandoned)),
            h('td', { class: 'num' }, String(v.csatCount)),
            h('td', { class: 'num' }, stars(v.csatAverage)),
          ),
        ),
      ),
    ),
  );
}
