// The class bigram of free recognition: estimation from transcripts, its graph costs, and the
// two graphs that carry it (Gr.fst for HCLr + Gr, the static HCLG's loop states).

import { describe, expect, it } from 'vitest';
import { buildGrammarLoop, buildWordLoop } from '../../scripts/speech-model/fst.ts';
import { transitionIds, type PhoneHmm } from '../../scripts/speech-model/kaldi-text.ts';
import { estimateClassBigram, loopLm } from '../../scripts/speech-model/lm.ts';

const DIGITS = ['one', 'two', 'three'];
const VOCAB = [...DIGITS, 'hello', 'agent'];
const classOf = (t: string): number => (DIGITS.includes(t) ? 0 : VOCAB.includes(t) ? 1 : -1);

describe('estimateClassBigram', () => {
  it('counts class transitions with add-one smoothing; every row is a distribution', () => {
    const lm = estimateClassBigram([['one', 'two', 'three'], ['hello'], ['two', 'agent'], ['agent']], ['digit', 'word'], VOCAB, classOf);
    expect(lm.classSize).toEqual([3, 2]);
    // start: digit 2 (+1), word 2 (+1), end never (0) -> 3/6, 3/6, 0
    expect(lm.probabilities[0]).toEqual([0.5, 0.5, 0]);
    // after a digit: digit 2 (+1), word 1 (+1), end 1 (+1) -> 3/7, 2/7, 2/7
    expect(lm.probabilities[1]?.map((p) => p * 7)).toEqual([3, 2, 2].map((x) => expect.closeTo(x, 9)));
    // after a word: digit 0 (+1), word 0 (+1), end 3 (+1) -> 1/6, 1/6, 4/6
    expect(lm.probabilities[2]?.map((p) => p * 6)).toEqual([1, 1, 4].map((x) => expect.closeTo(x, 9)));
    for (const row of lm.probabilities) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('rejects a transcript word outside every class, and a class without words', () => {
    expect(() => estimateClassBigram([['one', 'zebra']], ['digit', 'word'], VOCAB, classOf)).toThrow(/zebra has no word class/);
    expect(() => estimateClassBigram([], ['digit', 'word', 'name'], VOCAB, classOf)).toThrow(/every word class needs a word/);
  });
});

describe('loopLm', () => {
  const lm = estimateClassBigram([['one', 'two', 'three'], ['one', 'two'], ['hello']], ['digit', 'word'], VOCAB, classOf);
  const tokens = ['hello', 'one', 'agent', 'two', 'three'];
  const g = loopLm(lm, tokens, classOf);

  it('costs words by -log P(class | history) / class size, shifted so the likeliest continuation costs 0', () => {
    expect(g.histories).toBe(3);
    expect(Math.min(...g.entry.flat())).toBe(0);
    const cost = (h: number, c: number): number => -Math.log((lm.probabilities[h]?.[c] as number) / (lm.classSize[c] as number));
    // differences between any two arcs are those of the bigram
    expect((g.entry[1]?.[2] as number) - (g.entry[1]?.[1] as number)).toBeCloseTo(cost(1, 1) - cost(1, 0), 9);
    expect((g.entry[0]?.[0] as number) - (g.entry[2]?.[3] as number)).toBeCloseTo(cost(0, 1) - cost(2, 0), 9);
    // a digit after a digit is cheaper than a command word after a digit
    expect(g.entry[1]?.[1]).toBeLessThan(g.entry[1]?.[0] as number);
  });

  it('sends each word to its class history and ends for free only at the start', () => {
    expect(g.exit).toEqual([2, 1, 2, 1, 1]);
    expect(g.final[0]).toBe(0);
    expect(g.final[1]).toBeCloseTo(-Math.log(lm.probabilities[1]?.[2] as number), 9);
    expect(g.final[2]).toBeCloseTo(-Math.log(lm.probabilities[2]?.[2] as number), 9);
  });

  it('scales every cost by the LM scale', () => {
    const half = loopLm(lm, tokens, classOf, 0.5);
    expect(half.entry.flat()).toEqual(g.entry.flat().map((x) => expect.closeTo(x / 2, 9)));
    expect(half.final).toEqual(g.final.map((x) => expect.closeTo(x / 2, 9)));
  });

  describe('in the graphs', () => {
    const wordIds = [1, 2, 3, 4, 5];
    it('Gr.fst has a state per history; arcs carry word cost + LM cost and lead to the word class history', () => {
      const gr = buildGrammarLoop(wordIds, 0.25, g);
      expect(gr.arcs.length).toBe(3);
      expect(gr.finals).toEqual(g.final.map((x) => expect.closeTo(x, 6)));
      for (let h = 0; h < 3; h++) {
        const arcs = gr.arcs[h] ?? [];
        expect(arcs.map((a) => a.ilabel)).toEqual([1, 2, 3, 4, 5]);
        arcs.forEach((a, i) => {
          expect(a.olabel).toBe(a.ilabel);
          expect(a.weight).toBeCloseTo(0.25 + (g.entry[h]?.[i] as number), 9);
          expect(a.next).toBe(g.exit[i]);
        });
      }
    });

    it('the static HCLG enters each shared word HMM from every history and returns to the word class history; silence returns where it began', () => {
      const phones: PhoneHmm[] = [{ phone: 1, numStates: 1, firstPdf: 0, selfLoopProb: [0.8] }, ...wordIds.map((w, i) => ({ phone: w + 1, numStates: 2, firstPdf: 1 + 2 * i, selfLoopProb: [0.5, 0.5] }))];
      const tids = transitionIds(phones);
      const fst = buildWordLoop({
        words: wordIds.map((w) => ({ wordId: w, phone: w + 1, numStates: 2, selfLoopProb: [0.5, 0.5] })),
        silence: { phone: 1, numStates: 1, selfLoopProb: [0.8] },
        tids, wordCost: 1, silenceCost: 0, transitionScale: 1, lm: g,
      });
      // 3 history states, 3 silence copies (1 state each), 5 words x 2 states
      expect(fst.arcs.length).toBe(3 + 3 + 10);
      expect(fst.finals.slice(0, 3)).toEqual(g.final.map((x) => expect.closeTo(x, 6)));
      for (let h = 0; h < 3; h++) {
        const wordEntries = (fst.arcs[h] ?? []).filter((a) => a.olabel > 0);
        expect(wordEntries.map((a) => a.olabel)).toEqual(wordIds);
        wordEntries.forEach((a, i) => expect(a.weight).toBeCloseTo(1 + (g.entry[h]?.[i] as number), 9));
        const silence = (fst.arcs[h] ?? []).find((a) => a.olabel === 0);
        const back = (fst.arcs[silence?.next ?? -1] ?? []).find((a) => a.ilabel === 0);
        expect(back?.next).toBe(h);
      }
      // word i's HMM (shared by all histories) exits to history exit[i]
      wordIds.forEach((w, i) => {
        const first = fst.arcs[0]?.find((a) => a.olabel === w)?.next ?? -1;
        for (let h = 1; h < 3; h++) expect(fst.arcs[h]?.find((a) => a.olabel === w)?.next).toBe(first);
        const second = (fst.arcs[first] ?? []).find((a) => a.ilabel === tids.forward(w + 1, 1))?.next ?? -1;
        const exit = (fst.arcs[second] ?? []).find((a) => a.ilabel === 0);
        expect(exit?.next).toBe(g.exit[i]);
      });
    });
  });
});
