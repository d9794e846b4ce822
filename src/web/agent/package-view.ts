// The handoff package drawn for the agent: the offer card (what, who, why, how long) and the
// context column beside a conversation (customer, summary, intents, entities and slots, the
// articles the bot used, and knowledge suggestions for the customer's last message).
import { h } from '../shared/dom.ts';
import { icon } from '../shared/icons.ts';
import { formatClock, formatDuration, humanize, LANGUAGE_NAMES, secondsSince } from '../shared/format.ts';
import { langAttr } from '../shared/transcript.ts';
import { customerLabel, type Offer, type WorkItem } from './desk-state.ts';
import type { HandoffPackage, KbSuggestion } from './wire.ts';

const CHANNEL_NAMES: Record<HandoffPackage['channel'], string> = { chat: 'Chat', voice: 'Voice call', rest: 'Web / app' };

export function channelName(channel: HandoffPackage['channel']): string {
  return CHANNEL_NAMES[channel];
}

/** A live "waited" figure; the page's one-second ticker keeps every [data-since] current. */
export function waitedSpan(since: string): HTMLElement {
  return h('span', { 'data-since': since, 'data-testid': 'waited' }, formatDuration(secondsSince(since)));
}

export function tickClocks(root: ParentNode, now = Date.now()): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-since]')) el.textContent = formatDuration(secondsSince(el.dataset.since ?? '', now));
  for (const el of root.querySelectorAll<HTMLElement>('[data-expires]')) {
    const left = Math.max(0, (Number(el.dataset.expires) - now) / 1000);
    const total = Number(el.dataset.total) || 1;
    if (el instanceof HTMLProgressElement) el.value = left;
    else el.textContent = formatClock(Math.ceil(left));
    el.closest('.offer')?.toggleAttribute('data-urgent', left <= Math.min(10, total / 3));
  }
}

function chips(pkg: HandoffPackage): HTMLElement {
  // assignedAt is the server's accept time (same clock as waitingSince; it survives a reload)
  const answeredAt = pkg.assignedAt;
  const waited = answeredAt ? h('span', null, formatDuration((Date.parse(answeredAt) - Date.parse(pkg.waitingSince)) / 1000)) : waitedSpan(pkg.waitingSince);
  return h(
    'div',
    { class: 'pkg-chips' },
    h('span', { class: 'chip', 'data-testid': 'pkg-channel' }, icon(pkg.channel === 'voice' ? 'phone' : pkg.channel === 'chat' ? 'chat' : 'web'), channelName(pkg.channel)),
    pkg.language ? h('span', { class: 'chip', 'data-testid': 'pkg-language' }, LANGUAGE_NAMES[pkg.language] ?? pkg.language) : null,
    h('span', { class: 'chip chip-warn', 'data-testid': 'pkg-reason', title: 'Why the bot handed over' }, humanize(pkg.reason)),
    h('span', { class: 'chip chip-muted', 'data-testid': 'pkg-waited', title: answeredAt ? 'How long the customer waited for you' : 'Waiting for an agent' }, answeredAt ? 'Waited ' : 'Waiting ', waited),
  );
}

