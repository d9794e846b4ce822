// The supervised recognizer pool against real libvosk and the demo model: capacity, crash of a
// recognizer process (kill -9) and a hung one (SIGSTOP), with the other streams untouched.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/ops/index.ts';
import { SpeechError } from '../../src/speech/errors.ts';
import { inspectModel, type SpeechModelInfo } from '../../src/speech/models.ts';
import { RecognizerPool } from '../../src/speech/pool/pool.ts';
import type { RecognitionResult } from '../../src/speech/pool/messages.ts';
import type { RecognitionStream } from '../../src/speech/pool/stream.ts';
import { SPEECH_MODELS_DIR, chunk, say, silence } from './support.ts';

let pool: RecognizerPool;
let model: SpeechModelInfo;
const open = (overrides: Partial<Parameters<RecognizerPool['openStream']>[0]> = {}) =>
  pool.openStream({ model, sampleRate: 8000, encoding: 'pcm16', words: false, maxAlternatives: 0, ...overrides });

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const allReady = () => pool.status().processes.every((p) => p.state === 'ready');

async function recognize(stream: RecognitionStream, audio: Buffer): Promise<string> {
  const texts: string[] = [];
  for (const frame of chunk(audio, 640)) {
    const r = await stream.accept(frame);
    if (r.type === 'final' && r.alternatives[0]?.text) texts.push(r.alternatives[0].text);
  }
  const last = await stream.flush();
  if (last.alternatives[0]?.text) texts.push(last.alternatives[0].text);
  return texts.join(' ');
}

beforeAll(async () => {
  const found = inspectModel('demo-en-8k', join(SPEECH_MODELS_DIR, 'demo-en-8k'));
  if (!found) throw new Error(`demo model missing in ${SPEECH_MODELS_DIR}`);
  model = found;
  pool = new RecognizerPool({
    processes: 2,
    maxStreams: 3,
    requestTimeoutMs: 1500,
    restartInitialBackoffMs: 50,
    restartMaxBackoffMs: 200,
    maxPendingFramesPerStream: 100,
    endpointing: { trailingSilenceMs: 800, maxUtteranceMs: 15_000 },
    preloadModels: [model.path],
    logger: silentLogger,
  });
  await pool.start();
});

afterAll(() => pool?.close());

describe('recognizer pool', () => {
  it('answers frames sent without waiting for answers one each, in order, with the same transcript', async () => {
    const audio = Buffer.concat([silence(300), say('card stolen'), silence(900)]);
    const frames = chunk(audio, 1600);
    expect(frames.length).toBeLessThan(100); // within maxPendingFramesPerStream
    const transcript = (results: RecognitionResult[]) => results.flatMap((r) => (r.type === 'final' && r.alternatives[0]?.text ? [r.alternatives[0].text] : [])).join(' ');

    const sequential = await open();
    const one: RecognitionResult[] = [];
    for (const f of frames) one.push(await sequential.accept(f));
    one.push(await sequential.flush());
    sequential.close();

    const stream = await open();
    const all = await Promise.all(frames.map((f) => stream.accept(f)));
    all.push(await stream.flush());
    stream.close();

    let bytes = 0;
    const audioMsAfterEachFrame = frames.map((f) => ((bytes += f.byteLength) * 1000) / 2 / 8000);
    expect(all.slice(0, -1).map((r) => r.audioMs)).toEqual(audioMsAfterEachFrame);
    expect(all.map((r) => r.type)).toEqual(one.map((r) => r.type));
    expect(transcript(all)).toBe(transcript(one));
    expect(transcript(all)).toContain('card');
  });

  it('recognizes the same words from PCM16, G.711 µ-law and A-law audio', async () => {
    const pcm = Buffer.concat([silence(300), say('agent'), silence(900)]);
    const samples = new Int16Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 2);
    const { encodeG711 } = await import('../../src/speech/audio/index.ts');
    const texts: string[] = [];
    for (const encoding of ['pcm16', 'mulaw', 'alaw'] as const) {
      const stream = await open({ encoding });
      const audio = encoding === 'pcm16' ? pcm : Buffer.from(encodeG711(samples, encoding));
      texts.push(await recognize(stream, audio));
      stream.close();
    }
    expect(texts).toEqual(['agent', 'agent', 'agent']);
  });

  it('ends an utterance on its own after a pause (endpointing), before any flush', async () => {
    const stream = await open();
    const finals = [];
    for (const frame of chunk(Buffer.concat([say('yes'), silence(1500)]), 320)) {
      const r = await stream.accept(frame);
      if (r.type === 'final') finals.push(r);
    }
    stream.close();
    expect(finals.map((f) => f.alternatives[0]?.text)).toEqual(['yes']);
    expect(['model', 'silence']).toContain(finals[0]?.endpoint);
  });

  it('refuses a stream past capacity with SPEECH_BUSY, and takes one again when a slot frees', async () => {
    const streams = [await open(), await open(), await open()];
    await expect(open()).rejects.toMatchObject({ code: 'SPEECH_BUSY' });
    streams[0]!.close();
    const again = await open();
    for (const s of [again, ...streams]) s.close();
    expect(pool.activeStreams).toBe(0);
  });

  it('spreads streams opened at the same moment over the processes (a burst of calls uses every core)', async () => {
    await waitFor(allReady);
    const streams = await Promise.all([open(), open(), open()]);
    const perProcess = pool.status().processes.map((p) => p.streams).sort();
    expect(perProcess).toEqual([1, 2]);
    expect(new Set(streams.map((s) => s.pid)).size).toBe(2);
    for (const s of streams) s.close();
    expect(pool.activeStreams).toBe(0);
  });

  it('fails only the streams of a recognizer process that is killed, restarts it, and serves new streams', async () => {
    await waitFor(allReady);
    const a = await open();
    const b = await open();
    expect(a.pid).not.toBe(b.pid); // least-loaded placement spreads streams over the processes
    const told: SpeechError[] = [];
    a.onFailure((err) => told.push(err));
    await a.accept(silence(200));

    process.kill(a.pid!, 'SIGKILL');
    await expect(a.accept(silence(200))).rejects.toMatchObject({ code: 'SPEECH_ENGINE_RESTARTED' });
    expect(told.map((e) => e.code)).toEqual(['SPEECH_ENGINE_RESTARTED']);
    expect(a.state).toBe('failed');

    // The other process and its stream are untouched.
    expect((await b.accept(silence(200))).type).toBe('partial');
    b.close();

    await waitFor(allReady);
    const c = await open();
    expect(await recognize(c, Buffer.concat([say('agent'), silence(900)]))).toBe('agent');
    c.close();
    expect(pool.status().processes.reduce((n, p) => n + p.restarts, 0)).toBeGreaterThanOrEqual(1);
  });

  it('kills and restarts a recognizer process that stops answering (hung libvosk)', async () => {
    await waitFor(allReady);
    const stream = await open();
    const pid = stream.pid!;
    process.kill(pid, 'SIGSTOP');
    const started = Date.now();
    await expect(stream.accept(silence(200))).rejects.toMatchObject({ code: 'SPEECH_ENGINE_RESTARTED' });
    expect(Date.now() - started).toBeLessThan(5000);
    await waitFor(allReady);
    expect(pool.status().processes.map((p) => p.pid)).not.toContain(pid);
  });

  it('bounds the audio one stream may have waiting', async () => {
    await waitFor(allReady);
    const small = new RecognizerPool({
      processes: 1,
      maxStreams: 1,
      requestTimeoutMs: 5000,
      restartInitialBackoffMs: 50,
      restartMaxBackoffMs: 200,
      maxPendingFramesPerStream: 3,
      endpointing: { trailingSilenceMs: 800, maxUtteranceMs: 15_000 },
      logger: silentLogger,
    });
    await small.start();
    try {
      const stream = await small.openStream({ model, sampleRate: 8000, encoding: 'pcm16', words: false, maxAlternatives: 0 });
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => stream.accept(silence(100))));
      expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['SPEECH_STREAM_OVERLOADED', 'SPEECH_STREAM_OVERLOADED']);
    } finally {
      await small.close();
    }
  });
});

