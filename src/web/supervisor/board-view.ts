// The live queue board: one card per queue (waiting now, longest wait, a short trend, the
// day's service level as a ring) and the agents by state with their load.
import { ringGauge, sparkline, stackedStrip } from '../shared/charts.ts';
import { h } from '../shared/dom.ts';
import { icon } from '../shared/icons.ts';
import { formatClock, formatDuration, formatShare, secondsSince } from '../shared/format.ts';
import type { Board, BoardAgent, BoardQueue } from './wire.ts';

export const PRESENCE_COLORS = { available: '#34a853', busy: '#e9a23b', away: '#c8102e', offline: '#b5c0c8' } as const;
const PRESENCE_LABEL = { available: 'Available', busy: 'Busy', away: 'Away', offline: 'Offline' } as const;

/** Waiting counts per queue over the last few minutes of polling, for the sparklines. */
export class WaitingHistory {
  private readonly samples = new Map<string, number[]>();
  constructor(private readonly keep = 60) {}

  add(board: Board): void {
    for (const q of board.queues) {
      const list = this.samples.get(q.id) ?? [];
      list.push(q.waiting);
      if (list.length > this.keep) list.shift();
      this.samples.set(q.id, list);
    }
  }

  of(queueId: string): number[] {
    return this.samples.get(queueId) ?? [];
  }
}

function waitTone(q: BoardQueue): 'good' | 'fair' | 'poor' {
  if (q.waiting === 0 || q.serviceLevelSeconds <= 0) return 'good';
  if (q.longestWaitSeconds > q.serviceLevelSeconds) return 'poor';
  return q.longestWaitSeconds > q.serviceLevelSeconds * 0.66 ? 'fair' : 'good';
}

function queueCard(q: BoardQueue, history: number[]): HTMLElement {
  return h(
    'article',
    { class: 'queue-card', 'data-testid': 'queue-card', 'data-queue-id': q.id, 'data-tone': waitTone(q) },
    h('header', null, h('h3', null, q.name), h('span', { class: 'muted small' }, `SL target ${formatDuration(q.serviceLevelSeconds)}`)),
    h(
      'div',
      { class: 'queue-figures' },
      h('div', { class: 'big-figure' }, h('strong', { 'data-testid': 'queue-waiting' }, String(q.waiting)), h('span', null, 'waiting')),
      h('div', { class: 'big-figure', 'data-tone': waitTone(q) }, h('strong', { 'data-testid': 'queue-longest' }, q.waiting > 0 ? formatClock(q.longestWaitSeconds) : '—'), h('span', null, 'longest wait')),
      h('div', { class: 'big-figure' }, h('strong', null, String(q.offered)), h('span', null, 'being offered')),
      h('figure', { class: 'sl-figure' }, ringGauge({ title: `Service level, ${q.name}`, share: q.serviceLevel, caption: `Answered within ${formatDuration(q.serviceLevelSeconds)} today` }), h('figcaption', null, 'service level')),
    ),
    h('div', { class: 'queue-trend' }, sparkline({ title: `Waiting in ${q.name}, last minutes`, values: history, height: 30, unit: 'waiting' }), h('span', { class: 'muted small' }, 'waiting, last 3 min')),
  );
}

export function renderQueues(board: Board, history: WaitingHistory): HTMLElement {
  if (board.queues.length === 0) return h('p', { class: 'empty' }, 'No queues are configured.');
  return h('div', { class: 'queue-grid' }, ...board.queues.map((q) => queueCard(q, history.of(q.id))));
}

function load(a: BoardAgent): HTMLElement {
  const cap = Math.max(1, a.chatCapacity);
  const cells: HTMLElement[] = [];
  for (let i = 0; i < a.chatCapacity; i++) cells.push(h('span', { class: 'slot', 'data-used': i < a.activeChats ? 'true' : null }));
  return h(
    'span',
    { class: 'load', title: `${a.activeChats} of ${a.chatCapacity} chats, ${a.activeVoice} of ${a.voiceCapacity} calls`, 'aria-label': `${a.activeChats} of ${cap} chats` },
    ...cells,
    a.voiceCapacity > 0 ? h('span', { class: 'voice-slot', 'data-used': a.activeVoice > 0 ? 'true' : null, 'aria-hidden': 'true' }, icon('phone')) : null,
  );
}

export function renderAgents(board: Board, now = Date.now()): HTMLElement {
  const counts = { available: 0, busy: 0, away: 0, offline: 0 };
  for (const a of board.agents) counts[a.presence] += 1;
  const order = { available: 0, busy: 1, away: 2, offline: 3 };
  const agents = [...board.agents].sort((a, b) => order[a.presence] - order[b.presence] || a.name.localeCompare(b.name));
  return h(
    'div',
    null,
    stackedStrip({
      title: 'Agents by state',
      testid: 'agents-by-state',
      segments: (['available', 'busy', 'away', 'offline'] as const).map((p) => ({ label: PRESENCE_LABEL[p], value: counts[p], color: PRESENCE_COLORS[p] })),
    }),
    agents.length === 0
      ? h('p', { class: 'empty' }, 'No agent accounts yet.')
      : h(
          'table',
          { class: 'agent-table', 'data-testid': 'agent-table' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Agent'), h('th', { scope: 'col' }, 'State'), h('th', { scope: 'col' }, 'Load'), h('th', { scope: 'col' }, 'Idle for'))),
          h(
            'tbody',
            null,
            ...agents.map((a) =>
              h(
                'tr',
                { 'data-testid': 'agent-row', 'data-presence': a.presence },
                h('td', null, a.name),
                h('td', null, h('span', { class: 'presence-cell' }, h('span', { class: 'presence-dot', 'data-presence': a.presence }), PRESENCE_LABEL[a.presence])),
                h('td', null, load(a)),
                h('td', { class: 'num' }, a.presence === 'available' && a.idleSince && a.activeChats + a.activeVoice === 0 ? formatDuration(secondsSince(a.idleSince, now)) : '—'),
              ),
            ),
          ),
        ),
  );
}

/** One line for the page header: totals across queues. */
export function boardSummary(board: Board): string {
  const waiting = board.queues.reduce((n, q) => n + q.waiting, 0);
  const longest = Math.max(0, ...board.queues.map((q) => q.longestWaitSeconds));
  const available = board.agents.filter((a) => a.presence === 'available').length;
  const sl = board.queues.filter((q) => q.serviceLevel !== null);
  const avgSl = sl.length ? sl.reduce((s, q) => s + (q.serviceLevel ?? 0), 0) / sl.length : null;
  return `${waiting} waiting · longest ${waiting > 0 ? formatClock(longest) : '—'} · ${available} available · service level ${formatShare(avgSl)}`;
}
