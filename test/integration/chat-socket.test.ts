// The WebSocket chat channel with a real server, real NLU and a real SQLite file: protocol
// behaviour, bad frames, resume after a reconnect, and a multi-turn conversation per language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient } from '../support/chat-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';

let t: TestAppliance;
beforeAll(async () => {
  t = await startTestAppliance();
});
afterAll(async () => {
  await t?.close();
});

async function hello(language: 'en' | 'zh', conversationId?: string) {
  const c = await ChatClient.connect(t.url);
  c.send({ type: 'hello', token: t.tokens.kiosk, language, ...(conversationId ? { conversationId } : {}) });
  const welcome = await c.next('welcome');
  return { c, welcome };
}

describe('chat protocol', () => {
  it('greets with a new conversation in the chosen language and answers pings', async () => {
    const { c, welcome } = await hello('zh');
    expect(welcome.status).toBe('active');
    expect(welcome.agentName).toBeNull();
    expect(welcome.turns[0]?.speaker).toBe('bot');
    expect(welcome.turns[0]?.text).toMatch(/[\u4e00-\u9fff]/);
    c.send({ type: 'ping' });
    await c.next('pong');
    c.close();
  });

  it('requires hello first', async () => {
    const c = await ChatClient.connect(t.url);
    c.send({ type: 'message', text: 'hi' });
    expect((await c.next('error')).error.code).toBe('AUTH_REQUIRED');
    c.close();
  });

  it('refuses a bad token and keeps the connection usable', async () => {
    const c = await ChatClient.connect(t.url);
    c.send({ type: 'hello', token: 'nope' });
    expect((await c.next('error')).error.code).toBe('AUTH_TOKEN_INVALID');
    c.send({ type: 'hello', token: t.tokens.kiosk, language: 'en' });
    expect((await c.next('welcome')).status).toBe('active');
    c.close();
  });

  it.each([
    ['malformed JSON', '{"type": "message", ', 'MALFORMED_JSON'],
    ['an unknown message type', { type: 'shout', text: 'hi' }, 'VALIDATION_FAILED'],
    ['a message without text', { type: 'message' }, 'VALIDATION_FAILED'],
    ['an oversized message', { type: 'message', text: 'x'.repeat(1001) }, 'MESSAGE_TOO_LONG'],
    ['a second hello', { type: 'hello', token: 'x' }, 'CONVERSATION_STATE_CONFLICT'],
  ])('answers %s with an error and stays open', async (_l, frame, code) => {
    const { c } = await hello('en');
    c.send(frame);
    expect((await c.next('error')).error.code).toBe(code);
    const reply = await c.say('What are your opening hours?');
    expect(reply.botTexts.length).toBeGreaterThan(0);
    c.close();
  });

  it('closes the socket on a frame larger than the body limit', async () => {
    const { c } = await hello('en');
    c.send({ type: 'message', text: 'x'.repeat(1024 * 1024 + 10) });
    expect((await c.closed).code).toBe(1009);
  });

  it('closes a socket that never says hello', async () => {
    const small = await startTestAppliance();
    try {
      const c = await ChatClient.connect(small.url);
      // The default hello timeout is 10 s; the close must come with 4401 and an error first.
      expect((await c.next('error', 15_000)).error.code).toBe('AUTH_REQUIRED');
      expect((await c.closed).code).toBe(4401);
    } finally {
      await small.close();
    }
  }, 30_000);

  it('resumes a conversation after a reconnect with the whole transcript, and de-duplicates a resend', async () => {
    const first = await hello('en');
    const id = first.welcome.conversationId;
    await first.c.say('What are your opening hours?', 'm-1');
    first.c.close();
    await first.c.closed;

    const again = await hello('en', id);
    expect(again.welcome.conversationId).toBe(id);
    const texts = again.welcome.turns.map((x) => x.text);
    expect(texts).toContain('What are your opening hours?');
    const before = again.welcome.turns.length;

    const resend = await again.c.say('What are your opening hours?', 'm-1');
    expect(resend.turns[0]?.text).toBe('What are your opening hours?');
    const view = t.app.conversations.get(id);
    expect(view.turns.length).toBe(before);
    again.c.close();
  });

  it('names the agent serving the conversation when a page resumes it', async () => {
    const { c, welcome } = await hello('en');
    const asked = await c.say('agent please');
    expect(asked.status).toBe('awaiting_agent');
    c.close();
    t.app.conversations.assignAgent(welcome.conversationId, { subject: 'account:mei', name: 'Mei Chen' });
    const resumed = await hello('en', welcome.conversationId);
    expect(resumed.welcome.status).toBe('with_agent');
    expect(resumed.welcome.agentName).toBe('Mei Chen');
    resumed.c.close();
  });

  it('does not let a kiosk resume a conversation it did not start', async () => {
    const { welcome } = await hello('en');
    const paired = await t.request('/v1/devices', { method: 'POST', token: t.tokens.admin, json: { name: 'Other kiosk' } });
    const { deviceToken } = (await paired.json()) as { deviceToken: string };
    const session = (await (await t.request('/v1/auth/kiosk-session', { method: 'POST', json: { deviceToken } })).json()) as { accessToken: string; speech: { languages: string[] } };
    // speech is off in this appliance: the kiosk is told it can hear no language
    expect(session.speech.languages).toEqual([]);
    const c = await ChatClient.connect(t.url);
    c.send({ type: 'hello', token: session.accessToken, conversationId: welcome.conversationId });
    expect((await c.next('error')).error.code).toBe('CONVERSATION_NOT_FOUND');
    c.close();
  });
});
