// Chinese-vs-English detection. The script of the letters is the signal that works on
// short and mixed input ("我的order号是 AB123"); n-gram language guessers need more text
// than a kiosk query gives and cannot tell apart two languages written in different scripts
// any better than counting those scripts.
import type { Language } from './types.ts';

export interface LanguageGuess {
  language: Language;
  /** 0..1; 0.5 means "no evidence either way" (the hint or default was used). */
  confidence: number;
}

export interface DetectLanguageOptions {
  /** Language to assume when the text carries no evidence (digits, punctuation) and to
   * lean towards when the evidence is balanced — e.g. the language of the conversation so far. */
  hint?: Language;
  /** Used when there is neither evidence nor hint. */
  fallback?: Language;
}

/** A Han character carries about a word's worth of meaning, a Latin letter a fifth of one;
 * weighting by this makes "我叫John" Chinese and "Please call 张伟" English. */
const HAN_WEIGHT = 3;
const LATIN_WEIGHT = 1;
/** Evidence (weighted units) at which confidence saturates; short texts stay less certain. */
const EVIDENCE_SCALE = 4;
/** Pseudo-evidence given to the hinted language so a balanced mix follows the conversation. */
const HINT_PRIOR = 1;

export function detectLanguage(text: string, options: DetectLanguageOptions = {}): LanguageGuess {
  const { han, latin } = countScriptLetters(text);
  const zh = han * HAN_WEIGHT + (options.hint === 'zh' ? HINT_PRIOR : 0);
  const en = latin * LATIN_WEIGHT + (options.hint === 'en' ? HINT_PRIOR : 0);
  if (han === 0 && latin === 0) {
    return { language: options.hint ?? options.fallback ?? 'en', confidence: 0.5 };
  }
  const language: Language = zh > en ? 'zh' : en > zh ? 'en' : (options.hint ?? options.fallback ?? 'en');
  const share = Math.max(zh, en) / (zh + en);
  const evidence = 1 - Math.exp(-(han * HAN_WEIGHT + latin * LATIN_WEIGHT) / EVIDENCE_SCALE);
  return { language, confidence: round3(0.5 + (share - 0.5) * evidence) };
}

/** Han characters, and Latin letters that belong to words — letters inside codes with digits
 * ("AB123", "ORD-2024") are identifiers, not English. */
function countScriptLetters(text: string): { han: number; latin: number } {
  let han = 0;
  let latin = 0;
  for (const token of text.normalize('NFKC').split(/[\s\p{P}\p{S}]+/u)) {
    if (!token) continue;
    const hanHere = token.match(/\p{Script=Han}/gu)?.length ?? 0;
    han += hanHere;
    for (const run of token.split(/\p{Script=Han}+/u)) {
      if (/\d/.test(run)) continue;
      latin += run.match(/\p{Script=Latin}/gu)?.length ?? 0;
    }
  }
  return { han, latin };
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
