// Sign-in, first-admin bootstrap, kiosk sessions, accounts and kiosk devices.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { ACCOUNT_ROLES, CLIENT_SCOPES } from '../../auth/index.ts';
import { AppError } from '../../errors/index.ts';
import { principalOf, requireRole } from '../middleware.ts';
import { errorResponses, jsonBody, jsonContent, KioskSessionSchema, PrincipalSchema, SessionSchema } from '../schemas.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

const AccountSchema = z
  .object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.enum(ACCOUNT_ROLES), disabled: z.boolean(), createdAt: z.string() })
  .openapi('Account');
const DeviceSchema = z
  .object({ id: z.string(), name: z.string(), kind: z.literal('kiosk'), revoked: z.boolean(), createdAt: z.string(), lastSeenAt: z.string().nullable() })
  .openapi('Device');
const Username = z.string().trim().min(3).max(64).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only');

const OAuthClientSchema = z
  .object({ clientId: z.string(), name: z.string(), scopes: z.array(z.enum(CLIENT_SCOPES)), revoked: z.boolean(), createdAt: z.string(), lastUsedAt: z.string().nullable() })
  .openapi('OAuthClient');
const TokenRequest = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1).max(100).optional(),
  client_secret: z.string().min(1).max(200).optional(),
  scope: z.string().max(500).optional(),
});

/** Client id and secret from HTTP Basic (preferred by RFC 6749) or the request body. */
function clientCredentials(authorization: string | undefined, body: z.infer<typeof TokenRequest>): { clientId: string; clientSecret: string } {
  const basic = authorization && /^Basic\s+(.+)$/i.exec(authorization.trim());
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    if (at > 0) return { clientId: decodeURIComponent(decoded.slice(0, at)), clientSecret: decodeURIComponent(decoded.slice(at + 1)) };
  }
  if (body.client_id && body.client_secret) return { clientId: body.client_id, clientSecret: body.client_secret };
  throw new AppError('AUTH_REQUIRED', 'send the client id and secret with HTTP Basic authentication or as client_id/client_secret', { oauthError: 'invalid_client' });
}

