// What the supervisor console reads from the appliance's REST API, checked before use.
import { arrayOf, nullable, num, object, oneOf, optional, str, unknownValue, withDefault, type Guarded } from '../shared/guard.ts';

const LANG = oneOf(['zh', 'en'] as const);

export const BoardGuard = object({
  queues: arrayOf(
    object({
      id: str,
      name: str,
      waiting: num,
      longestWaitSeconds: withDefault(num, 0),
      offered: withDefault(num, 0),
      serviceLevel: withDefault(nullable(num), null),
      serviceLevelSeconds: withDefault(num, 0),
    }),
  ),
  agents: arrayOf(
    object({
      id: str,
      name: str,
      presence: withDefault(oneOf(['available', 'busy', 'away', 'offline'] as const), 'offline'),
      activeChats: withDefault(num, 0),
      activeVoice: withDefault(num, 0),
      chatCapacity: withDefault(num, 0),
      voiceCapacity: withDefault(num, 0),
      idleSince: withDefault(nullable(str), null),
    }),
  ),
  generatedAt: withDefault(str, ''),
});
export type Board = Guarded<typeof BoardGuard>;
export type BoardQueue = Board['queues'][number];
export type BoardAgent = Board['agents'][number];

export const StatsGuard = object({
  conversations: num,
  botResolved: withDefault(num, 0),
  handedOff: withDefault(num, 0),
  abandoned: withDefault(num, 0),
  botResolutionRate: withDefault(nullable(num), null),
  handoffReasons: withDefault(arrayOf(object({ reason: str, count: num })), []),
  csat: object({ count: num, average: withDefault(nullable(num), null), distribution: arrayOf(num) }),
  variants: withDefault(
    arrayOf(
      object({
        experiment: withDefault(str, ''),
        variant: str,
        conversations: num,
        resolved: withDefault(num, 0),
        handoff: withDefault(num, 0),
        abandoned: withDefault(num, 0),
        csatCount: withDefault(num, 0),
        csatAverage: withDefault(nullable(num), null),
      }),
    ),
    [],
  ),
});
export type Stats = Guarded<typeof StatsGuard>;
export type VariantStats = Stats['variants'][number];

export const STATUSES = ['active', 'awaiting_agent', 'with_agent', 'closed'] as const;

const ConversationGuard = object({
  id: str,
  channel: oneOf(['rest', 'chat', 'voice'] as const),
  status: oneOf(STATUSES),
  language: withDefault(nullable(LANG), null),
  customerId: withDefault(nullable(str), null),
  flowVariant: withDefault(str, ''),
  handoff: withDefault(nullable(object({ reason: str, requestedAt: str, context: unknownValue })), null),
  outcome: withDefault(nullable(str), null),
  csat: withDefault(nullable(num), null),
  createdAt: str,
  updatedAt: withDefault(str, ''),
  closedAt: withDefault(nullable(str), null),
});
export type Conversation = Guarded<typeof ConversationGuard>;

export const ConversationPageGuard = object({ items: arrayOf(ConversationGuard), total: num });

export const ConversationViewGuard = object({
  conversation: ConversationGuard,
  turns: arrayOf(
    object({
      seq: num,
      speaker: oneOf(['customer', 'bot', 'agent', 'system'] as const),
      text: str,
      language: withDefault(nullable(LANG), null),
      intent: withDefault(nullable(str), null),
      confidence: withDefault(nullable(num), null),
      citations: withDefault(arrayOf(object({ articleId: str, title: str })), []),
      author: optional(str),
      createdAt: withDefault(str, ''),
    }),
  ),
});
export type ConversationView = Guarded<typeof ConversationViewGuard>;
