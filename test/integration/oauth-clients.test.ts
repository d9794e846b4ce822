// OAuth 2.0 client credentials for other systems: registration with scopes, the token grant
// (form-encoded with HTTP Basic, or JSON), scope-limited access, and revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';

let t: TestAppliance;
beforeAll(async () => {
  t = await startTestAppliance();
});
afterAll(async () => {
  await t?.close();
});

const register = async (scopes: string[]) => {
  const res = await t.request('/v1/oauth/clients', { method: 'POST', token: t.tokens.admin, json: { name: 'Asterisk IVR', scopes } });
  expect(res.status).toBe(201);
  return (await res.json()) as { client: { clientId: string }; clientSecret: string };
};

const tokenByForm = (clientId: string, secret: string, scope?: string) =>
  t.request('/v1/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString(),
  });

describe('OAuth client credentials', () => {
  it('issues a scoped token that runs conversations but cannot edit the knowledge base', async () => {
    const { client, clientSecret } = await register(['conversations']);
    const res = await tokenByForm(client.clientId, clientSecret);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { access_token: string; token_type: string; expires_in: number; scope: string };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: 'conversations' });

    const conv = await t.request('/v1/conversations', { method: 'POST', token: body.access_token, json: { language: 'en' } });
    expect(conv.status).toBe(201);
    const kb = await t.request('/v1/kb/articles', { method: 'POST', token: body.access_token, json: {} });
    expect(((await kb.json()) as { error: { code: string } }).error.code).toBe('AUTH_FORBIDDEN');
    const accounts = await t.request('/v1/accounts', { token: body.access_token });
    expect(((await accounts.json()) as { error: { code: string } }).error.code).toBe('AUTH_FORBIDDEN');
  });

  it('accepts JSON with the credentials in the body, and refuses scopes it was not granted', async () => {
    const { client, clientSecret } = await register(['kb:read']);
    const ok = await t.request('/v1/oauth/token', { method: 'POST', json: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: clientSecret } });
    expect(ok.status).toBe(200);
    const wider = await t.request('/v1/oauth/token', { method: 'POST', json: { grant_type: 'client_credentials', client_id: client.clientId, client_secret: clientSecret, scope: 'kb:read kb:write' } });
    expect(wider.status).toBe(403);
    expect(((await wider.json()) as { error: { details: { oauthError: string } } }).error.details.oauthError).toBe('invalid_scope');
  });

  it.each([
    ['a wrong secret', (id: string) => tokenByForm(id, 'wrong'), 401, 'AUTH_INVALID_CREDENTIALS'],
    ['no credentials', () => t.request('/v1/oauth/token', { method: 'POST', json: { grant_type: 'client_credentials' } }), 401, 'AUTH_REQUIRED'],
    ['another grant type', (id: string) => t.request('/v1/oauth/token', { method: 'POST', json: { grant_type: 'password', client_id: id, client_secret: 'x' } }), 400, 'VALIDATION_FAILED'],
  ] as const)('refuses %s', async (_l, call, status, code) => {
    const { client } = await register(['conversations']);
    const res = await call(client.clientId);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  it('revoking a client stops its existing tokens at once', async () => {
    const { client, clientSecret } = await register(['conversations']);
    const { access_token } = (await (await tokenByForm(client.clientId, clientSecret)).json()) as { access_token: string };
    expect((await t.request('/v1/auth/me', { token: access_token })).status).toBe(200);
    expect((await t.request(`/v1/oauth/clients/${client.clientId}`, { method: 'DELETE', token: t.tokens.admin })).status).toBe(200);
    const after = await t.request('/v1/auth/me', { token: access_token });
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe('AUTH_TOKEN_INVALID');
    expect((await tokenByForm(client.clientId, clientSecret)).status).toBe(401);
  });

  it('never stores the secret itself', async () => {
    const { clientSecret } = await register(['reports']);
    expect(JSON.stringify(t.app.db.prepare('SELECT * FROM oauth_clients').all())).not.toContain(clientSecret);
  });
});
