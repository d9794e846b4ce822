// NLU routes: try the model on a sentence, see its status, retrain it without downtime.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { KB_EDITORS, STAFF } from '../../auth/index.ts';
import { requireRole } from '../middleware.ts';
import { EntitySchema, errorResponses, jsonBody, jsonContent, LanguageSchema } from '../schemas.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

const UnderstandingSchema = z
  .object({
    text: z.string(),
    language: LanguageSchema,
    languageConfidence: z.number(),
    intent: z.string().nullable(),
    confidence: z.number(),
    outOfScope: z.boolean(),
    ranking: z.array(z.object({ intent: z.string(), score: z.number() })),
    entities: z.array(EntitySchema),
  })
  .openapi('Understanding');

export function registerNluRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const staff = requireRole(deps, STAFF);
  const editors = requireRole(deps, KB_EDITORS);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/nlu/parse',
      tags: ['nlu'],
      summary: 'Understand one sentence (language, intent, confidence, entities) without starting a conversation',
      middleware: [staff] as const,
      request: { body: jsonBody(z.object({ text: z.string().trim().min(1).max(deps.config.conversation.maxMessageChars), language: LanguageSchema.optional() })) },
      responses: { 200: jsonContent(UnderstandingSchema), ...errorResponses(400, 401, 403, 503) },
    }),
    (c) => {
      const { text, language } = c.req.valid('json');
      return c.json(deps.nlu.understand(text, { languageHint: language }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/nlu/status',
      tags: ['nlu'],
      summary: 'Model version, readiness and whether a retrain is running',
      middleware: [staff] as const,
      responses: { 200: jsonContent(z.object({ ready: z.boolean(), version: z.string().nullable(), trainedAt: z.string().nullable(), training: z.boolean(), intents: z.number().int() })), ...errorResponses(401, 403) },
    }),
    (c) => {
      const s = deps.nlu.status();
      return c.json({ ready: s.ready, version: s.version ?? null, trainedAt: s.trainedAt ?? null, training: s.training, intents: s.intents }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/nlu/retrain',
      tags: ['nlu'],
      summary: 'Retrain from the intent files and the knowledge base; conversations keep the old model until the new one is ready',
      middleware: [editors] as const,
      responses: { 200: jsonContent(z.object({ version: z.string(), trainedMs: z.number() })), ...errorResponses(401, 403, 409, 500) },
    }),
    async (c) => c.json(await deps.retrainNlu(), 200),
  );
}
