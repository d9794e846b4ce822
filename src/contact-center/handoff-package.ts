// Builds what an agent sees the moment work is offered: transcript, intents, entities, slots,
// the bot's summary and articles, the customer record and the call — nothing to ask again.
import type { ConversationView, CallInfo } from '../conversation/index.ts';
import type { Customer } from '../customers/index.ts';
import type { HandoffPackage } from './protocol.ts';

interface SummaryShape {
  text?: unknown;
  activeFlow?: { slots?: Record<string, string> } | null;
  suspendedFlows?: { slots?: Record<string, string> }[];
  memory?: Record<string, string>;
  articlesUsed?: string[];
}

export function buildHandoffPackage(input: {
  view: ConversationView;
  queueId: string;
  waitingSince: string;
  assignedAt: string | null;
  customer: Customer | null;
  call: CallInfo | null;
  articleTitle: (id: string) => string | null;
}): HandoffPackage {
  const { conversation, turns } = input.view;
  const summary = (conversation.handoff?.context ?? {}) as SummaryShape;
  const customerTurns = turns.filter((t) => t.speaker === 'customer');
  const entities = new Map<string, { type: string; value: string }>();
  for (const t of customerTurns) for (const e of t.entities) entities.set(`${e.type}:${e.value}`, { type: e.type, value: e.value });
  const slots: Record<string, string> = { ...(summary.memory ?? {}) };
  for (const f of summary.suspendedFlows ?? []) Object.assign(slots, f.slots ?? {});
  Object.assign(slots, summary.activeFlow?.slots ?? {});
  const cited = new Set<string>([...(summary.articlesUsed ?? []), ...turns.flatMap((t) => t.citations.map((c) => c.articleId))]);
  return {
    conversationId: conversation.id,
    channel: conversation.channel,
    queueId: input.queueId,
    reason: conversation.handoff?.reason ?? 'unknown',
    language: conversation.language,
    waitingSince: input.waitingSince,
    assignedAt: input.assignedAt,
    call: input.call ? { callId: input.call.callId, callerNumber: input.call.callerNumber } : null,
    transcript: turns.map((t) => ({ ...t, entities: t.entities.map((e) => ({ ...e })) })),
    intents: customerTurns.map((t) => ({ seq: t.seq, intent: t.intent, confidence: t.confidence })),
    entities: [...entities.values()],
    slots,
    summary: typeof summary.text === 'string' ? summary.text : '',
    articlesUsed: [...cited].map((articleId) => ({ articleId, title: input.articleTitle(articleId) ?? articleId })),
    customer: input.customer
      ? { id: input.customer.id, name: input.customer.name, phone: input.customer.phone, email: input.customer.email, language: input.customer.language }
      : null,
    flowVariant: conversation.flowVariant,
  };
}