const isLoopback = (addr: string | undefined) => !!addr && (addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1' || addr.startsWith('127.'));

export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const admins = requireRole(deps, ['admin']);
  const deviceManagers = requireRole(deps, ['admin', 'installer']);
  const anyone = requireRole(deps, ['admin', 'supervisor', 'agent', 'installer', 'kiosk', 'system']);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/login',
      tags: ['auth'],
      summary: 'Sign in with a local account',
      request: { body: jsonBody(z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })) },
      responses: { 200: jsonContent(SessionSchema), ...errorResponses(400, 401, 429) },
    }),
    async (c) => {
      const { username, password } = c.req.valid('json');
      const s = await deps.auth.login(username, password, c.get('remoteAddress'));
      return c.json({ accessToken: s.accessToken, tokenType: 'Bearer' as const, expiresAt: s.expiresAt, principal: s.principal }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/bootstrap',
      tags: ['auth'],
      summary: 'Create the first administrator (only while none exists), with the code from the data directory',
      request: {
        body: jsonBody(z.object({ code: z.string().min(1).max(200), username: Username, password: z.string().min(1).max(256), displayName: z.string().trim().min(1).max(100).optional() })),
      },
      responses: { 201: jsonContent(AccountSchema, 'Administrator created'), ...errorResponses(400, 401, 409) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const account = await deps.auth.bootstrapAdmin(body);
      deps.logger.info({ accountId: account.id }, 'first administrator created');
      return c.json(account, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/auth/kiosk-session',
      tags: ['auth'],
      summary: 'Open a kiosk session from a paired device token (or, on the appliance screen itself, over loopback)',
      request: { body: { required: false, content: { 'application/json': { schema: z.object({ deviceToken: z.string().min(1).max(200).optional() }) } } } },
      responses: { 200: jsonContent(KioskSessionSchema), ...errorResponses(400, 401) },
    }),
    async (c) => {
      const text = await c.req.text();
      const parsed = z.object({ deviceToken: z.string().min(1).max(200).optional() }).parse(text ? JSON.parse(text) : {});
      const s = await deps.auth.kioskSession({ deviceToken: parsed.deviceToken, fromLoopback: isLoopback(c.get('remoteAddress')) });
      const speech = { languages: [...(deps.speechLanguages?.() ?? [])] };
      return c.json({ accessToken: s.accessToken, tokenType: 'Bearer' as const, expiresAt: s.expiresAt, principal: s.principal, speech }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/oauth/token',
      tags: ['auth'],
      summary: 'OAuth 2.0 client-credentials grant for other systems (form-encoded or JSON; client auth by HTTP Basic or body)',
      request: {
        // Not "required": with it, the JSON and form validators would both run on every body.
        body: {
          required: false,
          content: { 'application/x-www-form-urlencoded': { schema: TokenRequest }, 'application/json': { schema: TokenRequest } },
        },
      },
      responses: {
        200: jsonContent(z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), scope: z.string() })),
        ...errorResponses(400, 401, 403, 415),
      },
    }),
    async (c) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      const raw = type === 'application/x-www-form-urlencoded' ? Object.fromEntries(new URLSearchParams(await c.req.text())) : ((await c.req.json()) as unknown);
      const parsed = TokenRequest.safeParse(raw);
      if (!parsed.success) {
        throw new AppError('VALIDATION_FAILED', 'grant_type must be client_credentials', { oauthError: 'unsupported_grant_type', issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), reason: i.message })) });
      }
      const creds = clientCredentials(c.req.header('authorization'), parsed.data);
      const issued = await deps.clients.issueToken({ ...creds, scope: parsed.data.scope });
      c.header('cache-control', 'no-store');
      return c.json({ access_token: issued.accessToken, token_type: 'Bearer' as const, expires_in: issued.expiresIn, scope: issued.scopes.join(' ') }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/oauth/clients',
      tags: ['auth'],
      summary: 'Register a system client (PBX, CRM bridge); its secret is shown once',
      middleware: [admins] as const,
      request: { body: jsonBody(z.object({ name: z.string().trim().min(1).max(100), scopes: z.array(z.enum(CLIENT_SCOPES)).min(1) })) },
      responses: { 201: jsonContent(z.object({ client: OAuthClientSchema, clientSecret: z.string() }), 'Registered'), ...errorResponses(400, 401, 403, 415) },
    }),
    async (c) => c.json(await deps.clients.register(c.req.valid('json'), principalOf(c).subject), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/oauth/clients',
      tags: ['auth'],
      summary: 'List system clients',
      middleware: [admins] as const,
      responses: { 200: jsonContent(z.object({ items: z.array(OAuthClientSchema) })), ...errorResponses(401, 403) },
    }),
    (c) => c.json({ items: deps.clients.list() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/oauth/clients/{id}',
      tags: ['auth'],
      summary: 'Revoke a system client; its tokens stop working at once',
      middleware: [admins] as const,
      request: { params: z.object({ id: z.string().min(1) }) },
      responses: { 200: jsonContent(OAuthClientSchema), ...errorResponses(401, 403, 404) },
    }),
    (c) => c.json(deps.clients.revoke(c.req.valid('param').id, principalOf(c).subject), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/auth/me',
      tags: ['auth'],
      summary: 'Who the bearer token belongs to',
      middleware: [anyone] as const,
      responses: { 200: jsonContent(PrincipalSchema), ...errorResponses(401) },
    }),
    (c) => c.json(principalOf(c), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/accounts',
      tags: ['accounts'],
      summary: 'Create a local account',
      middleware: [admins] as const,
      request: { body: jsonBody(z.object({ username: Username, password: z.string().min(1).max(256), role: z.enum(ACCOUNT_ROLES), displayName: z.string().trim().min(1).max(100).optional() })) },
      responses: { 201: jsonContent(AccountSchema, 'Account created'), ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => c.json(await deps.auth.createAccount(c.req.valid('json'), principalOf(c).subject), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/accounts',
      tags: ['accounts'],
      summary: 'List local accounts',
      middleware: [admins] as const,
      responses: { 200: jsonContent(z.object({ items: z.array(AccountSchema) })), ...errorResponses(401, 403) },
    }),
    (c) => c.json({ items: deps.auth.listAccounts() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/devices',
      tags: ['devices'],
      summary: 'Pair a kiosk device; the device token is shown once',
      middleware: [deviceManagers] as const,
      request: { body: jsonBody(z.object({ name: z.string().trim().min(1).max(100) })) },
      responses: { 201: jsonContent(z.object({ device: DeviceSchema, deviceToken: z.string() }), 'Device paired'), ...errorResponses(400, 401, 403) },
    }),
    (c) => c.json(deps.auth.createDevice(c.req.valid('json').name, principalOf(c).subject), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/devices',
      tags: ['devices'],
      summary: 'List kiosk devices',
      middleware: [deviceManagers] as const,
      responses: { 200: jsonContent(z.object({ items: z.array(DeviceSchema) })), ...errorResponses(401, 403) },
    }),
    (c) => c.json({ items: deps.auth.listDevices() }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/devices/{id}',
      tags: ['devices'],
      summary: 'Revoke a kiosk device; its sessions stop working at once',
      middleware: [deviceManagers] as const,
      request: { params: z.object({ id: z.string().min(1) }) },
      responses: { 200: jsonContent(DeviceSchema), ...errorResponses(401, 403, 404) },
    }),
    (c) => c.json(deps.auth.revokeDevice(c.req.valid('param').id, principalOf(c).subject), 200),
  );
}
