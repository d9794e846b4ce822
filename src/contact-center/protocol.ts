// Wire protocol of the agent desktop WebSocket (/v1/agent): a discriminated union on `type`
// each way, validated at the edge. The desktop is a thin view; the server owns all state.
import { z } from 'zod';
import { TurnView } from '../channels/chat-protocol.ts';

export const AGENT_PROTOCOL_VERSION = 1;

export const Presence = z.enum(['available', 'busy', 'away', 'offline']);
export type Presence = z.infer<typeof Presence>;

export const Disposition = z.enum(['resolved', 'follow_up', 'no_answer', 'transferred_out', 'spam']);
export type Disposition = z.infer<typeof Disposition>;

/** Desktop → server. */
export const AgentClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), token: z.string().min(1) }),
  z.object({ type: z.literal('presence'), presence: z.enum(['available', 'busy', 'away']) }),
  z.object({ type: z.literal('accept'), conversationId: z.string().min(1) }),
  z.object({ type: z.literal('decline'), conversationId: z.string().min(1) }),
  z.object({ type: z.literal('reply'), conversationId: z.string().min(1), text: z.string(), clientMessageId: z.string().min(1).max(100).optional() }),
  z.object({ type: z.literal('transfer'), conversationId: z.string().min(1), queueId: z.string().min(1), note: z.string().max(1000).optional() }),
  z.object({ type: z.literal('hand_back'), conversationId: z.string().min(1) }),
  z.object({
    type: z.literal('resolve'),
    conversationId: z.string().min(1),
    disposition: Disposition,
    notes: z.string().max(4000).default(''),
    /** Opens a follow-up ticket with the notes. */
    createTicket: z.boolean().default(false),
  }),
  z.object({ type: z.literal('ping') }),
]);
export type AgentClientMessage = z.infer<typeof AgentClientMessage>;

// Turns look the same to agents as to the customer's channel.
const TurnShape = TurnView;

/** Everything the agent sees the moment work is offered: no need to ask the customer again. */
export const HandoffPackage = z.object({
  conversationId: z.string(),
  channel: z.enum(['rest', 'chat', 'voice']),
  queueId: z.string(),
  reason: z.string(),
  language: z.enum(['zh', 'en']).nullable(),
  waitingSince: z.string(),
  /** When an agent accepted it (null while it is only offered): with waitingSince, how long the customer waited. */
  assignedAt: z.string().nullable(),
  /** Call id (AudioSocket UUID) and caller number for voice, to match the PBX's call (screen pop). */
  call: z.object({ callId: z.string(), callerNumber: z.string().nullable() }).nullable(),
  transcript: z.array(TurnShape),
  intents: z.array(z.object({ seq: z.number().int(), intent: z.string().nullable(), confidence: z.number().nullable() })),
  entities: z.array(z.object({ type: z.string(), value: z.string() })),
  slots: z.record(z.string(), z.string()),
  summary: z.string(),
  articlesUsed: z.array(z.object({ articleId: z.string(), title: z.string() })),
  customer: z
    .object({ id: z.string(), name: z.string().nullable(), phone: z.string().nullable(), email: z.string().nullable(), language: z.string().nullable() })
    .nullable(),
  flowVariant: z.string(),
});
export type HandoffPackage = z.infer<typeof HandoffPackage>;

export const KbSuggestion = z.object({ articleId: z.string(), title: z.string(), snippet: z.string(), body: z.string() });

/** Server → desktop. */
export const AgentServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    protocol: z.literal(AGENT_PROTOCOL_VERSION),
    agent: z.object({ id: z.string(), name: z.string(), presence: Presence, languages: z.array(z.string()), topics: z.array(z.string()), chatCapacity: z.number().int(), voiceCapacity: z.number().int() }),
    /** Conversations already assigned to this agent (after a reload), with their packages. */
    assigned: z.array(HandoffPackage),
    queues: z.array(z.object({ id: z.string(), name: z.string(), waiting: z.number().int(), longestWaitSeconds: z.number() })),
  }),
  z.object({ type: z.literal('presence'), presence: Presence }),
  z.object({ type: z.literal('offer'), package: HandoffPackage, expiresAt: z.string() }),
  z.object({ type: z.literal('offer_withdrawn'), conversationId: z.string(), reason: z.enum(['timeout', 'declined', 'taken', 'cancelled']) }),
  z.object({ type: z.literal('assigned'), package: HandoffPackage }),
  z.object({ type: z.literal('turns'), conversationId: z.string(), turns: z.array(TurnShape) }),
  z.object({ type: z.literal('suggestions'), conversationId: z.string(), forSeq: z.number().int(), items: z.array(KbSuggestion) }),
  z.object({ type: z.literal('released'), conversationId: z.string(), reason: z.enum(['resolved', 'transferred', 'handed_back', 'customer_left']) }),
  z.object({ type: z.literal('queues'), queues: z.array(z.object({ id: z.string(), name: z.string(), waiting: z.number().int(), longestWaitSeconds: z.number() })) }),
  z.object({
    type: z.literal('call_control'),
    event: z.object({ callId: z.string(), conversationId: z.string(), queueId: z.string(), extension: z.string(), callerNumber: z.string().nullable() }),
  }),
  z.object({ type: z.literal('pong') }),
  z.object({ type: z.literal('error'), error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) }),
]);
export type AgentServerMessage = z.infer<typeof AgentServerMessage>;
