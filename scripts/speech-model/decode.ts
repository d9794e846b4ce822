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
  const d = Array.from({ length: ref.length + 1 }, (_, i) => i);
  for (let j = 1; j <= hyp.length; j++) {
    let diag = d[0] as number;
    d[0] = j;
    for (let i = 1; i <= ref.length; i++) {
      const up = d[i] as number;
      d[i] = Math.min(up + 1, (d[i - 1] as number) + 1, diag + (ref[i - 1] === hyp[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return d[ref.length] as number;
}

export interface Score {
  errors: number;
  words: number;
  utterances: number;
}

export function accuracy(s: Score): number {
  return s.words === 0 ? 0 : 1 - s.errors / s.words;
}

export function emptyScore(): Score {
  return { errors: 0, words: 0, utterances: 0 };
}

export function addScore(s: Score, ref: string[], hyp: string[]): void {
  s.errors += editDistance(ref, hyp);
  s.words += ref.length;
  s.utterances++;
}

export { VoskModel };
