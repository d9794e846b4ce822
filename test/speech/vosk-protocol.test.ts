import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { silentLogger } from '../../src/ops/index.ts';
import { SpeechError } from '../../src/speech/errors.ts';
import { applyVoskConfig, parseVoskTextMessage, toVoskMessage } from '../../src/speech/vosk-protocol.ts';
import { createVoskEndpoint, type VoskEndpoint } from '../../src/speech/vosk-socket.ts';
import type { FinalResult, RecognitionResult } from '../../src/speech/pool/messages.ts';
import type { RecognitionStream } from '../../src/speech/pool/stream.ts';
import type { SpeechRecognition } from '../../src/speech/recognition.ts';

describe('vosk-server protocol messages', () => {
  it.each([
    ['{"eof" : 1}', { type: 'eof' }],
    ['{"reset" : 1}', { type: 'reset' }],
    ['{"config" : {"sample_rate" : 8000}}', { type: 'config', config: { sample_rate: 8000 } }],
    [
      '{"config": {"sample_rate": 16000.0, "phrase_list": ["yes", "no", "[unk]"], "words": true, "max_alternatives": 3, "model": "demo-zh-8k"}}',
      { type: 'config', config: { sample_rate: 16000, phrase_list: ['yes', 'no', '[unk]'], words: true, max_alternatives: 3, model: 'demo-zh-8k' } },
    ],
  ])('parses %s', (text, expected) => {
    expect(parseVoskTextMessage(text)).toEqual(expected);
  });

  it.each([
    ['not json', 'MALFORMED_JSON'],
    ['[1]', 'SPEECH_CONFIG_INVALID'],
    ['{"hello": 1}', 'SPEECH_CONFIG_INVALID'],
    ['{"config": {"sample_rate": "8000"}}', 'SPEECH_CONFIG_INVALID'],
    ['{"config": {"sample_rate": -1}}', 'SPEECH_CONFIG_INVALID'],
    ['{"config": {"max_alternatives": 1.5}}', 'SPEECH_CONFIG_INVALID'],
    ['{"config": {"phrase_list": "yes no"}}', 'SPEECH_CONFIG_INVALID'],
    ['{"config": {"format": "opus"}}', 'SPEECH_CONFIG_INVALID'],
  ])('answers %s with %s', (text, code) => {
    try {
      parseVoskTextMessage(text);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(SpeechError);
      expect((err as SpeechError).code).toBe(code);
    }
  });

  it('applies config on top of the previous settings of the same connection only', () => {
    const base = { sampleRate: 8000, words: false, maxAlternatives: 0, encoding: 'pcm16' as const };
    const next = applyVoskConfig(base, { model: 'demo-zh-8k', words: true });
    expect(next).toEqual({ ...base, model: 'demo-zh-8k', words: true });
    expect(base).toEqual({ sampleRate: 8000, words: false, maxAlternatives: 0, encoding: 'pcm16' });
  });

  const final: RecognitionResult = {
    type: 'final',
    alternatives: [
      { text: 'card lost', confidence: 412.5, words: [{ word: 'card', start: 0.3, end: 0.6 }, { word: 'lost', start: 0.66, end: 1.02 }] },
      { text: 'card', confidence: 300, words: [{ word: 'card', start: 0.3, end: 0.6 }] },
    ],
    endpoint: 'model',
    utteranceMs: 1200,
    audioMs: 1200,
  };

  it.each([
    ['partial', { type: 'partial', partial: 'card', audioMs: 200 } as RecognitionResult, { words: true, maxAlternatives: 0 }, '{"partial":"card"}'],
    ['final, no words', final, { words: false, maxAlternatives: 0 }, '{"text":"card lost"}'],
    [
      'final with words',
      final,
      { words: true, maxAlternatives: 0 },
      '{"result":[{"conf":1,"end":0.6,"start":0.3,"word":"card"},{"conf":1,"end":1.02,"start":0.66,"word":"lost"}],"text":"card lost"}',
    ],
    ['n-best', final, { words: false, maxAlternatives: 1 }, '{"alternatives":[{"confidence":412.5,"text":"card lost"}]}'],
    [
      'n-best with words',
      final,
      { words: true, maxAlternatives: 2 },
      '{"alternatives":[{"confidence":412.5,"result":[{"end":0.6,"start":0.3,"word":"card"},{"end":1.02,"start":0.66,"word":"lost"}],"text":"card lost"},{"confidence":300,"result":[{"end":0.6,"start":0.3,"word":"card"}],"text":"card"}]}',
    ],
  ])('renders a %s result as vosk-server does', (_n, result, settings, json) => {
    expect(JSON.stringify(toVoskMessage(result, settings))).toBe(json);
  });
});

describe('vosk-server socket: frames sent ahead of their answers', () => {
  let endpoint: VoskEndpoint | undefined;
  afterEach(() => endpoint?.close());

  /** A recognizer whose answers the test releases by hand, in any order. */
  function heldRecognizer() {
    const held: Array<{ bytes: number; release(): void }> = [];
    const flushed: FinalResult = { type: 'final', alternatives: [{ text: 'card lost', confidence: 1 }], endpoint: 'flush', utteranceMs: 500, audioMs: 500 };
    const stream = {
      maxPendingFrames: 100,
      accept: (audio: Uint8Array) =>
        new Promise<RecognitionResult>((resolve) => {
          const n = held.length + 1;
          held.push({ bytes: audio.byteLength, release: () => resolve({ type: 'partial', partial: `frame ${n}`, audioMs: n * 100 }) });
        }),
      flush: async () => flushed,
      close: () => undefined,
      onFailure: () => () => undefined,
    } as unknown as RecognitionStream;
    const recognition = { validate: () => undefined, open: async () => stream } as unknown as SpeechRecognition;
    return { held, recognition };
  }

  it('hands every frame to the recognizer at once and answers in the order the frames came, the final after them', async () => {
    const { held, recognition } = heldRecognizer();
    endpoint = createVoskEndpoint({ recognition, defaults: { sampleRate: 8000, words: false, maxAlternatives: 0, encoding: 'pcm16' }, maxFrameBytes: 64_000, idleTimeoutMs: 10_000, logger: silentLogger });
    const port = await endpoint.listen(0, '127.0.0.1');
    const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
    const answers: string[] = [];
    ws.on('message', (data) => answers.push(data.toString()));
    const closed = new Promise<void>((r) => ws.once('close', () => r()));
    await new Promise<void>((r, j) => {
      ws.once('open', () => r());
      ws.once('error', j);
    });
    ws.send(JSON.stringify({ config: { sample_rate: 8000 } }));
    for (let i = 1; i <= 5; i++) ws.send(Buffer.alloc(1600 + i));
    ws.send('{"eof" : 1}');

    // All five are at the recognizer before any answer: the session does not wait for answers.
    for (let i = 0; i < 100 && held.length < 5; i++) await new Promise((r) => setTimeout(r, 10));
    expect(held.map((h) => h.bytes)).toEqual([1601, 1602, 1603, 1604, 1605]);
    expect(answers).toEqual([]);

    // The recognizer finishes them last to first; the client still hears them first to last.
    for (const h of [...held].reverse()) h.release();
    await closed;
    expect(answers).toEqual(['{"partial":"frame 1"}', '{"partial":"frame 2"}', '{"partial":"frame 3"}', '{"partial":"frame 4"}', '{"partial":"frame 5"}', '{"text":"card lost"}']);
  });
});
