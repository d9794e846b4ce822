// GET /v1/sync/status: the CRM sync's connection, backlog, last delivery, dead letters,
// conflicts and disk guard, for the supervisor console. Registered by the HTTP layer.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireRole } from '../http/middleware.ts';
import { errorResponses, jsonContent } from '../http/schemas.ts';
import type { AppEnv, HttpDeps } from '../http/index.ts';
import type { SyncHandle } from './service.ts';

const SYNC_VIEWERS = ['admin', 'supervisor'] as const;

const Iso = z.string().nullable();

export const SyncStatusSchema = z
  .object({
    enabled: z.boolean().openapi({ description: 'False when no broker is configured (events still queue in the outbox).' }),
    connection: z.object({
      state: z.enum(['disabled', 'connecting', 'connected', 'waiting', 'closed']),
      broker: z.string().nullable().openapi({ description: 'Broker URL without credentials.' }),
      clientId: z.string(),
      lastConnectedAt: Iso,
      lastDisconnectedAt: Iso,
      lastError: z.string().nullable(),
      nextAttemptAt: Iso.openapi({ description: 'When the next reconnect attempt is due (state "waiting").' }),
      failedAttempts: z.number().int(),
    }),
    outbox: z.object({
      backlog: z.number().int().openapi({ description: 'Events not yet acknowledged by the broker.' }),
      oldestUndeliveredAt: Iso,
      oldestUndeliveredAgeSeconds: z.number().int().nullable(),
      inFlight: z.number().int(),
      lastDeliveryAt: Iso,
      deliveredSinceStart: z.number().int(),
    }),
    inbound: z.object({
      deadLetters: z.number().int(),
      lastDeadLetter: z
        .object({ reasonCode: z.string(), reason: z.string(), topic: z.string(), messageId: z.string().nullable(), receivedAt: z.string() })
        .nullable(),
      conflicts: z.number().int().openapi({ description: 'CRM updates that overwrote local changes or were refused as older (recorded, never silent).' }),
    }),
    disk: z
      .object({
        databaseBytes: z.number().int(),
        freeBytes: z.number().int().nullable(),
        backlogEvents: z.number().int(),
        alert: z.boolean(),
        reasons: z.array(z.string()),
      })
      .nullable(),
  })
  .openapi('SyncStatus');

export type SyncRouteDeps = Pick<HttpDeps, 'auth'> & { sync: Pick<SyncHandle, 'status'> };

export function registerSyncRoutes(app: OpenAPIHono<AppEnv>, deps: SyncRouteDeps): void {
  const viewers = requireRole(deps, SYNC_VIEWERS);
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/sync/status',
      tags: ['sync'],
      summary: 'CRM sync status: broker connection, outbox backlog and age, last delivery, dead letters, conflicts, disk guard',
      middleware: [viewers] as const,
      responses: { 200: jsonContent(SyncStatusSchema), ...errorResponses(401, 403) },
    }),
    (c) => c.json(deps.sync.status(), 200),
  );
}
