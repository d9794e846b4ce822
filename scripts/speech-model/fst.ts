// OpenFst binary VectorFst writer ("vector"/"standard" arcs, tropical weights) and the graphs
// the demo models use, written directly (no composition): a word loop with optional silence
// over whole-word HMMs, as a static HCLG, or as HCLr (+ a Gr word loop) for runtime grammars.

import type { TransitionIds } from './kaldi-text.ts';

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
}

/**
 * Word loop over whole-word HMMs with optional silence, self-loops included, in Kaldi's
 * "reordered" form (the layout mkgraph produces and libvosk's word aligner expects): a state's
 * first frame is the transition that enters it, further frames are its self-loop. State 0 is
 * the start and the only final state; each word's output label sits on the first transition
 * of its HMM, and every HMM returns to state 0 through an epsilon arc. The same graph serves as
 * HCLG (wordCost = insertion penalty) and as HCLr (wordCost 0; Gr carries the penalty).
 *
 * A path through states 0..N-1 with durations d_j reads fwd(0) self(0)^(d0-1) fwd(1)
 * self(1)^(d1-1) ...: every transition id still names the pdf of the frame it consumes, since a
 * state's forward and self-loop transitions share its pdf.
 */
export function buildWordLoop(o: WordLoopOptions): Fst {
  const fst = new Fst();
  const loop = fst.addState();
  fst.start = loop;
  fst.setFinal(loop, 0);
  const addHmm = (phone: number, numStates: number, selfLoopProb: number[], entryOlabel: number, entryCost: number): void => {
    const states: number[] = [];
    for (let j = 0; j < numStates; j++) states.push(fst.addState());
    for (let j = 0; j < numStates; j++) {
      const s = states[j] ?? loop;
      const p = selfLoopProb[j] ?? 0.5;
      // entering state j consumes its first frame with j's forward transition id
      const from = j === 0 ? loop : (states[j - 1] ?? loop);
      const prevP = j === 0 ? 0.5 : (selfLoopProb[j - 1] ?? 0.5);
      const enterCost = j === 0 ? entryCost : -Math.log(1 - prevP) * o.transitionScale;
      fst.addArc(from, { ilabel: o.tids.forward(phone, j), olabel: j === 0 ? entryOlabel : 0, weight: enterCost, next: s });
      fst.addArc(s, { ilabel: o.tids.selfLoop(phone, j), olabel: 0, weight: -Math.log(p) * o.transitionScale, next: s });
    }
    const last = states[numStates - 1] ?? loop;
    const lastP = selfLoopProb[numStates - 1] ?? 0.5;
    fst.addArc(last, { ilabel: 0, olabel: 0, weight: -Math.log(1 - lastP) * o.transitionScale, next: loop });
  };
  addHmm(o.silence.phone, o.silence.numStates, o.silence.selfLoopProb, 0, o.silenceCost);
  for (const w of o.words) addHmm(w.phone, w.numStates, w.selfLoopProb, w.wordId, o.wordCost);
  return fst;
}

/** Gr.fst: one state, final, a self-loop per word carrying the word insertion penalty. */
export function buildGrammarLoop(wordIds: number[], wordCost: number): Fst {
  const fst = new Fst();
  const s = fst.addState();
  fst.start = s;
  fst.setFinal(s, 0);
  for (const w of wordIds) fst.addArc(s, { ilabel: w, olabel: w, weight: wordCost, next: s });
  fst.sortArcs('ilabel');
  return fst;
}
