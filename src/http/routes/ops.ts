// Liveness, readiness, Prometheus metrics and the OpenAPI document.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv, HttpDeps } from '../types.ts';

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Switchboard appliance API',
    version: '1.0.0',
    description: 'Offline customer-service appliance: conversations, knowledge base, NLU, accounts. Every error answers with the envelope {"error":{"code","message","details"}}.',
  },
};

export function registerOpsRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', (c) => {
    const report = deps.readiness();
    return c.json(report, report.ready ? 200 : 503);
  });

  app.get('/metrics', async (c) => {
    const body = await deps.metrics.registry.metrics();
    return c.body(body, 200, { 'content-type': deps.metrics.registry.contentType });
  });

  app.doc31('/v1/openapi.json', OPENAPI_INFO);
}
