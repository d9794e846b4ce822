// The HTTP application: web-standard Request/Response on Hono, so it runs on Node (and Deno).
// Node-specific bits (remote address, WebSocket upgrade) are injected by the server adapter.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError, toErrorEnvelope } from '../errors/index.ts';
import { errorResponse, zodIssues } from './errors.ts';
import { accessLog, jsonBodyGuard } from './middleware.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerConversationRoutes } from './routes/conversations.ts';
import { registerKnowledgeRoutes } from './routes/knowledge.ts';
import { registerNluRoutes } from './routes/nlu.ts';
import { registerOpsRoutes } from './routes/ops.ts';
import type { AppEnv, HttpDeps } from './types.ts';

export interface HttpAppOptions {
  /** The client's address (for loopback kiosk trust); the Node adapter reads it off the socket. */
  remoteAddress?: (c: Context<AppEnv>) => string | undefined;
}

export function createHttpApp(deps: HttpDeps, options: HttpAppOptions = {}): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        const err = new AppError('VALIDATION_FAILED', 'request is not valid', { issues: zodIssues(result.error) });
        return c.json(toErrorEnvelope(err), 400);
      }
      return undefined;
    },
  });

  app.use('*', accessLog(deps));
  app.use('*', async (c, next) => {
    c.set('remoteAddress', options.remoteAddress?.(c));
    await next();
  });
  app.use('/v1/*', jsonBodyGuard({ maxBytes: deps.config.conversation.maxBodyBytes, rawPaths: /^\/v1\/kb\/import$/ }));
  app.use('*', async (c, next) => {
    await next();
    c.header('x-content-type-options', 'nosniff');
  });

  registerOpsRoutes(app, deps);
  registerAuthRoutes(app, deps);
  registerConversationRoutes(app, deps);
  registerKnowledgeRoutes(app, deps);
  registerNluRoutes(app, deps);
  for (const register of deps.extraRoutes ?? []) register(app);
  registerWebAssets(app, deps);

  app.notFound((c) => c.json(toErrorEnvelope(new AppError('ROUTE_NOT_FOUND', `no route ${c.req.method} ${c.req.path}`)), 404));
  app.onError((err, c) => errorResponse(c, err, deps.logger));
  return app;
}

function registerWebAssets(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  app.get('*', async (c, next) => {
    const path = c.req.path.endsWith('/') ? `${c.req.path}index.html` : c.req.path;
    const asset = deps.webAssets.get(path) ?? deps.webAssets.get(`${path}/index.html`);
    if (!asset) return next();
    // Pages are small and served from memory; no-cache keeps kiosks on the current build.
    return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, { 'content-type': asset.contentType, 'cache-control': 'no-cache' });
  });
}
