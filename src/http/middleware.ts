// Cross-cutting HTTP middleware: access log + metrics, JSON body guard, bearer auth and
// role checks. Routes stay thin: they parse, call a domain function, map the result.
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { AppError } from '../errors/index.ts';
import type { ClientScope, Principal, Role } from '../auth/index.ts';
import type { AppEnv, HttpDeps } from './types.ts';

export function accessLog(deps: HttpDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = performance.now();
    await next();
    const route = routePath(c) || 'unmatched';
    const seconds = (performance.now() - start) / 1000;
    deps.metrics.httpRequests.inc({ method: c.req.method, route, status: String(c.res.status) });
    deps.metrics.httpDuration.observe({ method: c.req.method, route }, seconds);
    // Path only: query strings may carry search text typed by customers.
    deps.logger.debug({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round(seconds * 1000) }, 'request');
  };
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Requests with a body must say what it is and, when JSON, be valid JSON — checked before
 * any route so every endpoint answers the same codes. `rawTypes` lists media types a route
 * family accepts as raw text (KB import of CSV / Markdown).
 */
export function jsonBodyGuard(options: { maxBytes: number; rawPaths?: RegExp }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!['POST', 'PUT', 'PATCH'].includes(c.req.method)) return next();
    const declared = Number(c.req.header('content-length') ?? '0');
    if (declared > options.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `request body is larger than ${options.maxBytes} bytes`);
    const buf = await c.req.arrayBuffer();
    if (buf.byteLength > options.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', `request body is larger than ${options.maxBytes} bytes`);
    if (buf.byteLength === 0) return next();
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    const raw = options.rawPaths?.test(c.req.path) ?? false;
    if (!JSON_TYPE.test(mediaType)) {
      if (raw && /^text\/(csv|markdown|plain)$/.test(mediaType)) return next();
      // The OAuth token endpoint takes the standard form encoding (RFC 6749 §4.4.2).
      if (c.req.path === '/v1/oauth/token' && mediaType === 'application/x-www-form-urlencoded') return next();
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', `content type "${mediaType || '(none)'}" is not accepted; send application/json`);
    }
    try {
      JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(buf));
    } catch {
      throw new AppError('MALFORMED_JSON', 'request body is not valid JSON');
    }
    return next();
  };
}

export function bearerToken(c: Context): string | null {
  const header = c.req.header('authorization');
  if (!header) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match ? match[1]!.trim() : null;
}

/**
 * Authenticates the bearer token and admits only the listed roles — and system clients
 * (OAuth client credentials) whose token carries `scope`, when the route names one.
 */
export function requireRole(deps: Pick<HttpDeps, 'auth'>, roles: readonly Role[], scope?: ClientScope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw new AppError('AUTH_REQUIRED', 'this route needs an access token (Authorization: Bearer …)');
    const principal = await deps.auth.authenticate(token);
    const systemAllowed = principal.role === 'system' && scope !== undefined && (principal.scopes ?? []).includes(scope);
    if (!roles.includes(principal.role) && !systemAllowed) {
      throw new AppError('AUTH_FORBIDDEN', `role "${principal.role}" may not do this`, { allowedRoles: roles });
    }
    c.set('principal', principal);
    return next();
  };
}

export function principalOf(c: Context<AppEnv>): Principal {
  const p = c.get('principal');
  if (!p) throw new AppError('AUTH_REQUIRED', 'not authenticated');
  return p;
}
