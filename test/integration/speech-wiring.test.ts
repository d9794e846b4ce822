// The speech capability as the appliance wires it: readiness reports the recognizer, the
// vosk-server protocol on the main port needs a customer-channel token (offered as a
// WebSocket subprotocol, since browsers cannot set headers), and spoken words come back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';
import { chunk, connectVosk, say, silence, terminateVoskClients } from '../speech/support.ts';

let t: TestAppliance;
beforeAll(async () => {
  t = await startTestAppliance({ speech: { enabled: true, pool: { processes: 1 }, voskServer: { port: 0 }, audioSocket: { port: 0 } } });
});
afterAll(async () => {
  terminateVoskClients();
  await t?.close();
});

describe('speech in the appliance', () => {
  it('is part of readiness', async () => {
    const ready = (await (await t.request('/readyz')).json()) as { checks: Record<string, { ok: boolean }> };
    expect(ready.checks.speech?.ok).toBe(true);
  });

  it('tells the kiosk which languages it can hear (both demo models are installed)', async () => {
    const res = await t.request('/v1/auth/kiosk-session', { method: 'POST', json: {} });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { speech: { languages: string[] } }).speech.languages.sort()).toEqual(['en', 'zh']);
  });

  it('recognizes speech on /v1/speech for a kiosk token, and refuses a socket without one', async () => {
    const base = t.url.replace(/^http/, 'ws');
    const client = await connectVosk(`${base}/v1/speech`, { protocols: ['vosk', `bearer.${t.tokens.kiosk}`] });
    client.text({ config: { sample_rate: 8000 } });
    let final: Record<string, unknown> = {};
    for (const frame of chunk(Buffer.concat([silence(300), say('agent'), silence(900)]), 3200)) {
      const answer = await client.audio(frame);
      if (typeof answer.text === 'string' && answer.text) final = answer;
    }
    client.text({ eof: 1 });
    const last = await client.next();
    const text = [final.text, last.text].filter(Boolean).join(' ');
    expect(text).toContain('agent');

    await expect(connectVosk(`${base}/v1/speech`)).rejects.toThrow(/401/);
  });
});
