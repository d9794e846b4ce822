import { describe, expect, it } from 'vitest';
import { isPinyinVoice, toTonedPinyin } from '../../src/speech/pinyin.ts';

describe('Mandarin text for eSpeak NG', () => {
  it.each([
    ['营业时间', 'ying2 ye4 shi2 jian1'],
    ['您好，请问有什么可以帮您？', 'nin2 hao3, qing3 wen4 you3 shen2 me5 ke3 yi3 bang1 nin2?'],
    ['绿卡', 'lv4 ka3'],
    ['Card ending 1234 已冻结。', 'Card ending 1234 yi3 dong4 jie2.'],
    ['plain English stays as it is', 'plain English stays as it is'],
  ])('%s → %s', (text, expected) => expect(toTonedPinyin(text)).toBe(expected));

  it('applies only to pinyin voices', () => {
    expect(isPinyinVoice('cmn-latn-pinyin')).toBe(true);
    expect(isPinyinVoice('en-us')).toBe(false);
  });
});
