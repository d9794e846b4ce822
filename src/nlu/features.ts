// Turns an utterance into the terms the intent classifier sees. One analyzer per language
// because the useful units differ: English is words + characters within words; Chinese has
// no spaces, so character n-grams stand in for words without a (memory-hungry, error-prone)
// segmenter.
import type { Language } from './types.ts';
import { englishStems, normalizeEnglish } from './english-text.ts';

/** Terms carry a one-letter block prefix ("c|", "w|", "z|"); each block is TF-IDF-weighted
 * and L2-normalized on its own so no block drowns the other (like a scikit-learn FeatureUnion). */
export type TermBlock = 'c' | 'w' | 'z';

export interface AnalyzerOptions {
  /** Character n-gram range inside words (English). */
  charMin: number;
  charMax: number;
  /** Word n-gram range over stems (English). */
  wordMax: number;
  /** Unit n-gram range (Chinese characters and Latin words). */
  zhMin: number;
  zhMax: number;
}

export const DEFAULT_ANALYZER_OPTIONS: AnalyzerOptions = { charMin: 2, charMax: 5, wordMax: 2, zhMin: 1, zhMax: 3 };

export function analyze(text: string, language: Language, options: AnalyzerOptions): string[] {
  return language === 'zh' ? chineseTerms(text, options) : englishTerms(text, options);
}

/** Digit runs become "0": "order 12345678" and "order 87654321" should look alike to the
 * classifier; the value itself is the entity extractor's business. */
function maskDigits(text: string): string {
  return text.replace(/\d+/g, '0');
}

function englishTerms(text: string, options: AnalyzerOptions): string[] {
  const normalized = maskDigits(normalizeEnglish(text));
  const terms: string[] = [];
  for (const word of normalized.split(/\s+/)) {
    if (word) pushCharGrams(` ${word} `, options.charMin, options.charMax, terms);
  }
  const stems = englishStems(normalized).filter((stem) => stem.length > 1);
  for (let n = 1; n <= options.wordMax; n++) {
    for (let i = 0; i + n <= stems.length; i++) terms.push(`w|${stems.slice(i, i + n).join(' ')}`);
  }
  return terms;
}

/** Character n-grams of a space-padded word; a word shorter than n yields itself once. */
function pushCharGrams(padded: string, min: number, max: number, out: string[]): void {
  for (let n = min; n <= max; n++) {
    if (padded.length <= n) {
      out.push(`c|${padded}`);
      break;
    }
    for (let i = 0; i + n <= padded.length; i++) out.push(`c|${padded.slice(i, i + n)}`);
  }
}

const HAN = /\p{Script=Han}/u;

/** Units: each Han character, and each run of Latin letters/digits as one unit ("我的order号"
 * → 我 的 order 号). Punctuation separates phrases; n-grams never cross it. */
export function chineseUnits(text: string): string[][] {
  const normalized = maskDigits(text.normalize('NFKC').toLowerCase());
  const phrases: string[][] = [];
  let current: string[] = [];
  for (const match of normalized.matchAll(/\p{Script=Han}|[\p{L}\p{N}]+|\s+|[^\p{L}\p{N}\s]/gu)) {
    const unit = match[0];
    if (HAN.test(unit) || /^[\p{L}\p{N}]+$/u.test(unit)) {
      current.push(unit);
    } else if (!/^\s+$/.test(unit) && current.length > 0) {
      phrases.push(current);
      current = [];
    }
  }
  if (current.length > 0) phrases.push(current);
  return phrases;
}

function chineseTerms(text: string, options: AnalyzerOptions): string[] {
  const terms: string[] = [];
  for (const units of chineseUnits(text)) {
    for (let n = options.zhMin; n <= options.zhMax; n++) {
      for (let i = 0; i + n <= units.length; i++) terms.push(`z|${units.slice(i, i + n).join('')}`);
    }
  }
  return terms;
}
