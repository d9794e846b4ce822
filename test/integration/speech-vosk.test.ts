// The vosk-server WebSocket protocol on both ports, against real libvosk and the demo models,
// next to a running appliance.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';
import { connectVosk, finalText, say, silence, startSpeechHarness, streamAudio, terminateVoskClients, type SpeechHarness } from '../speech/support.ts';

let t: TestAppliance;
let h: SpeechHarness;

beforeAll(async () => {
  t = await startTestAppliance();
  h = await startSpeechHarness(t, { pool: { processes: 2, startProcesses: 2, maxStreams: 4, restartInitialBackoffMs: 50 }, maxFrameBytes: 64_000, audioSocket: { enabled: false } });
});

afterEach(async () => {
  terminateVoskClients();
  await waitFor(() => h.speech.status().streams === 0);
});

afterAll(async () => {
  await h?.close();
  await t?.close();
});

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const AGENT = () => Buffer.concat([silence(300), say('agent'), silence(300)]);

describe.each([
  ['the main port (/v1/speech)', () => h.mainUrl],
  ['the dedicated vosk-server port', () => h.voskUrl],
])('vosk-server protocol on %s', (_name, url) => {
  it('answers every audio frame with exactly one partial or final, and eof with the final then a normal close', async () => {
    const c = await connectVosk(url());
    c.text({ config: { sample_rate: 8000 } });
    const answers = await streamAudio(c, AGENT(), 1600);
    expect(answers.length).toBe(Math.ceil(AGENT().byteLength / 1600));
    for (const a of answers) expect(Object.keys(a).sort()).toSatisfy((k: string[]) => k.join() === 'partial' || k.join() === 'text');
    expect(answers.some((a) => a.partial === 'agent')).toBe(true);
    c.text('{"eof" : 1}');
    const last = await c.next();
    expect(finalText([...answers, last])).toBe('agent');
    expect(await c.closed).toMatchObject({ code: 1000 });
  });

  it('gives word times with "words": true and n-best lists with max_alternatives, in vosk-server shape', async () => {
    const c = await connectVosk(url());
    c.text({ config: { sample_rate: 8000, words: true } });
    await streamAudio(c, AGENT());
    c.text({ eof: 1 });
    const final = (await c.next()) as { text: string; result: Array<{ word: string; start: number; end: number; conf: number }> };
    expect(final.text).toBe('agent');
    expect(final.result).toHaveLength(1);
    const w = final.result[0]!;
    expect(w).toMatchObject({ word: 'agent', conf: 1 });
    // The word sits inside the audio, not 3x too late (the subsampling pitfall). The demo model
    // has no word-boundary file, so its word start includes the leading silence.
    expect(w.start).toBeGreaterThanOrEqual(0);
    expect(w.end).toBeGreaterThan(w.start + 0.2);
    expect(w.end).toBeLessThanOrEqual(AGENT().byteLength / 16000 + 0.05);

    const n = await connectVosk(url());
    n.text({ config: { sample_rate: 8000, max_alternatives: 2 } });
    await streamAudio(n, AGENT());
    n.text({ eof: 1 });
    const nbest = (await n.next()) as { alternatives: Array<{ text: string; confidence: number }> };
    expect(nbest.alternatives[0]?.text).toBe('agent');
    expect(typeof nbest.alternatives[0]?.confidence).toBe('number');
  });

  it('flushes the utterance on reset and keeps listening', async () => {
    const c = await connectVosk(url());
    await streamAudio(c, Buffer.concat([silence(200), say('yes')]));
    c.text('{"reset" : 1}');
    expect(await c.next()).toEqual({ text: 'yes' });
    const answers = await streamAudio(c, Buffer.concat([say('no'), silence(300)]));
    c.text({ eof: 1 });
    expect(finalText([...answers, await c.next()])).toBe('no');
  });

  it('restricts recognition to the connection\'s phrase_list (a per-stream grammar), and only for that connection', async () => {
    const limited = await connectVosk(url());
    limited.text({ config: { sample_rate: 8000, phrase_list: ['yes', 'no', '[unk]'] } });
    const answers = await streamAudio(limited, AGENT());
    limited.text({ eof: 1 });
    const heard = finalText([...answers, await limited.next()]);
    expect(heard.split(' ').every((w) => ['yes', 'no', '[unk]', ''].includes(w))).toBe(true);

    const free = await connectVosk(url());
    const freeAnswers = await streamAudio(free, AGENT());
    free.text({ eof: 1 });
    expect(finalText([...freeAnswers, await free.next()])).toBe('agent');
  });

  it('takes 16 kHz audio for the 8 kHz model (libvosk downsamples)', async () => {
    const c = await connectVosk(url());
    c.text({ config: { sample_rate: 16000 } });
    const answers = await streamAudio(c, Buffer.concat([silence(300, 16000), say('agent', { rate: 16000 }), silence(300, 16000)]), 3200);
    c.text({ eof: 1 });
    expect(finalText([...answers, await c.next()])).toBe('agent');
  });
});

