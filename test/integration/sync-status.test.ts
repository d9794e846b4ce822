// The appliance as wired: every conversation change queues in the outbox even with no broker
// configured, and /v1/sync/status says so to supervisors (and to nobody else).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';

let t: TestAppliance;
beforeAll(async () => {
  t = await startTestAppliance();
});
afterAll(async () => {
  await t?.close();
});

describe('GET /v1/sync/status', () => {
  it('shows sync disabled and the outbox growing with each conversation change', async () => {
    const read = async () => (await (await t.request('/v1/sync/status', { token: t.tokens.supervisor })).json()) as { enabled: boolean; connection: { state: string }; outbox: { backlog: number } };
    const before = await read();
    expect(before.enabled).toBe(false);
    expect(before.connection.state).toBe('disabled');
    const c = await t.request('/v1/conversations', { method: 'POST', token: t.tokens.kiosk, json: { language: 'en' } });
    const id = ((await c.json()) as { conversation: { id: string } }).conversation.id;
    await t.request(`/v1/conversations/${id}/messages`, { method: 'POST', token: t.tokens.kiosk, json: { text: 'What are your opening hours?' } });
    const after = await read();
    expect(after.outbox.backlog).toBeGreaterThan(before.outbox.backlog);
  });

  it('is not for kiosks or agents', async () => {
    for (const token of [t.tokens.kiosk, t.tokens.agent]) {
      const res = await t.request('/v1/sync/status', { token });
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('AUTH_FORBIDDEN');
    }
  });
});
