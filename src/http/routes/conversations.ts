// REST channel for conversations: start one, post customer messages, read the transcript.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { CUSTOMER_CHANNELS, STAFF } from '../../auth/index.ts';
import { assertConversationAccess } from '../../conversation/index.ts';
import { principalOf, requireRole } from '../middleware.ts';
import { ConversationSchema, errorResponses, jsonBody, jsonContent, LanguageSchema, PageQuery, TurnSchema } from '../schemas.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

const ConversationViewSchema = z.object({ conversation: ConversationSchema, turns: z.array(TurnSchema) }).openapi('ConversationView');
const TurnsAddedSchema = z
  .object({ conversation: ConversationSchema, turns: z.array(TurnSchema), duplicate: z.boolean() })
  .openapi('TurnsAdded');
const IdParam = z.object({ id: z.string().min(1).max(100) });

export function registerConversationRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  // A PBX or IVR integration (OAuth client with scope 'conversations') may run conversations too.
  const channels = requireRole(deps, CUSTOMER_CHANNELS, 'conversations');
  const staff = requireRole(deps, STAFF, 'reports');
  const svc = deps.conversations;

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/conversations',
      tags: ['conversations'],
      summary: 'Start a conversation; the answer holds the greeting',
      middleware: [channels] as const,
      request: { body: { required: false, content: { 'application/json': { schema: z.object({ language: LanguageSchema.optional() }) } } } },
      responses: { 201: jsonContent(ConversationViewSchema, 'Started'), ...errorResponses(400, 401, 403, 415) },
    }),
    async (c) => {
      const text = await c.req.text();
      const body = z.object({ language: LanguageSchema.optional() }).strict().parse(text ? JSON.parse(text) : {});
      const principal = principalOf(c);
      const deviceId = principal.subject.startsWith('device:') ? principal.subject.slice('device:'.length) : null;
      return c.json(svc.start({ channel: 'rest', language: body.language, deviceId, actor: principal.subject }), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/conversations/{id}/messages',
      tags: ['conversations'],
      summary: "Post the customer's message; the answer holds it and the bot's replies",
      middleware: [channels] as const,
      request: {
        params: IdParam,
        body: jsonBody(z.object({ text: z.string().max(100_000), clientMessageId: z.string().min(1).max(100).optional() })),
      },
      responses: { 200: jsonContent(TurnsAddedSchema), ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const principal = principalOf(c);
      assertConversationAccess(principal, svc.record(id));
      return c.json(svc.postMessage(id, c.req.valid('json'), principal.subject), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/conversations/{id}',
      tags: ['conversations'],
      summary: 'A conversation with its whole transcript',
      middleware: [channels] as const,
      request: { params: IdParam },
      responses: { 200: jsonContent(ConversationViewSchema), ...errorResponses(401, 403, 404) },
    }),
    (c) => {
      const view = svc.get(c.req.valid('param').id);
      assertConversationAccess(principalOf(c), view.conversation);
      return c.json(view, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/conversations',
      tags: ['conversations'],
      summary: 'List or search conversations (by id, customer name/phone/e-mail, or transcript text), newest first',
      middleware: [staff] as const,
      request: { query: PageQuery.extend({ status: z.enum(['active', 'awaiting_agent', 'with_agent', 'closed']).optional(), q: z.string().max(200).optional() }) },
      responses: { 200: jsonContent(z.object({ items: z.array(ConversationSchema), total: z.number().int() })), ...errorResponses(400, 401, 403) },
    }),
    (c) => c.json(svc.list(c.req.valid('query')), 200),
  );
}