describe('vosk-server protocol errors', () => {
  it.each([
    ['malformed JSON', 'not json', 'MALFORMED_JSON', 1007],
    ['a config that does not validate', '{"config": {"sample_rate": "fast"}}', 'SPEECH_CONFIG_INVALID', 1007],
    ['an unknown message', '{"hello": 1}', 'SPEECH_CONFIG_INVALID', 1007],
    ['a sample rate below the model rate', '{"config": {"sample_rate": 4000}}', 'SPEECH_SAMPLE_RATE_UNSUPPORTED', 1003],
    ['a sample rate not offered', '{"config": {"sample_rate": 11025}}', 'SPEECH_SAMPLE_RATE_UNSUPPORTED', 1003],
    ['G.711 at 16 kHz', '{"config": {"sample_rate": 16000, "format": "mulaw"}}', 'AUDIO_FORMAT_UNSUPPORTED', 1003],
    ['a model that is not installed', '{"config": {"model": "en-us-big"}}', 'SPEECH_MODEL_NOT_FOUND', 1008],
    ['a model given as a path', '{"config": {"model": "../models/demo-en-8k"}}', 'SPEECH_MODEL_NOT_FOUND', 1008],
  ])('answers %s with the error envelope and closes', async (_name, message, code, closeCode) => {
    const c = await connectVosk(h.voskUrl);
    c.text(message);
    const answer = (await c.next()) as { error: { code: string; message: string } };
    expect(answer.error.code).toBe(code);
    expect(answer.error.message).toEqual(expect.any(String));
    expect((await c.closed).code).toBe(closeCode);
  });

  it('answers an oversized audio frame with SPEECH_FRAME_TOO_LARGE and close code 1009', async () => {
    const c = await connectVosk(h.mainUrl);
    c.ws.send(Buffer.alloc(64_002));
    expect(await c.next()).toMatchObject({ error: { code: 'SPEECH_FRAME_TOO_LARGE' } });
    expect((await c.closed).code).toBe(1009);
  });

  it('frees the recognizer slot of a client that disconnects abruptly mid-utterance', async () => {
    const before = h.speech.status().streams;
    const c = await connectVosk(h.voskUrl);
    await c.audio(say('agent').subarray(0, 3200));
    expect(h.speech.status().streams).toBe(before + 1);
    c.ws.terminate();
    await waitFor(() => h.speech.status().streams === before);
    const again = await connectVosk(h.voskUrl);
    expect(await again.audio(silence(100))).toEqual({ partial: '' });
    again.ws.close();
  });

  it('refuses a connection past capacity with SPEECH_BUSY (close 1013) while the others keep working', async () => {
    const clients = [];
    for (let i = 0; i < 4; i++) {
      const c = await connectVosk(h.voskUrl);
      await c.audio(silence(100));
      clients.push(c);
    }
    const extra = await connectVosk(h.mainUrl);
    extra.ws.send(silence(100));
    expect(await extra.next()).toMatchObject({ error: { code: 'SPEECH_BUSY' } });
    expect((await extra.closed).code).toBe(1013);
    expect(await clients[0]!.audio(silence(100))).toHaveProperty('partial');
    for (const c of clients) c.ws.close();
    await waitFor(() => h.speech.status().streams === 0);
  });

  it('tells a client whose recognizer process crashed (SPEECH_ENGINE_RESTARTED, 1011); other clients and the appliance keep working', async () => {
    await waitFor(() => h.speech.status().processes.every((p) => p.state === 'ready'));
    const victim = await connectVosk(h.voskUrl);
    await victim.audio(silence(100));
    const bystander = await connectVosk(h.voskUrl);
    await bystander.audio(silence(100));
    const procs = h.speech.status().processes;
    const victimPid = procs.find((p) => p.streams === 1)?.pid;
    expect(procs.filter((p) => p.streams === 1)).toHaveLength(2);
    process.kill(victimPid!, 'SIGKILL');
    expect(await victim.next()).toMatchObject({ error: { code: 'SPEECH_ENGINE_RESTARTED' } });
    expect((await victim.closed).code).toBe(1011);
    // The other process's stream goes on, the HTTP API answers, and a new call is recognized.
    expect(await bystander.audio(silence(100))).toHaveProperty('partial');
    bystander.ws.close();
    expect((await t.request('/healthz')).status).toBe(200);
    await waitFor(() => h.speech.status().processes.every((p) => p.state === 'ready'));
    const fresh = await connectVosk(h.voskUrl);
    const answers = await streamAudio(fresh, AGENT());
    fresh.text({ eof: 1 });
    expect(finalText([...answers, await fresh.next()])).toBe('agent');
  });
});