export function renderOfferCard(offer: Offer, queueName: string, handlers: { accept(): void; decline(): void }): HTMLElement {
  const pkg = offer.pkg;
  const total = Math.max(1, (offer.expiresAt - Date.now()) / 1000);
  const lastCustomer = [...pkg.transcript].reverse().find((t) => t.speaker === 'customer');
  const headingId = `offer-h-${pkg.conversationId}`;
  return h(
    'article',
    { class: 'offer', role: 'alertdialog', 'aria-labelledby': headingId, 'data-testid': 'offer', 'data-conversation-id': pkg.conversationId },
    h(
      'header',
      { class: 'offer-head' },
      h('span', { class: 'offer-kind' }, pkg.channel === 'voice' ? 'Incoming call' : 'Incoming chat', ' · ', queueName),
      h('span', { class: 'offer-timer', title: 'Time left to accept' }, h('span', { 'data-expires': offer.expiresAt, 'data-total': total, 'data-testid': 'offer-countdown' }, formatClock(total))),
    ),
    h('h2', { id: headingId }, customerLabel(pkg)),
    chips(pkg),
    pkg.summary ? h('p', { class: 'offer-summary', lang: langAttr(pkg.summary, pkg.language), 'data-testid': 'offer-summary' }, pkg.summary) : null,
    lastCustomer ? h('blockquote', { class: 'offer-quote', lang: langAttr(lastCustomer.text, lastCustomer.language) }, lastCustomer.text) : null,
    pkg.call ? h('p', { class: 'offer-call' }, icon('phone'), ' ', pkg.call.callerNumber ?? 'Unknown number', h('span', { class: 'muted' }, ` · call ${pkg.call.callId.slice(0, 8)}`)) : null,
    h('progress', { class: 'offer-progress', max: total.toFixed(1), value: total.toFixed(1), 'data-expires': offer.expiresAt, 'data-total': total, 'aria-label': 'Time left to accept' }),
    h(
      'div',
      { class: 'offer-actions' },
      h('button', { type: 'button', class: 'btn', 'data-testid': 'offer-decline', onclick: handlers.decline }, 'Decline'),
      h('button', { type: 'button', class: 'btn btn-good', 'data-testid': 'offer-accept', onclick: handlers.accept }, 'Accept'),
    ),
  );
}

export function renderConversationHeader(item: WorkItem, queueName: string): HTMLElement {
  const pkg = item.pkg;
  return h(
    'div',
    { class: 'conv-title', 'data-testid': 'conversation-header' },
    h('h1', { 'data-testid': 'conversation-customer' }, customerLabel(pkg)),
    h('div', { class: 'conv-sub' }, chips(pkg), h('span', { class: 'muted' }, `Queue: ${queueName}`)),
  );
}

function section(title: string, testid: string, ...body: (Node | null)[]): HTMLElement {
  return h('section', { class: 'ctx-section', 'data-testid': testid }, h('h2', null, title), ...body);
}

function dl(rows: [string, string | null | undefined][]): HTMLElement {
  const list = h('dl', { class: 'kv' });
  for (const [k, v] of rows) {
    if (!v) continue;
    list.append(h('dt', null, k), h('dd', { lang: langAttr(v, null) }, v));
  }
  return list;
}

function suggestionCard(s: KbSuggestion, insert: (text: string) => void): HTMLElement {
  const body = s.body || s.snippet;
  return h(
    'li',
    { class: 'kb-card', 'data-testid': 'kb-suggestion', 'data-article-id': s.articleId },
    h('h3', { lang: langAttr(s.title, null) }, s.title),
    s.snippet ? h('p', { class: 'kb-snippet', lang: langAttr(s.snippet, null) }, s.snippet) : null,
    body.length > s.snippet.length ? h('details', null, h('summary', null, 'Full article'), h('p', { class: 'kb-body', lang: langAttr(body, null) }, body)) : null,
    h('button', { type: 'button', class: 'btn btn-small btn-primary', 'data-testid': 'kb-insert', onclick: () => insert(body) }, 'Insert into reply'),
  );
}

export function renderSuggestions(item: WorkItem, insert: (text: string) => void): HTMLElement {
  const s = item.suggestions;
  const forTurn = s ? item.turns.get(s.forSeq) : undefined;
  return section(
    'Suggested answers',
    'kb-suggestions',
    !s
      ? h('p', { class: 'muted small' }, 'Articles matching the customer’s latest message appear here.')
      : s.items.length === 0
        ? h('p', { class: 'muted small' }, 'No matching articles for the latest message.')
        : h('div', null, forTurn ? h('p', { class: 'muted small', lang: langAttr(forTurn.text, forTurn.language) }, 'For “', forTurn.text, '”') : null, h('ul', { class: 'kb-list' }, ...s.items.map((x) => suggestionCard(x, insert)))),
  );
}

