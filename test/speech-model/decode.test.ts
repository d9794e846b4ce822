// Word-error bookkeeping used by the dev tuning and the accuracy benchmark.
import { describe, expect, it } from 'vitest';
import { accuracy, addScore, editDistance, emptyScore, errorCounts } from '../../scripts/speech-model/decode.ts';

describe('word errors', () => {
  it('splits the edit distance into substitutions, deletions and insertions', () => {
    expect(errorCounts(['one', 'two', 'three'], ['one', 'two', 'three'])).toEqual({ substitutions: 0, deletions: 0, insertions: 0 });
    expect(errorCounts(['five', 'five', 'six'], ['five', 'six'])).toEqual({ substitutions: 0, deletions: 1, insertions: 0 });
    expect(errorCounts(['one'], ['one', 'oh'])).toEqual({ substitutions: 0, deletions: 0, insertions: 1 });
    expect(errorCounts(['two', 'nine'], ['hello', 'nine'])).toEqual({ substitutions: 1, deletions: 0, insertions: 0 });
    expect(errorCounts(['a', 'b', 'c'], [])).toEqual({ substitutions: 0, deletions: 3, insertions: 0 });
    expect(errorCounts([], ['x', 'y'])).toEqual({ substitutions: 0, deletions: 0, insertions: 2 });
  });

  /** Textbook Levenshtein distance, independent of the code under test. */
  const levenshtein = (a: string[], b: string[]): number => {
    const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    return d[a.length]![b.length]!;
  };

  it('always sums to the edit distance', () => {
    const words = ['a', 'b', 'c', 'd'];
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let k = 0; k < 300; k++) {
      const ref = Array.from({ length: rand(7) }, () => words[rand(4)] as string);
      const hyp = Array.from({ length: rand(7) }, () => words[rand(4)] as string);
      const e = errorCounts(ref, hyp);
      expect(e.substitutions + e.deletions + e.insertions).toBe(levenshtein(ref, hyp));
      expect(editDistance(ref, hyp)).toBe(levenshtein(ref, hyp));
      // ref = matches + S + D and hyp = matches + S + I along any alignment
      expect(e.deletions - e.insertions).toBe(ref.length - hyp.length);
    }
  });

  it('scores word accuracy as 1 - (S+D+I)/N', () => {
    const s = emptyScore();
    addScore(s, ['one', 'two', 'three', 'four'], ['one', 'three', 'four', 'oh']);
    expect(s).toMatchObject({ errors: 2, deletions: 1, insertions: 1, substitutions: 0, words: 4, utterances: 1 });
    expect(accuracy(s)).toBe(0.5);
  });
});
