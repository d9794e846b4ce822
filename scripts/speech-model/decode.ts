// Decoding through libvosk (the runtime path) and word-accuracy scoring, shared by the
// builder's dev-set tuning and the held-out benchmark.

import { VoskModel, VoskRecognizer } from '../../src/speech/libvosk.ts';

/** Streams `audio` (8 kHz PCM16) in 100 ms chunks, collecting every endpointed result. */
export function recognize(model: VoskModel, audio: Int16Array, grammar?: string[]): string[] {
  const rec = new VoskRecognizer(model, grammar ? { sampleRate: 8000, grammar } : { sampleRate: 8000 });
  try {
    const words: string[] = [];
    const take = (text: string): void => {
      for (const w of text.split(/\s+/)) if (w) words.push(w);
    };
    for (let i = 0; i < audio.length; i += 800) {
      if (rec.acceptWaveform(audio.subarray(i, Math.min(audio.length, i + 800)))) take(rec.result().text);
    }
    take(rec.finalResult().text);
    return words;
  } finally {
    rec.free();
  }
}

/** Levenshtein alignment cost between reference and hypothesis word sequences (S+D+I). */
export function editDistance(ref: string[], hyp: string[]): number {
  const e = errorCounts(ref, hyp);
  return e.substitutions + e.deletions + e.insertions;
}

export interface ErrorCounts {
  substitutions: number;
  deletions: number;
  insertions: number;
}

/** One minimum-cost alignment's substitutions, deletions and insertions (they sum to editDistance). */
export function errorCounts(ref: string[], hyp: string[]): ErrorCounts {
  // full cost table (not one row): the backtrace needs it to tell the three kinds apart
  const n = ref.length, m = hyp.length;
  const cost = Array.from({ length: n + 1 }, (_, i) => Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const row = cost[i] as number[], up = cost[i - 1] as number[];
      row[j] = Math.min((up[j - 1] as number) + (ref[i - 1] === hyp[j - 1] ? 0 : 1), (up[j] as number) + 1, (row[j - 1] as number) + 1);
    }
  }
  const out: ErrorCounts = { substitutions: 0, deletions: 0, insertions: 0 };
  let i = n, j = m;
  while (i > 0 || j > 0) {
    const here = (cost[i] as number[])[j] as number;
    const diag = i > 0 && j > 0 ? ((cost[i - 1] as number[])[j - 1] as number) + (ref[i - 1] === hyp[j - 1] ? 0 : 1) : Infinity;
    if (here === diag) {
      if (ref[i - 1] !== hyp[j - 1]) out.substitutions++;
      i--;
      j--;
    } else if (i > 0 && here === ((cost[i - 1] as number[])[j] as number) + 1) {
      out.deletions++;
      i--;
    } else {
      out.insertions++;
      j--;
    }
  }
  return out;
}

export interface Score extends ErrorCounts {
  errors: number;
  words: number;
  utterances: number;
}

export function accuracy(s: Score): number {
  return s.words === 0 ? 0 : 1 - s.errors / s.words;
}

export function emptyScore(): Score {
  return { errors: 0, words: 0, utterances: 0, substitutions: 0, deletions: 0, insertions: 0 };
}

export function addScore(s: Score, ref: string[], hyp: string[]): void {
  const e = errorCounts(ref, hyp);
  s.errors += e.substitutions + e.deletions + e.insertions;
  s.substitutions += e.substitutions;
  s.deletions += e.deletions;
  s.insertions += e.insertions;
  s.words += ref.length;
  s.utterances++;
}

export { VoskModel };
