// Client side of the agent desktop protocol (/v1/agent). Types come from the server's own
// schema (type-only import: no zod in the browser bundle); every frame is checked here
// before the page acts on it.
import type { AgentClientMessage, AgentServerMessage, Disposition, HandoffPackage, Presence } from '../../contact-center/protocol.ts';
import { arrayOf, literal, nullable, num, object, oneOf, optional, recordOf, str, tryParse, unknownValue, withDefault, type Guard } from '../shared/guard.ts';

export type { AgentClientMessage, AgentServerMessage, Disposition, HandoffPackage, Presence };
export type Turn = HandoffPackage['transcript'][number];
export type QueueCount = Extract<AgentServerMessage, { type: 'queues' }>['queues'][number];
export type AgentProfile = Extract<AgentServerMessage, { type: 'welcome' }>['agent'];
export type KbSuggestion = Extract<AgentServerMessage, { type: 'suggestions' }>['items'][number];
export type CallControl = Extract<AgentServerMessage, { type: 'call_control' }>['event'];

export const PRESENCES = ['available', 'busy', 'away', 'offline'] as const satisfies readonly Presence[];
export const DISPOSITIONS = ['resolved', 'follow_up', 'no_answer', 'transferred_out', 'spam'] as const satisfies readonly Disposition[];
const LANG = oneOf(['zh', 'en'] as const);

const TurnGuard: Guard<Turn> = object({
  seq: num,
  speaker: oneOf(['customer', 'bot', 'agent', 'system'] as const),
  text: str,
  language: withDefault(nullable(LANG), null),
  intent: withDefault(nullable(str), null),
  confidence: withDefault(nullable(num), null),
  entities: withDefault(arrayOf(object({ type: str, value: str, text: str, start: num, end: num })), []),
  citations: withDefault(arrayOf(object({ articleId: str, title: str })), []),
  author: optional(str),
  createdAt: withDefault(str, ''),
});

const PackageGuard: Guard<HandoffPackage> = object({
  conversationId: str,
  channel: oneOf(['rest', 'chat', 'voice'] as const),
  queueId: str,
  reason: str,
  language: withDefault(nullable(LANG), null),
  waitingSince: str,
  assignedAt: withDefault(nullable(str), null),
  call: withDefault(nullable(object({ callId: str, callerNumber: withDefault(nullable(str), null) })), null),
  transcript: arrayOf(TurnGuard),
  intents: withDefault(arrayOf(object({ seq: num, intent: nullable(str), confidence: nullable(num) })), []),
  entities: withDefault(arrayOf(object({ type: str, value: str })), []),
  slots: withDefault(recordOf(str), {}),
  summary: withDefault(str, ''),
  articlesUsed: withDefault(arrayOf(object({ articleId: str, title: str })), []),
  customer: withDefault(
    nullable(object({ id: str, name: withDefault(nullable(str), null), phone: withDefault(nullable(str), null), email: withDefault(nullable(str), null), language: withDefault(nullable(str), null) })),
    null,
  ),
  flowVariant: withDefault(str, ''),
});

const QueueGuard: Guard<QueueCount> = object({ id: str, name: str, waiting: num, longestWaitSeconds: num });
const PresenceGuard = oneOf(PRESENCES);

const GUARDS: { [K in AgentServerMessage['type']]: Guard<Omit<Extract<AgentServerMessage, { type: K }>, 'type'>> } = {
  welcome: object({
    protocol: literal(1),
    agent: object({
      id: str,
      name: str,
      presence: PresenceGuard,
      languages: withDefault(arrayOf(str), []),
      topics: withDefault(arrayOf(str), []),
      chatCapacity: withDefault(num, 1),
      voiceCapacity: withDefault(num, 0),
    }),
    assigned: arrayOf(PackageGuard),
    queues: withDefault(arrayOf(QueueGuard), []),
  }),
  presence: object({ presence: PresenceGuard }),
  offer: object({ package: PackageGuard, expiresAt: str }),
  offer_withdrawn: object({ conversationId: str, reason: withDefault(oneOf(['timeout', 'declined', 'taken', 'cancelled'] as const), 'cancelled') }),
  assigned: object({ package: PackageGuard }),
  turns: object({ conversationId: str, turns: arrayOf(TurnGuard) }),
  suggestions: object({ conversationId: str, forSeq: num, items: arrayOf(object({ articleId: str, title: str, snippet: withDefault(str, ''), body: withDefault(str, '') })) }),
  released: object({ conversationId: str, reason: withDefault(oneOf(['resolved', 'transferred', 'handed_back', 'customer_left'] as const), 'resolved') }),
  queues: object({ queues: arrayOf(QueueGuard) }),
  call_control: object({
    event: object({ callId: str, conversationId: str, queueId: str, extension: withDefault(str, ''), callerNumber: withDefault(nullable(str), null) }),
  }),
  pong: object({}),
  error: object({ error: object({ code: str, message: withDefault(str, ''), details: unknownValue }) }),
};

/** A server frame, or null (reason to onError) when it is not one this page understands. */
export function parseAgentServerMessage(raw: string, onError?: (why: string) => void): AgentServerMessage | null {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    onError?.('not JSON');
    return null;
  }
  if (typeof v !== 'object' || v === null || !('type' in v) || typeof v.type !== 'string' || !(v.type in GUARDS)) {
    onError?.('unknown message type');
    return null;
  }
  const type = v.type as AgentServerMessage['type'];
  const body = tryParse(GUARDS[type] as Guard<object>, v, (e) => onError?.(`${type}: ${e.message}`));
  return body ? ({ type, ...body } as AgentServerMessage) : null;
}