describe('model selection per connection', () => {
  it('keeps each connection on its own model, including the next connection after a model switch', async () => {
    const zh = await connectVosk(h.voskUrl);
    zh.text({ config: { sample_rate: 8000, model: 'demo-zh-8k' } });
    const en = await connectVosk(h.voskUrl);
    en.text({ config: { sample_rate: 8000 } });
    const zhAnswers = await streamAudio(zh, Buffer.concat([silence(300), say('ren2 gong1', { voice: 'cmn-latn-pinyin' }), silence(300)]));
    const enAnswers = await streamAudio(en, AGENT());
    zh.text({ eof: 1 });
    en.text({ eof: 1 });
    expect(finalText([...zhAnswers, await zh.next()]).replace(/\s/g, '')).toBe('人工');
    expect(finalText([...enAnswers, await en.next()])).toBe('agent');

    // vosk-server's bug: the model a client chose became every later client's model.
    const after = await connectVosk(h.voskUrl);
    const answers = await streamAudio(after, AGENT());
    after.text({ eof: 1 });
    expect(finalText([...answers, await after.next()])).toBe('agent');
  });

  it('picks a language\'s model with the "language" extension', async () => {
    const c = await connectVosk(h.mainUrl);
    c.text({ config: { sample_rate: 8000, language: 'zh' } });
    const answers = await streamAudio(c, Buffer.concat([silence(300), say('zai4 jian4', { voice: 'cmn-latn-pinyin' }), silence(300)]));
    c.text({ eof: 1 });
    expect(finalText([...answers, await c.next()]).replace(/\s/g, '')).toBe('再见');
  });
});

describe('authorization hook for the main port', () => {
  it('refuses an upgrade on /v1/speech the appliance does not authorize, and lets an authorized one through', async () => {
    const guarded = await startSpeechHarness(
      t,
      { pool: { processes: 1 }, voskServer: { enabled: false }, audioSocket: { enabled: false } },
      { authorize: (req) => String(req.headers['sec-websocket-protocol'] ?? '').includes('token.good') },
    );
    try {
      await expect(connectVosk(guarded.mainUrl)).rejects.toThrow(/401/);
      const ok = await connectVosk(guarded.mainUrl, { protocols: ['vosk', 'token.good'] });
      expect(await ok.audio(silence(100))).toEqual({ partial: '' });
      ok.ws.close();
    } finally {
      await guarded.close();
    }
  });
});