export function renderContext(item: WorkItem): HTMLElement[] {
  const pkg = item.pkg;
  const c = pkg.customer;
  const out: HTMLElement[] = [];
  out.push(
    section(
      'Handoff',
      'pkg-handoff',
      pkg.summary ? h('p', { class: 'summary', lang: langAttr(pkg.summary, pkg.language), 'data-testid': 'pkg-summary' }, pkg.summary) : null,
      dl([
        ['Reason', humanize(pkg.reason)],
        ['Channel', channelName(pkg.channel)],
        ['Language', pkg.language ? (LANGUAGE_NAMES[pkg.language] ?? pkg.language) : 'Unknown'],
        ['Waiting since', new Date(pkg.waitingSince).toLocaleTimeString()],
        ['Flow variant', pkg.flowVariant || null],
        ['Conversation', pkg.conversationId],
      ]),
    ),
  );
  if (pkg.call || item.call) {
    const call = item.call;
    out.push(
      section(
        'Voice call',
        'pkg-call',
        dl([
          ['Caller', call?.callerNumber ?? pkg.call?.callerNumber ?? 'Unknown'],
          ['Call id', call?.callId ?? pkg.call?.callId],
          ['Extension', call?.extension || null],
        ]),
      ),
    );
  }
  out.push(
    section(
      'Customer',
      'pkg-customer',
      c ? dl([['Name', c.name], ['Customer id', c.id], ['Phone', c.phone], ['Email', c.email], ['Prefers', c.language ? (LANGUAGE_NAMES[c.language] ?? c.language) : null]]) : h('p', { class: 'muted small' }, 'Not identified — the customer has not been matched to a record.'),
    ),
  );
  const slots = Object.entries(pkg.slots);
  out.push(
    section(
      'Entities and slots',
      'pkg-entities',
      slots.length > 0 ? dl(slots.map(([k, v]) => [humanize(k), v])) : null,
      pkg.entities.length > 0
        ? h('ul', { class: 'entity-list' }, ...pkg.entities.map((e) => h('li', { class: 'entity', 'data-testid': 'pkg-entity' }, h('span', { class: 'entity-type' }, humanize(e.type)), h('span', { lang: langAttr(e.value, null) }, e.value))))
        : null,
      slots.length === 0 && pkg.entities.length === 0 ? h('p', { class: 'muted small' }, 'Nothing recognised yet.') : null,
    ),
  );
  const intents = pkg.intents.filter((i) => i.intent);
  out.push(
    section(
      'Intent history',
      'pkg-intents',
      intents.length === 0
        ? h('p', { class: 'muted small' }, 'No intents detected.')
        : h(
            'ol',
            { class: 'intent-list' },
            ...intents.map((i) => {
              const pct = i.confidence === null ? null : Math.round(i.confidence * 100);
              return h(
                'li',
                { class: 'intent', 'data-testid': 'pkg-intent' },
                h('span', { class: 'intent-name' }, humanize(i.intent ?? '')),
                h('span', { class: 'meter', role: 'meter', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct ?? 0, 'aria-label': `confidence of ${humanize(i.intent ?? '')}` }, h('span', { style: `width:${pct ?? 0}%`, 'data-tone': pct === null ? 'none' : pct >= 70 ? 'good' : pct >= 45 ? 'fair' : 'poor' })),
                h('span', { class: 'intent-pct' }, pct === null ? '—' : `${pct}%`),
              );
            }),
          ),
    ),
  );
  out.push(
    section(
      'Articles the bot used',
      'pkg-articles',
      pkg.articlesUsed.length === 0 ? h('p', { class: 'muted small' }, 'None.') : h('ul', { class: 'plain-list' }, ...pkg.articlesUsed.map((a) => h('li', { lang: langAttr(a.title, null) }, icon('doc'), ' ', a.title))),
    ),
  );
  return out;
}
