// OpenFst binary VectorFst writer ("vector"/"standard" arcs, tropical weights) and the graphs
// the demo models use, written directly (no composition): a word loop with optional silence
// over whole-word HMMs, as a static HCLG, or as HCLr (+ a Gr word loop) for runtime grammars.
// Both free-recognition forms can carry the class-bigram language model of lm.ts.

import type { TransitionIds } from './kaldi-text.ts';
import type { LoopLm } from './lm.ts';

export interface Arc {
  ilabel: number;
  olabel: number;
  weight: number;
  next: number;
}

export class Fst {
  readonly arcs: Arc[][] = [];
  readonly finals: number[] = [];
  start = 0;

  addState(): number {
    this.arcs.push([]);
    this.finals.push(Infinity);
    return this.arcs.length - 1;
  }

  addArc(from: number, arc: Arc): void {
    const list = this.arcs[from];
    if (!list) throw new Error(`no state ${from}`);
    list.push(arc);
  }

  setFinal(state: number, weight = 0): void {
    this.finals[state] = weight;
  }

  sortArcs(by: 'ilabel' | 'olabel'): void {
    for (const list of this.arcs) list.sort((a, b) => (by === 'ilabel' ? a.ilabel - b.ilabel || a.olabel - b.olabel : a.olabel - b.olabel || a.ilabel - b.ilabel));
  }

  get numArcs(): number {
    return this.arcs.reduce((n, l) => n + l.length, 0);
  }
}

const FST_MAGIC = 2125659606;
// kExpanded | kMutable; OpenFst recomputes anything else it needs (accepted by libvosk).
const PROPERTIES = 3n;

/** Serializes an Fst in OpenFst's binary VectorFst format (version 2, no symbol tables). */
export function writeFstBinary(fst: Fst): Buffer {
  const parts: Buffer[] = [];
  const i32 = (v: number): void => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    parts.push(b);
  };
  const i64 = (v: bigint): void => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(v);
    parts.push(b);
  };
  const str = (s: string): void => {
    i32(Buffer.byteLength(s));
    parts.push(Buffer.from(s, 'ascii'));
  };
  i32(FST_MAGIC);
  str('vector');
  str('standard');
  i32(2); // version
  i32(0); // flags: no input/output symbol tables
  const props = Buffer.alloc(8);
  props.writeBigUInt64LE(PROPERTIES);
  parts.push(props);
  i64(BigInt(fst.start));
  i64(BigInt(fst.arcs.length));
  i64(BigInt(fst.numArcs));
  for (let s = 0; s < fst.arcs.length; s++) {
    const list = fst.arcs[s] ?? [];
    const head = Buffer.alloc(12);
    head.writeFloatLE(fst.finals[s] ?? Infinity, 0);
    head.writeBigInt64LE(BigInt(list.length), 4);
    parts.push(head);
    const body = Buffer.alloc(16 * list.length);
    list.forEach((a, k) => {
      body.writeInt32LE(a.ilabel, 16 * k);
      body.writeInt32LE(a.olabel, 16 * k + 4);
      body.writeFloatLE(a.weight, 16 * k + 8);
      body.writeInt32LE(a.next, 16 * k + 12);
    });
    parts.push(body);
  }
  return Buffer.concat(parts);
}

export interface LoopWord {
  /** Word id in words.txt. */
  wordId: number;
  /** Kaldi phone of this word's whole-word HMM. */
  phone: number;
  numStates: number;
  selfLoopProb: number[];
}

export interface WordLoopOptions {
  words: LoopWord[];
  silence: { phone: number; numStates: number; selfLoopProb: number[] };
  tids: TransitionIds;
  /** Graph cost added per word (the word insertion penalty); 0 for HCLr, which leaves it to G. */
  wordCost: number;
  /** Cost of entering optional silence between words. */
  silenceCost: number;
  /** Scale on HMM transition log-probabilities (Kaldi's transition/self-loop scale). */
  transitionScale: number;
  /** Language model over `words` (same order): one loop state per history instead of one. */
  lm?: LoopLm;
}

