// Contact-center routes: agent profiles and queues (admin/supervisor), the supervisor board
// and statistics, and the customer's satisfaction score.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { CUSTOMER_CHANNELS, type AuthService } from '../auth/index.ts';
import { assertConversationAccess, type ConversationService } from '../conversation/index.ts';
import { errorResponses as errors, jsonContent as json, principalOf, requireRole, type AppEnv } from '../http/index.ts';
import type { Db } from '../store/index.ts';
import type { ContactCenter } from './service.ts';
import { conversationStats, queueBoard } from './stats.ts';


const AgentProfileSchema = z
  .object({
    accountId: z.string(),
    name: z.string(),
    languages: z.array(z.string()),
    topics: z.array(z.string()),
    chatCapacity: z.number().int(),
    voiceCapacity: z.number().int(),
    presence: z.enum(['available', 'busy', 'away', 'offline']),
    presenceAt: z.string(),
    lastAssignedAt: z.string().nullable(),
  })
  .openapi('AgentProfile');

export interface ContactCenterHttpDeps {
  db: Db;
  auth: AuthService;
  contactCenter: ContactCenter;
  conversations: ConversationService;
  clock: () => Date;
}

export function registerContactCenterRoutes(app: OpenAPIHono<AppEnv>, deps: ContactCenterHttpDeps): void {
  const managers = requireRole(deps, ['admin', 'supervisor']);
  const channels = requireRole(deps, CUSTOMER_CHANNELS);
  const cc = deps.contactCenter;

  app.openapi(
    createRoute({ method: 'get', path: '/v1/agents', tags: ['contact-center'], summary: 'Agents with skills, capacity and presence', middleware: [managers] as const, responses: { 200: json(z.object({ items: z.array(AgentProfileSchema) })), ...errors(401, 403) } }),
    (c) => c.json({ items: cc.agents().map((a) => ({ ...a, presence: cc.isConnected(a.accountId) ? a.presence : ('offline' as const) })) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/v1/agents/{id}/profile',
      tags: ['contact-center'],
      summary: "Set an agent's language and topic skills and capacity",
      middleware: [managers] as const,
      request: {
        params: z.object({ id: z.string().min(1) }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z.object({
                languages: z.array(z.enum(['zh', 'en'])).min(1).optional(),
                topics: z.array(z.string().min(1).max(40)).max(20).optional(),
                chatCapacity: z.number().int().min(0).max(20).optional(),
                voiceCapacity: z.number().int().min(0).max(1).optional(),
              }),
            },
          },
        },
      },
      responses: { 200: json(AgentProfileSchema), ...errors(400, 401, 403, 404, 415) },
    }),
    (c) => c.json(cc.updateAgentProfile(c.req.valid('param').id, c.req.valid('json'), principalOf(c).subject), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/queues',
      tags: ['contact-center'],
      summary: 'Queues with their waiting counts',
      middleware: [requireRole(deps, ['admin', 'supervisor', 'agent'])] as const,
      responses: { 200: json(z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), waiting: z.number().int(), longestWaitSeconds: z.number() })) })), ...errors(401, 403) },
    }),
    (c) => c.json({ items: cc.queueCounts() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/supervisor/board',
      tags: ['contact-center'],
      summary: 'Live queue board: waiting, longest wait, service level, agents by state',
      middleware: [managers] as const,
      responses: {
        200: json(
          z.object({
            queues: z.array(z.object({ id: z.string(), name: z.string(), waiting: z.number().int(), offered: z.number().int(), longestWaitSeconds: z.number(), serviceLevel: z.number().nullable(), serviceLevelSeconds: z.number() })),
            agents: z.array(z.object({ id: z.string(), name: z.string(), presence: z.string(), activeChats: z.number().int(), activeVoice: z.number().int(), chatCapacity: z.number().int(), voiceCapacity: z.number().int(), idleSince: z.string().nullable() })),
            generatedAt: z.string(),
          }),
        ),
        ...errors(401, 403),
      },
    }),
    (c) => c.json(queueBoard(deps.db, cc.queues, cc.agents(), (id) => cc.isConnected(id), deps.clock()), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/supervisor/stats',
      tags: ['contact-center'],
      summary: 'Bot resolution, handoff reasons, satisfaction and A/B variants over a period (default: last 24 h)',
      middleware: [managers] as const,
      request: { query: z.object({ from: z.string().datetime().optional(), to: z.string().datetime().optional() }) },
      responses: {
        200: json(
          z.object({
            from: z.string(),
            to: z.string(),
            conversations: z.number().int(),
            botResolved: z.number().int(),
            handedOff: z.number().int(),
            abandoned: z.number().int(),
            botResolutionRate: z.number().nullable(),
            handoffReasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
            csat: z.object({ count: z.number().int(), average: z.number().nullable(), distribution: z.array(z.number().int()) }),
            variants: z.array(z.object({ experiment: z.string(), variant: z.string(), conversations: z.number().int(), resolved: z.number().int(), handoff: z.number().int(), abandoned: z.number().int(), csatCount: z.number().int(), csatAverage: z.number().nullable() })),
          }),
        ),
        ...errors(400, 401, 403),
      },
    }),
    (c) => {
      const q = c.req.valid('query');
      const to = q.to ?? deps.clock().toISOString();
      const from = q.from ?? new Date(Date.parse(to) - 86_400_000).toISOString();
      return c.json(conversationStats(deps.db, from, to), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/conversations/{id}/csat',
      tags: ['conversations'],
      summary: "The customer's 1–5 satisfaction score after an agent resolved the conversation (once)",
      middleware: [channels] as const,
      request: {
        params: z.object({ id: z.string().min(1).max(100) }),
        body: { required: true, content: { 'application/json': { schema: z.object({ score: z.number().int().min(1).max(5), comment: z.string().max(1000).optional() }) } } },
      },
      responses: { 200: json(z.object({ conversationId: z.string(), csat: z.number().int() })), ...errors(400, 401, 403, 404, 409, 415) },
    }),
    (c) => {
      const { id } = c.req.valid('param');
      const principal = principalOf(c);
      assertConversationAccess(principal, deps.conversations.record(id));
      const record = deps.conversations.recordCsat(id, c.req.valid('json'), principal.subject);
      return c.json({ conversationId: id, csat: record.csat ?? 0 }, 200);
    },
  );
}
