// Mandarin for eSpeak NG: Debian's espeak-ng reads Hanzi through an incomplete dictionary
// (much comes out as English-spelled letters and digits), but its pinyin voice speaks
// tone-numbered pinyin well. pinyin-pro (offline dictionary, context-aware polyphones)
// converts replies before synthesis.
import { pinyin } from 'pinyin-pro';

const HAN = /\p{Script=Han}/u;
const PUNCTUATION: Record<string, string> = { '。': '. ', '，': ', ', '、': ', ', '？': '? ', '！': '! ', '：': ': ', '；': '; ', '（': ' (', '）': ') ', '“': ' ', '”': ' ', '《': ' ', '》': ' ' };

/** True for eSpeak voices that take pinyin with tone numbers (e.g. "cmn-latn-pinyin"). */
export function isPinyinVoice(voice: string): boolean {
  return /pinyin/i.test(voice);
}

/** "营业时间。" → "ying2 ye4 shi2 jian1. "; text without Hanzi is returned unchanged. */
export function toTonedPinyin(text: string): string {
  if (!HAN.test(text)) return text;
  const converted = pinyin(text, { toneType: 'num', type: 'string', nonZh: 'consecutive' });
  return (
    converted
      // eSpeak's pinyin voice writes the neutral tone as 5.
      .replace(/([a-zü]+)0\b/g, '$15')
      .replace(/ü/g, 'v')
      .replace(/[。，、？！：；（）“”《》]/g, (p) => PUNCTUATION[p] ?? ' ')
      .replace(/\s+([.,?!:;)])/g, '$1')
      .replace(/\s+/g, ' ')
      .trim()
  );
}
