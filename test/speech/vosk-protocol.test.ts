import { describe, expect, it } from 'vitest';
import { SpeechError } from '../../src/speech/errors.ts';
import { applyVoskConfig, parseVoskTextMessage, toVoskMessage } from '../../src/speech/vosk-protocol.ts';
import type { RecognitionResult } from '../../src/speech/pool/messages.ts';

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
