// Wire protocol of the WebSocket chat channel (/v1/chat): every message is a member of a
// discriminated union on `type`, validated at the edge before anything acts on it.
import { z } from 'zod';

export const CHAT_PROTOCOL_VERSION = 1;

/** Client → server. */
export const ClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    /** JWT from POST /v1/auth/login or /v1/auth/kiosk-session. */
    token: z.string().min(1),
    /** Resume an existing conversation (e.g. after a reconnect); omit to start a new one. */
    conversationId: z.string().min(1).optional(),
    language: z.enum(['zh', 'en']).optional(),
  }),
  z.object({
    type: z.literal('message'),
    text: z.string(),
    /** Client-chosen id; a resend with the same id is answered without a second turn. */
    clientMessageId: z.string().min(1).max(100).optional(),
  }),
  /** The customer's satisfaction score after an agent resolved the conversation. */
  z.object({ type: z.literal('csat'), score: z.number().int().min(1).max(5), comment: z.string().max(1000).optional() }),
  z.object({ type: z.literal('ping') }),
]);
export type ClientMessage = z.infer<typeof ClientMessage>;

export const TurnView = z.object({
  seq: z.number().int(),
  speaker: z.enum(['customer', 'bot', 'agent', 'system']),
  text: z.string(),
  language: z.enum(['zh', 'en']).nullable(),
  intent: z.string().nullable(),
  confidence: z.number().nullable(),
  entities: z.array(z.object({ type: z.string(), value: z.string(), text: z.string(), start: z.number(), end: z.number() })),
  citations: z.array(z.object({ articleId: z.string(), title: z.string() })),
  suggestions: z.array(z.string()).optional(),
  /** Voice turns: the recognizer's confidence and how long the caller spoke. */
  speech: z.object({ confidence: z.number().nullable(), audioMs: z.number().nullable() }).optional(),
  /** Agent turns: the display name of the agent who wrote it (two agents share a transcript after a transfer). */
  author: z.string().optional(),
  createdAt: z.string(),
});
export type TurnView = z.infer<typeof TurnView>;

export const ConversationStatus = z.enum(['active', 'awaiting_agent', 'with_agent', 'closed']);

/** Server → client. */
export const ServerMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    protocol: z.literal(CHAT_PROTOCOL_VERSION),
    conversationId: z.string(),
    status: ConversationStatus,
    /** Who serves the conversation now (status with_agent), so a resumed page can say so; else null. */
    agentName: z.string().nullable(),
    /** Every turn so far (the whole transcript on resume). */
    turns: z.array(TurnView),
  }),
  z.object({
    type: z.literal('turns'),
    conversationId: z.string(),
    status: ConversationStatus,
    /** New turns in order: the customer's own message echoed first, then the replies. */
    turns: z.array(TurnView),
  }),
  /** While waiting for an agent: where the customer stands and roughly how long it will take. */
  z.object({ type: z.literal('queue'), conversationId: z.string(), position: z.number().int().min(1), estimatedWaitSeconds: z.number().int().min(0) }),
  /** Status changes not caused by a message (an agent joined, handed back, resolved). */
  z.object({ type: z.literal('status'), conversationId: z.string(), status: ConversationStatus, agentName: z.string().nullable() }),
  /** Ask for a 1–5 score; answered with a `csat` message. */
  z.object({ type: z.literal('csat_request'), conversationId: z.string() }),
  z.object({ type: z.literal('csat_thanks'), conversationId: z.string() }),
  z.object({ type: z.literal('pong') }),
  z.object({
    type: z.literal('error'),
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
