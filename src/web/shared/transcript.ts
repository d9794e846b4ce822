// A conversation's turns as the staff pages show them: who spoke, when, the text (Chinese
// gets lang="zh-Hans" so the CJK font is picked), and the bot's intent and sources.
import { h } from './dom.ts';
import { icon } from './icons.ts';
import { formatTime, humanize } from './format.ts';

export interface TranscriptTurn {
  seq: number;
  speaker: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  language: 'zh' | 'en' | null;
  intent: string | null;
  confidence: number | null;
  citations: readonly { articleId: string; title: string }[];
  /** Agent turns: who wrote it (two agents share a transcript after a transfer). */
  author?: string;
  createdAt: string;
}

export interface TranscriptLabels {
  customer: string;
  agent: string;
  /** The viewing agent's name: their own turns keep the plain `agent` label ("You"), other agents' show their name. */
  self?: string;
}

function agentLabel(t: TranscriptTurn, labels: TranscriptLabels): string {
  if (!t.author) return labels.agent;
  if (labels.self === undefined) return `${labels.agent} · ${t.author}`;
  return t.author === labels.self ? labels.agent : `Agent · ${t.author}`;
}

const CJK = /[\u3400-\u9fff]/;

export function langAttr(text: string, language: 'zh' | 'en' | null): string {
  return language === 'zh' || (language === null && CJK.test(text)) ? 'zh-Hans' : 'en';
}

export function renderTurn(t: TranscriptTurn, labels: TranscriptLabels, opts: { pending?: boolean } = {}): HTMLLIElement {
  const who = t.speaker === 'customer' ? labels.customer : t.speaker === 'agent' ? agentLabel(t, labels) : t.speaker === 'bot' ? 'Bot' : 'System';
  const tags: HTMLElement[] = [];
  if (t.speaker === 'customer' && t.intent) {
    tags.push(h('span', { class: 'chip chip-muted', title: 'Detected intent' }, humanize(t.intent), t.confidence !== null ? ` · ${Math.round(t.confidence * 100)}%` : ''));
  }
  for (const c of t.citations) tags.push(h('span', { class: 'chip', title: `Knowledge article ${c.articleId}` }, icon('doc'), ` ${c.title}`));
  return h(
    'li',
    { class: `turn turn-${t.speaker}`, 'data-testid': 'turn', 'data-speaker': t.speaker, 'data-seq': t.seq, 'data-pending': opts.pending ? 'true' : null },
    h('div', { class: 'turn-meta' }, h('span', { class: 'who' }, who), t.createdAt ? h('time', { datetime: t.createdAt }, formatTime(t.createdAt)) : null, opts.pending ? 'sending…' : null),
    h('p', { class: 'bubble', lang: langAttr(t.text, t.language) }, t.text),
    tags.length > 0 ? h('div', { class: 'turn-tags' }, ...tags) : null,
  );
}
