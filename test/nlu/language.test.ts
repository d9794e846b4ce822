// Language detection on the short, mixed and number-only inputs kiosks actually get.
import { describe, expect, it } from 'vitest';
import { detectLanguage, type Language } from '../../src/nlu/index.ts';

describe('detectLanguage', () => {
  it.each<[string, Language]>([
    ['I forgot my password', 'en'],
    ['我忘记密码了', 'zh'],
    ['ok', 'en'],
    ['好', 'zh'],
    ['我的order号是 AB123', 'zh'],
    ['我叫John', 'zh'],
    ['Please call 张伟 back', 'en'],
    ['ORD-20240518-001 where is it', 'en'],
    ['ＡＴＭ机吞卡了', 'zh'],
    ['转人工!!!', 'zh'],
  ])('%s → %s', (text, language) => {
    expect(detectLanguage(text).language).toBe(language);
  });

  it('falls back to the hint, then the default, when there are no letters', () => {
    expect(detectLanguage('12345678', { hint: 'zh' })).toEqual({ language: 'zh', confidence: 0.5 });
    expect(detectLanguage('138 1234 5678')).toEqual({ language: 'en', confidence: 0.5 });
    expect(detectLanguage('???', { fallback: 'zh' })).toEqual({ language: 'zh', confidence: 0.5 });
    expect(detectLanguage('')).toEqual({ language: 'en', confidence: 0.5 });
  });

  it('does not count letters inside codes as English', () => {
    expect(detectLanguage('AB123', { hint: 'zh' }).language).toBe('zh');
  });

  it('is more confident on longer text and on unmixed text', () => {
    const short = detectLanguage('ok').confidence;
    const long = detectLanguage('I would like to check the status of my order').confidence;
    const mixed = detectLanguage('我的order号是 AB123').confidence;
    const pure = detectLanguage('我的订单号是多少').confidence;
    expect(short).toBeGreaterThan(0.5);
    expect(long).toBeGreaterThan(short);
    expect(long).toBeGreaterThan(0.95);
    expect(pure).toBeGreaterThan(mixed);
  });

  it('lets the hint decide a balanced mix', () => {
    expect(detectLanguage('好 ok', { hint: 'zh' }).language).toBe('zh');
    expect(detectLanguage('好 ok', { hint: 'en' }).language).toBe('en');
  });
});
