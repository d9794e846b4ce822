// The conversation's dialog state: plain JSON stored in SQLite between turns, so it carries a
// schema version and is parsed (never cast) when it comes back.
import { z } from 'zod';
import { AppError } from '../errors/index.ts';
import { entityTypeSchema } from './flow-schema.ts';

export const DIALOG_STATE_VERSION = 1;

const languageSchema = z.enum(['zh', 'en']);

/** The question a flow is waiting on. */
const pendingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('slot'), slot: z.string() }),
  z.object({ kind: z.literal('confirm') }),
]);

/** One running flow. Several stack up when a customer starts a second flow mid-way. */
const frameSchema = z.object({
  flowId: z.string(),
  /** Pinned at start so a flow reload or experiment change never alters a flow mid-conversation. */
  flowVersion: z.number().int(),
  askConfirmation: z.boolean(),
  slots: z.record(z.string(), z.string()),
  pending: pendingSchema,
});

/** A yes/no question the bot asked outside any flow. */
const openQuestionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('anything_else') }),
  z.object({ kind: z.literal('offer_agent'), flowId: z.string() }),
]);

const rememberedSchema = z.object({ value: z.string(), text: z.string(), turn: z.number().int() });

export const dialogStateSchema = z.object({
  schemaVersion: z.literal(DIALOG_STATE_VERSION),
  conversationId: z.string(),
  status: z.enum(['active', 'awaiting_agent', 'closed']),
  language: languageSchema,
  /** Customer turns handled so far. */
  turn: z.number().int().min(0),
  /** Running flows, the active one last. */
  stack: z.array(frameSchema),
  openQuestion: openQuestionSchema.nullable(),
  /** Entities the customer has given, by type, latest wins; reused by later flows. */
  memory: z.partialRecord(entityTypeSchema, rememberedSchema),
  /** Consecutive turns the bot could not make sense of. */
  misunderstandings: z.number().int().min(0),
  /** Consecutive misunderstood turns that were all plainly out of scope (vs. garbled answers). */
  outOfScopeStreak: z.number().int().min(0),
  lastIntent: z.object({ name: z.string(), confidence: z.number() }).nullable(),
  /** KB article ids the bot has answered with, in order. */
  articlesUsed: z.array(z.string()),
  /** Flows completed and KB answers given: decides 'resolved' vs 'abandoned' at goodbye. */
  resolvedCount: z.number().int().min(0),
  /** Experiment id → variant id, assigned once at start. */
  experiments: z.record(z.string(), z.string()),
  /** For "repeat" when no question is pending. */
  lastReplies: z.array(z.object({ text: z.string(), citations: z.array(z.string()) })),
  outcome: z.enum(['resolved', 'handoff', 'abandoned']).nullable(),
});

export type DialogState = z.infer<typeof dialogStateSchema>;
export type FlowFrame = DialogState['stack'][number];
export type OpenQuestion = NonNullable<DialogState['openQuestion']>;
export type Outcome = NonNullable<DialogState['outcome']>;

/** Parses a state read back from storage; an unknown schema version is a clear error, not a crash later. */
export function parseDialogState(json: unknown): DialogState {
  const version = typeof json === 'object' && json !== null ? (json as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version !== DIALOG_STATE_VERSION) {
    throw new AppError('CONVERSATION_STATE_CONFLICT', `Dialog state has schema version ${String(version)}; this build reads ${DIALOG_STATE_VERSION}`);
  }
  const result = dialogStateSchema.safeParse(json);
  if (!result.success) {
    throw new AppError('CONVERSATION_STATE_CONFLICT', 'Stored dialog state is malformed', { issues: result.error.issues });
  }
  return result.data;
}
