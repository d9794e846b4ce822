import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/ops/index.ts';
import { SpeechConfigSchema } from '../../src/speech/config.ts';
import { EspeakTts } from '../../src/speech/tts.ts';

const config = SpeechConfigSchema.parse({}).tts;

describe('eSpeak NG text-to-speech', () => {
  it('renders English and Mandarin to telephony PCM at the asked rate, deterministically', async () => {
    const tts = new EspeakTts({ ...config, cacheEntries: 0 }, silentLogger);
    const en = await tts.synthesize('Your balance is ready.', 'en', 8000);
    const again = await tts.synthesize('Your balance is ready.', 'en', 8000);
    const zh = await tts.synthesize('您好，请问有什么可以帮您？', 'zh', 8000);
    const wide = await tts.synthesize('Your balance is ready.', 'en', 16000);
    expect(en.length / 8000).toBeGreaterThan(0.8);
    expect(en.length / 8000).toBeLessThan(4);
    expect(Buffer.from(again.buffer).equals(Buffer.from(en.buffer))).toBe(true);
    expect(zh.length / 8000).toBeGreaterThan(1);
    expect(Math.abs(wide.length - 2 * en.length)).toBeLessThan(16);
    expect(en.some((s) => Math.abs(s) > 1000)).toBe(true); // speech, not silence
  });

  it('serves a repeated prompt from its cache', async () => {
    const tts = new EspeakTts(config, silentLogger);
    const first = await tts.synthesize('Welcome.', 'en', 8000);
    expect(await tts.synthesize('Welcome.', 'en', 8000)).toBe(first);
  });

  it('fails with TTS_FAILED when eSpeak NG is not installed', async () => {
    const tts = new EspeakTts({ ...config, command: '/nonexistent/espeak-ng' }, silentLogger);
    await expect(tts.synthesize('hello', 'en', 8000)).rejects.toMatchObject({ code: 'TTS_FAILED' });
  });

  it('kills a synthesis that takes too long (TTS_TIMEOUT)', async () => {
    const tts = new EspeakTts({ ...config, timeoutMs: 500, wordsPerMinute: 80 }, silentLogger);
    await expect(tts.synthesize('word '.repeat(20_000), 'en', 8000)).rejects.toMatchObject({ code: 'TTS_TIMEOUT' });
  });
});
