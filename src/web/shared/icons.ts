// A few line icons drawn inline (no icon font, no emoji font needed on the appliance).
import { svg } from './dom.ts';

const PATHS = {
  chat: 'M2.5 3.5h11v7.5h-7l-3 2.5v-2.5h-1z',
  phone: 'M4.2 1.8l2 2.6-1.3 1.5a8 8 0 0 0 4.2 4.2l1.5-1.3 2.6 2-1 2.2C7.6 13 3 8.4 2 3.2z',
  doc: 'M4 1.5h5.5l3 3v10h-8.5zM9.5 1.5v3h3M6 8h4.5M6 10.5h4.5',
  web: 'M2 3.5h12v9H2zM2 6h12',
} as const;

export type IconName = keyof typeof PATHS;

export function icon(name: IconName, label?: string): SVGSVGElement {
  return svg(
    'svg',
    { class: `icon icon-${name}`, viewBox: '0 0 16 16', width: 14, height: 14, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.4, 'stroke-linejoin': 'round', 'stroke-linecap': 'round', 'aria-hidden': label ? null : 'true', role: label ? 'img' : null, 'aria-label': label ?? null },
    svg('path', { d: PATHS[name] }),
  );
}