/**
 * Word loop over whole-word HMMs with optional silence, self-loops included, in Kaldi's
 * "reordered" form (the layout mkgraph produces and libvosk's word aligner expects): a state's
 * first frame is the transition that enters it, further frames are its self-loop. Each word's
 * output label sits on the first transition of its HMM. Without a language model, state 0 is
 * the start and the only final state and every HMM returns to it through an epsilon arc. With
 * one, there is a loop state per LM history (state h = history h, 0 the start): a word's HMM is
 * entered from every history at that history's cost and returns to the history the word leads
 * to, and silence returns where it came from (its HMM is copied per history). The same graph
 * serves as HCLG (wordCost = insertion penalty, lm = the class bigram) and as HCLr (wordCost 0
 * and no lm; Gr carries both).
 *
 * A path through states 0..N-1 with durations d_j reads fwd(0) self(0)^(d0-1) fwd(1)
 * self(1)^(d1-1) ...: every transition id still names the pdf of the frame it consumes, since a
 * state's forward and self-loop transitions share its pdf.
 */
export function buildWordLoop(o: WordLoopOptions): Fst {
  const fst = new Fst();
  const histories = o.lm?.histories ?? 1;
  for (let h = 0; h < histories; h++) fst.setFinal(fst.addState(), o.lm?.final[h] ?? 0);
  fst.start = 0;
  /** Adds one HMM entered from `entries` (state, cost) and returning to `exitTo`. */
  const addHmm = (phone: number, numStates: number, selfLoopProb: number[], entryOlabel: number, entries: [number, number][], exitTo: number): void => {
    const states: number[] = [];
    for (let j = 0; j < numStates; j++) states.push(fst.addState());
    for (let j = 0; j < numStates; j++) {
      const s = states[j] as number;
      const p = selfLoopProb[j] ?? 0.5;
      // entering state j consumes its first frame with j's forward transition id
      if (j === 0) for (const [from, cost] of entries) fst.addArc(from, { ilabel: o.tids.forward(phone, 0), olabel: entryOlabel, weight: cost, next: s });
      else {
        const prevP = selfLoopProb[j - 1] ?? 0.5;
        fst.addArc(states[j - 1] as number, { ilabel: o.tids.forward(phone, j), olabel: 0, weight: -Math.log(1 - prevP) * o.transitionScale, next: s });
      }
      fst.addArc(s, { ilabel: o.tids.selfLoop(phone, j), olabel: 0, weight: -Math.log(p) * o.transitionScale, next: s });
    }
    const lastP = selfLoopProb[numStates - 1] ?? 0.5;
    fst.addArc(states[numStates - 1] as number, { ilabel: 0, olabel: 0, weight: -Math.log(1 - lastP) * o.transitionScale, next: exitTo });
  };
  for (let h = 0; h < histories; h++) addHmm(o.silence.phone, o.silence.numStates, o.silence.selfLoopProb, 0, [[h, o.silenceCost]], h);
  o.words.forEach((w, i) => {
    const entries: [number, number][] = [];
    for (let h = 0; h < histories; h++) entries.push([h, o.wordCost + (o.lm?.entry[h]?.[i] ?? 0)]);
    addHmm(w.phone, w.numStates, w.selfLoopProb, w.wordId, entries, o.lm?.exit[i] ?? 0);
  });
  return fst;
}

/**
 * Gr.fst over `wordIds`: without a language model one final state with a self-loop per word
 * carrying the word insertion penalty; with one (same word order), a state per LM history.
 */
export function buildGrammarLoop(wordIds: number[], wordCost: number, lm?: LoopLm): Fst {
  const fst = new Fst();
  const histories = lm?.histories ?? 1;
  for (let h = 0; h < histories; h++) fst.setFinal(fst.addState(), lm?.final[h] ?? 0);
  fst.start = 0;
  for (let h = 0; h < histories; h++) wordIds.forEach((w, i) => fst.addArc(h, { ilabel: w, olabel: w, weight: wordCost + (lm?.entry[h]?.[i] ?? 0), next: lm?.exit[i] ?? 0 }));
  fst.sortArcs('ilabel');
  return fst;
}
