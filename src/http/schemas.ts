// Response and request schemas shared by several routes; they also document the API in
// the generated OpenAPI document.
import { z } from '@hono/zod-openapi';
import { ERROR_CODES } from '../errors/index.ts';

export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [keyof typeof ERROR_CODES, ...(keyof typeof ERROR_CODES)[]]),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('ErrorEnvelope');

export const LanguageSchema = z.enum(['zh', 'en']).openapi('Language');

export const EntitySchema = z
  .object({ type: z.string(), value: z.string(), text: z.string(), start: z.number().int(), end: z.number().int() })
  .openapi('Entity');

export const CitationSchema = z.object({ articleId: z.string(), title: z.string() }).openapi('Citation');

export const TurnSchema = z
  .object({
    seq: z.number().int(),
    speaker: z.enum(['customer', 'bot', 'agent', 'system']),
    text: z.string(),
    language: LanguageSchema.nullable(),
    intent: z.string().nullable(),
    confidence: z.number().nullable(),
    entities: z.array(EntitySchema),
    citations: z.array(CitationSchema),
    suggestions: z.array(z.string()).optional(),
    speech: z.object({ confidence: z.number().nullable(), audioMs: z.number().int().nullable() }).optional(),
    author: z.string().optional().describe('Agent turns: the display name of the agent who wrote it.'),
    createdAt: z.string(),
  })
  .openapi('Turn');

export const ConversationSchema = z
  .object({
    id: z.string(),
    channel: z.enum(['rest', 'chat', 'voice']),
    status: z.enum(['active', 'awaiting_agent', 'with_agent', 'closed']),
    language: LanguageSchema.nullable(),
    customerId: z.string().nullable(),
    deviceId: z.string().nullable(),
    flowVariant: z.string(),
    handoff: z.object({ reason: z.string(), requestedAt: z.string(), context: z.unknown() }).nullable(),
    outcome: z.string().nullable(),
    csat: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
  })
  .openapi('Conversation');

export const ArticleSchema = z
  .object({
    id: z.string(),
    topic: z.string(),
    language: LanguageSchema,
    category: z.string(),
    title: z.string(),
    body: z.string(),
    tags: z.array(z.string()),
    questions: z.array(z.string()),
    status: z.enum(['draft', 'published', 'archived']),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Article');

export const PrincipalSchema = z
  .object({ subject: z.string(), role: z.enum(['admin', 'supervisor', 'agent', 'installer', 'kiosk', 'system']), name: z.string(), scopes: z.array(z.string()).optional() })
  .openapi('Principal');

export const SessionSchema = z
  .object({ accessToken: z.string(), tokenType: z.literal('Bearer'), expiresAt: z.string(), principal: PrincipalSchema })
  .openapi('Session');

export const KioskSessionSchema = SessionSchema.extend({
  speech: z
    .object({ languages: z.array(z.enum(['en', 'zh'])).describe('Languages the talk button may offer: speech is on and their model is installed. Empty: no voice input.') })
    .describe('Voice input on this appliance (WebSocket /v1/speech).'),
}).openapi('KioskSession');

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** Error responses every protected route may answer with, for the OpenAPI document. */
export function errorResponses(...statuses: number[]) {
  const out: Record<number, { description: string; content: { 'application/json': { schema: typeof ErrorEnvelopeSchema } } }> = {};
  for (const s of statuses) out[s] = { description: 'Error envelope with a stable code', content: { 'application/json': { schema: ErrorEnvelopeSchema } } };
  return out;
}

export const jsonContent = <T extends z.ZodType>(schema: T, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});
