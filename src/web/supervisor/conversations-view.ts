// Conversation search results and the transcript of the one picked.
import { h } from '../shared/dom.ts';
import { formatDateTime, humanize, LANGUAGE_NAMES } from '../shared/format.ts';
import { renderTurn } from '../shared/transcript.ts';
import type { Conversation, ConversationView } from './wire.ts';

const STATUS_TEXT: Record<Conversation['status'], [string, string]> = {
  active: ['With bot', 'chip'],
  awaiting_agent: ['Waiting for agent', 'chip chip-warn'],
  with_agent: ['With agent', 'chip chip-good'],
  closed: ['Closed', 'chip chip-muted'],
};
const CHANNEL = { chat: 'Chat', voice: 'Voice', rest: 'Web/app' } as const;

export function statusChip(status: Conversation['status']): HTMLElement {
  const [text, cls] = STATUS_TEXT[status];
  return h('span', { class: cls }, text);
}

export function starsText(score: number | null): string {
  return score === null ? '' : '★'.repeat(score) + '☆'.repeat(5 - score);
}

/** Ids are time-ordered UUIDs: the start is alike for a whole day, the end tells them apart. */
export function shortId(id: string): string {
  const cut = id.indexOf('_');
  return id.length > 16 ? `${cut > 0 ? id.slice(0, cut + 1) : ''}…${id.slice(-8)}` : id;
}

export function renderResults(items: readonly Conversation[], total: number, selected: string | null, open: (id: string) => void): HTMLElement {
  if (items.length === 0) return h('p', { class: 'empty', 'data-testid': 'search-empty' }, 'No conversations match.');
  return h(
    'div',
    null,
    h('p', { class: 'muted small result-count', 'data-testid': 'search-total' }, `${total} conversation${total === 1 ? '' : 's'}${total > items.length ? `, showing ${items.length}` : ''}`),
    h(
      'table',
      { class: 'data-table results', 'data-testid': 'search-results' },
      h('thead', null, h('tr', null, ...['Started', 'Conversation', 'Channel', 'Status', 'Handoff', 'Rating'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        null,
        ...items.map((c) =>
          h(
            'tr',
            { 'data-testid': 'search-row', 'data-conversation-id': c.id, 'aria-selected': c.id === selected ? 'true' : 'false', tabindex: 0, onclick: () => open(c.id), onkeydown: (e: Event) => (e as KeyboardEvent).key === 'Enter' && open(c.id) },
            h('td', { class: 'nowrap' }, formatDateTime(c.createdAt)),
            h('td', { class: 'id-cell' }, h('code', { title: c.id }, shortId(c.id)), c.customerId ? h('div', { class: 'muted small', title: c.customerId }, shortId(c.customerId)) : null),
            h('td', null, CHANNEL[c.channel], c.language ? h('span', { class: 'muted small' }, ` · ${LANGUAGE_NAMES[c.language] ?? c.language}`) : null),
            h('td', null, statusChip(c.status), c.outcome ? h('div', { class: 'muted small' }, humanize(c.outcome)) : null),
            h('td', null, c.handoff ? humanize(c.handoff.reason) : h('span', { class: 'muted' }, '—')),
            h('td', { class: 'stars-cell', 'data-testid': 'row-csat', 'aria-label': c.csat === null ? 'not rated' : `${c.csat} of 5` }, starsText(c.csat)),
          ),
        ),
      ),
    ),
  );
}

export function renderTranscriptView(view: ConversationView, close: () => void): HTMLElement {
  const c = view.conversation;
  const facts: [string, string | Node | null][] = [
    ['Status', statusChip(c.status)],
    ['Channel', CHANNEL[c.channel]],
    ['Language', c.language ? (LANGUAGE_NAMES[c.language] ?? c.language) : null],
    ['Customer', c.customerId],
    ['Flow variant', c.flowVariant || null],
    ['Handoff', c.handoff ? `${humanize(c.handoff.reason)} at ${formatDateTime(c.handoff.requestedAt)}` : null],
    ['Outcome', c.outcome ? humanize(c.outcome) : null],
    ['Rating', c.csat === null ? null : h('span', { class: 'stars', 'data-testid': 'detail-csat' }, starsText(c.csat), ` ${c.csat}/5`)],
    ['Started', formatDateTime(c.createdAt)],
  ];
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of facts) if (v) dl.append(h('dt', null, k), h('dd', null, v));
  return h(
    'article',
    { class: 'transcript-view', 'data-testid': 'transcript-view', 'data-conversation-id': c.id },
    h('header', null, h('h3', null, 'Conversation ', h('code', null, c.id)), h('button', { type: 'button', class: 'btn btn-quiet btn-small', onclick: close, 'aria-label': 'Close transcript' }, '✕')),
    dl,
    h('ol', { class: 'transcript', 'data-testid': 'detail-transcript' }, ...view.turns.map((t) => renderTurn(t, { customer: 'Customer', agent: 'Agent' }))),
  );
}
