// The OpenFst binary writer: the header and arc layout OpenFst expects, and the word-loop
// graphs the demo models ship (libvosk acceptance is covered by the probe-model MFCC test, which
// decodes through a written HCLG, and by the demo-model tests for HCLr/Gr and graph-static).

import { describe, expect, it } from 'vitest';
import { buildGrammarLoop, buildWordLoop, Fst, writeFstBinary } from '../../scripts/speech-model/fst.ts';
import { transitionIds, transitionModelText, type PhoneHmm } from '../../scripts/speech-model/kaldi-text.ts';

function readString(b: Buffer, o: number): [string, number] {
  const n = b.readInt32LE(o);
  return [b.subarray(o + 4, o + 4 + n).toString('ascii'), o + 4 + n];
}

describe('writeFstBinary', () => {
  it('writes the OpenFst VectorFst header and arcs', () => {
    const f = new Fst();
    const a = f.addState();
    const b = f.addState();
    f.start = a;
    f.addArc(a, { ilabel: 3, olabel: 7, weight: 0.5, next: b });
    f.setFinal(b, 0);
    const buf = writeFstBinary(f);
    expect(buf.readInt32LE(0)).toBe(2125659606);
    let o = 4;
    let s: string;
    [s, o] = readString(buf, o);
    expect(s).toBe('vector');
    [s, o] = readString(buf, o);
    expect(s).toBe('standard');
    expect(buf.readInt32LE(o)).toBe(2); // version
    expect(buf.readInt32LE(o + 4)).toBe(0); // flags
    o += 8 + 8; // properties
    expect(buf.readBigInt64LE(o)).toBe(0n); // start
    expect(buf.readBigInt64LE(o + 8)).toBe(2n); // states
    expect(buf.readBigInt64LE(o + 16)).toBe(1n); // arcs
    o += 24;
    expect(buf.readFloatLE(o)).toBe(Infinity); // state 0 not final
    expect(buf.readBigInt64LE(o + 4)).toBe(1n);
    o += 12;
    expect([buf.readInt32LE(o), buf.readInt32LE(o + 4), buf.readFloatLE(o + 8), buf.readInt32LE(o + 12)]).toEqual([3, 7, 0.5, 1]);
    o += 16;
    expect(buf.readFloatLE(o)).toBe(0); // state 1 final
    expect(buf.readBigInt64LE(o + 4)).toBe(0n);
    expect(buf.length).toBe(o + 12);
  });
});

describe('word-loop graphs', () => {
  const phones: PhoneHmm[] = [
    { phone: 1, numStates: 1, firstPdf: 0, selfLoopProb: [0.8] },
    { phone: 2, numStates: 3, firstPdf: 1, selfLoopProb: [0.6, 0.6, 0.6] },
    { phone: 3, numStates: 2, firstPdf: 4, selfLoopProb: [0.5, 0.7] },
  ];
  const tids = transitionIds(phones);

  it('numbers transition ids like Kaldi (sorted tuples, self-loop then forward)', () => {
    expect(tids.numTransitionIds).toBe(12);
    expect(tids.selfLoop(1, 0)).toBe(1);
    expect(tids.forward(1, 0)).toBe(2);
    expect(tids.selfLoop(2, 0)).toBe(3);
    expect(tids.forward(3, 1)).toBe(12);
    expect(Array.from(tids.pdfOf)).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    const text = transitionModelText(phones);
    expect(text).toContain('<Tuples> 6');
    expect(text.trim().endsWith('</TransitionModel>')).toBe(true);
  });

  it('puts each word label on the first transition of its HMM (reordered form), and every HMM returns to the loop state', () => {
    const g = buildWordLoop({
      words: [
        { wordId: 1, phone: 2, numStates: 3, selfLoopProb: [0.6, 0.6, 0.6] },
        { wordId: 2, phone: 3, numStates: 2, selfLoopProb: [0.5, 0.7] },
      ],
      silence: { phone: 1, numStates: 1, selfLoopProb: [0.8] },
      tids,
      wordCost: 2.5,
      silenceCost: 0,
      transitionScale: 1,
    });
    expect(g.finals[g.start]).toBe(0);
    const entries = [...(g.arcs[g.start] ?? [])].sort((a, b) => a.olabel - b.olabel);
    expect(entries.map((a) => [a.ilabel, a.olabel])).toEqual([
      [tids.forward(1, 0), 0],
      [tids.forward(2, 0), 1],
      [tids.forward(3, 0), 2],
    ]);
    expect(entries.filter((a) => a.olabel > 0).every((a) => a.weight === 2.5)).toBe(true);
    const returning = g.arcs.flat().filter((a) => a.next === g.start);
    expect(returning.length).toBe(3);
    expect(returning.every((a) => a.ilabel === 0 && a.olabel === 0)).toBe(true);
    // per HMM: one entering arc and one self-loop per state, plus the return arc
    expect(g.numArcs).toBe(3 + 7 + 5);
    // self-loops carry -log p
    const selfLoop = g.arcs.flat().find((a) => a.ilabel === tids.selfLoop(3, 1));
    expect(selfLoop?.weight).toBeCloseTo(-Math.log(0.7), 6);
  });

  it('Gr is a one-state word loop sorted by input label', () => {
    const gr = buildGrammarLoop([3, 1, 2], 1.5);
    expect(gr.arcs.length).toBe(1);
    expect((gr.arcs[0] ?? []).map((a) => a.ilabel)).toEqual([1, 2, 3]);
    expect((gr.arcs[0] ?? []).every((a) => a.olabel === a.ilabel && a.weight === 1.5 && a.next === 0)).toBe(true);
  });
});
