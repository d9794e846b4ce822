// Reads a yes or no answer. An exact short keyword ("yes", "好的", "不是") is trusted first —
// classifiers are least reliable on one-word messages — then the NLU's affirm/deny intents.
import type { Understanding } from '../nlu/types.ts';
import { INTENT } from './intents.ts';

export type YesNo = 'yes' | 'no';

const EN_YES = new Set(['yes', 'y', 'yeah', 'yep', 'yup', 'sure', 'ok', 'okay', 'correct', 'right', 'confirm', 'please', 'go ahead', 'do it', 'please do', 'yes please', 'that is right', "that's right", 'absolutely', 'of course']);
const EN_NO = new Set(['no', 'n', 'nope', 'nah', 'no thanks', 'no thank you', 'not now', 'wrong', 'incorrect', "don't", 'do not', 'never mind', 'no way']);
const ZH_YES = new Set(['是', '是的', '对', '对的', '对啊', '好', '好的', '好啊', '可以', '行', '嗯', '嗯嗯', '确认', '没错', '没问题', '要', '需要', '确定']);
const ZH_NO = new Set(['不', '不是', '不对', '不要', '不用', '不用了', '不需要', '否', '没有', '算了', '错了', '不行', '别', '没了']);

/** Lower-cased, punctuation and surrounding polite filler stripped. */
function normalize(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(oh|well|um|uh) /, '')
    .replace(/ (please|thanks|thank you)$/, '')
    .replace(/(吧|啊|呀|呢|的呀|谢谢)$/u, '');
}

export function yesNoKeyword(text: string): YesNo | null {
  const t = normalize(text);
  if (t === '') return null;
  // Negatives first: "不是" contains "是".
  if (EN_NO.has(t) || ZH_NO.has(t)) return 'no';
  if (EN_YES.has(t) || ZH_YES.has(t)) return 'yes';
  const first = t.split(' ')[0] ?? '';
  if (first === 'no' || first === 'nope') return 'no';
  if (first === 'yes' || first === 'yeah' || first === 'yep') return 'yes';
  if (t.length <= 4 && /^(不|没)/u.test(t)) return 'no';
  return null;
}

export function readYesNo(input: Understanding): YesNo | null {
  const keyword = yesNoKeyword(input.text);
  if (keyword) return keyword;
  if (input.outOfScope) return null;
  if (input.intent === INTENT.affirm) return 'yes';
  if (input.intent === INTENT.deny) return 'no';
  return null;
}