describe('recognizer pool started small', () => {
  const smallPool = () =>
    new RecognizerPool({
      processes: 2,
      startProcesses: 1,
      maxStreams: 4,
      requestTimeoutMs: 5000,
      restartInitialBackoffMs: 50,
      restartMaxBackoffMs: 200,
      maxPendingFramesPerStream: 100,
      endpointing: { trailingSilenceMs: 800, maxUtteranceMs: 15_000 },
      preloadModels: [model.path],
      logger: silentLogger,
    });

  it('runs one process while idle and starts another when calls keep it busy', async () => {
    const small = smallPool();
    try {
      await small.start();
      expect(small.status().processes.map((p) => p.state)).toEqual(['ready', 'idle']);
      const first = await small.openStream({ model, sampleRate: 8000, encoding: 'pcm16', words: false, maxAlternatives: 0 });
      expect(small.status().processes[1]?.state).toBe('idle');
      // A second call while the first process is busy brings up the second process.
      const second = await small.openStream({ model, sampleRate: 8000, encoding: 'pcm16', words: false, maxAlternatives: 0 });
      await waitFor(() => small.status().processes.every((p) => p.state === 'ready'));
      const third = await small.openStream({ model, sampleRate: 8000, encoding: 'pcm16', words: false, maxAlternatives: 0 });
      expect(small.status().processes.map((p) => p.streams).sort()).toEqual([1, 2]);
      expect(await recognize(third, Buffer.concat([silence(300), say('agent'), silence(900)]))).toContain('agent');
      for (const s of [first, second, third]) s.close();
    } finally {
      await small.close();
    }
  });

  it('spreads a burst of calls onto the process it starts for them, not only the one already running', async () => {
    const small = smallPool();
    try {
      await small.start();
      const burst = await Promise.all(Array.from({ length: 4 }, () => small.openStream({ model, sampleRate: 8000, encoding: 'pcm16', words: false, maxAlternatives: 0 })));
      // Before: all four on the first process (the second was still booting when they arrived).
      expect(small.status().processes.map((p) => p.streams)).toEqual([2, 2]);
      expect(small.status().processes.map((p) => p.state)).toEqual(['ready', 'ready']);
      expect(await recognize(burst[3]!, Buffer.concat([silence(300), say('agent'), silence(900)]))).toContain('agent');
      for (const s of burst) s.close();
    } finally {
      await small.close();
    }
  });
});
