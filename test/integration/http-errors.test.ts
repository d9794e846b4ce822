// Every class of bad input gets its stable error code in the one envelope, and nothing that
// was stored before is lost or changed by it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenIssuer } from '../../src/auth/index.ts';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';

let t: TestAppliance;
let conversationId: string;
let transcriptBefore: unknown;

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

beforeAll(async () => {
  t = await startTestAppliance();
  const res = await t.request('/v1/conversations', { method: 'POST', token: t.tokens.kiosk, json: { language: 'en' } });
  conversationId = ((await res.json()) as { conversation: { id: string } }).conversation.id;
  await t.request(`/v1/conversations/${conversationId}/messages`, { method: 'POST', token: t.tokens.kiosk, json: { text: 'What are your opening hours?' } });
  transcriptBefore = await (await t.request(`/v1/conversations/${conversationId}`, { token: t.tokens.kiosk })).json();
});

afterAll(async () => {
  await t?.close();
});

describe('bad input', () => {
  const msgPath = () => `/v1/conversations/${conversationId}/messages`;

  it('malformed JSON → MALFORMED_JSON', async () => {
    const res = await t.request(msgPath(), { method: 'POST', token: t.tokens.kiosk, headers: { 'content-type': 'application/json' }, body: '{"text": "hi"' });
    await expectError(res, 400, 'MALFORMED_JSON');
  });

  it('invalid UTF-8 in a JSON body → MALFORMED_JSON', async () => {
    const res = await t.request(msgPath(), { method: 'POST', token: t.tokens.kiosk, headers: { 'content-type': 'application/json' }, body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) });
    await expectError(res, 400, 'MALFORMED_JSON');
  });

  it('wrong content type → UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await t.request(msgPath(), { method: 'POST', token: t.tokens.kiosk, headers: { 'content-type': 'text/plain' }, body: 'hello' });
    await expectError(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('a body of the wrong shape → VALIDATION_FAILED naming the field', async () => {
    const res = await t.request(msgPath(), { method: 'POST', token: t.tokens.kiosk, json: { txt: 'hello' } });
    const body = await expectError(res, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(body)).toContain('text');
  });

  it('an empty message → VALIDATION_FAILED', async () => {
    await expectError(await t.request(msgPath(), { method: 'POST', token: t.tokens.kiosk, json: { text: '   ' } }), 400, 'VALIDATION_FAILED');
  });

  it('unknown conversation → CONVERSATION_NOT_FOUND', async () => {
    await expectError(await t.request('/v1/conversations/conv_nope/messages', { method: 'POST', token: t.tokens.kiosk, json: { text: 'hi' } }), 404, 'CONVERSATION_NOT_FOUND');
    await expectError(await t.request('/v1/conversations/conv_nope', { token: t.tokens.kiosk }), 404, 'CONVERSATION_NOT_FOUND');
  });

  it('an oversized message → MESSAGE_TOO_LONG', async () => {
    const body = await expectError(await t.request(msgPath(), { method: 'POST', token: t.tokens.kiosk, json: { text: 'a'.repeat(1001) } }), 400, 'MESSAGE_TOO_LONG');
    expect(JSON.stringify(body)).toContain('1000');
  });

  it('an oversized body → PAYLOAD_TOO_LARGE', async () => {
    const res = await t.request(msgPath(), { method: 'POST', token: t.tokens.kiosk, json: { text: 'x'.repeat(2 * 1024 * 1024) } });
    await expectError(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  it.each(['"', 'AND (', 'card OR', 'title:foo', '*', 'NEAR(a b', "'; DROP TABLE articles; --"])('FTS syntax %j in a search is treated as text, never a server error', async (q) => {
    const res = await t.request(`/v1/kb/search?q=${encodeURIComponent(q)}`, { token: t.tokens.agent });
    if (res.status === 200) {
      expect(Array.isArray(((await res.json()) as { items: unknown[] }).items)).toBe(true);
    } else {
      await expectError(res, 400, 'KB_QUERY_INVALID');
    }
  });

  it('FTS syntax inside a customer message still gets a reply', async () => {
    const res = await t.request(msgPath(), { method: 'POST', token: t.tokens.kiosk, json: { text: 'card AND ( "lost' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { turns: { speaker: string }[] };
    expect(body.turns.some((x) => x.speaker === 'bot')).toBe(true);
  });

  it('missing token → AUTH_REQUIRED', async () => {
    await expectError(await t.request('/v1/conversations', { method: 'POST', json: {} }), 401, 'AUTH_REQUIRED');
  });

  it('garbage token → AUTH_TOKEN_INVALID', async () => {
    await expectError(await t.request('/v1/conversations', { method: 'POST', token: 'garbage', json: {} }), 401, 'AUTH_TOKEN_INVALID');
  });

  it('expired token → AUTH_TOKEN_EXPIRED', async () => {
    const secret = readFileSync(join(t.dataDir, 'jwt-secret'), 'utf8').trim();
    const past = new TokenIssuer(secret, () => new Date(Date.now() - 2 * 3600_000));
    const [admin] = t.app.auth.listAccounts().filter((a) => a.role === 'admin');
    const { token } = await past.issue({ subject: `account:${admin!.id}`, role: 'admin', name: 'admin' }, 60);
    await expectError(await t.request('/v1/accounts', { token }), 401, 'AUTH_TOKEN_EXPIRED');
  });

  it.each([
    ['a kiosk editing the knowledge base', 'kiosk', 'POST', '/v1/kb/articles'],
    ['an agent creating accounts', 'agent', 'POST', '/v1/accounts'],
    ['a kiosk listing all conversations', 'kiosk', 'GET', '/v1/conversations'],
    ['an installer reading conversations', 'installer', 'GET', '/v1/conversations'],
    ['a supervisor pairing devices', 'supervisor', 'POST', '/v1/devices'],
  ] as const)('wrong role (%s) → AUTH_FORBIDDEN', async (_l, role, method, path) => {
    const res = await t.request(path, { method, token: t.tokens[role], ...(method === 'POST' ? { json: {} } : {}) });
    await expectError(res, 403, 'AUTH_FORBIDDEN');
  });

  it('a kiosk cannot read a conversation another kiosk started', async () => {
    const paired = await t.request('/v1/devices', { method: 'POST', token: t.tokens.admin, json: { name: 'Second kiosk' } });
    const { deviceToken } = (await paired.json()) as { deviceToken: string };
    const session = await t.request('/v1/auth/kiosk-session', { method: 'POST', json: { deviceToken } });
    const other = ((await session.json()) as { accessToken: string }).accessToken;
    await expectError(await t.request(`/v1/conversations/${conversationId}`, { token: other }), 404, 'CONVERSATION_NOT_FOUND');
  });

  it('unknown route → ROUTE_NOT_FOUND', async () => {
    await expectError(await t.request('/v1/nope'), 404, 'ROUTE_NOT_FOUND');
  });

  it('left the stored conversation exactly as it was (plus the one good message)', async () => {
    const after = (await (await t.request(`/v1/conversations/${conversationId}`, { token: t.tokens.kiosk })).json()) as { turns: unknown[] };
    const before = transcriptBefore as { turns: unknown[] };
    expect(after.turns.slice(0, before.turns.length)).toEqual(before.turns);
    const customerTexts = (after.turns as { speaker: string; text: string }[]).filter((x) => x.speaker === 'customer').map((x) => x.text);
    expect(customerTexts).toEqual(['What are your opening hours?', 'card AND ( "lost']);
    expect(t.app.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
