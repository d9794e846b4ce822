// Whole-word HMM topology bookkeeping and forced alignment: flat-start (uniform) segmentation
// and Viterbi re-alignment of a known word sequence (with optional silence) at the model's
// 30 ms output rate.

export const SUBSAMPLING = 3;
export const SILENCE_PHONE = 1;

export interface WordModel {
  token: string;
  wordId: number;
  phone: number;
  numStates: number;
  firstPdf: number;
}

export interface Topology {
  silenceStates: number;
  words: WordModel[];
  numPdfs: number;
}

export function makeTopology(tokens: string[], statesPerWord: Map<string, number>, silenceStates: number): Topology {
  let pdf = silenceStates;
  const words = tokens.map((token, i) => {
    const numStates = statesPerWord.get(token) ?? 3;
    const w: WordModel = { token, wordId: i + 1, phone: i + 2, numStates, firstPdf: pdf };
    pdf += numStates;
    return w;
  });
  return { silenceStates, words, numPdfs: pdf };
}

export function wordModel(topo: Topology, token: string): WordModel {
  const w = topo.words.find((x) => x.token === token);
  if (!w) throw new Error(`no model for ${token}`);
  return w;
}

/** Frame t (10 ms) is speech if its window centre lies in [from, to) samples. */
function frameCentre(t: number): number {
  return 80 * t + 100;
}

/**
 * Flat start: silence outside the speech range; the speech range split among the words in
 * proportion to `durations` (or at `starts`, where each word is known to start), each word's
 * frames split uniformly among its states.
 */
export function flatStartLabels(topo: Topology, words: string[], durations: number[], numFrames: number, from: number, to: number, starts?: number[]): Int16Array {
  const labels = new Int16Array(numFrames);
  const bounds = starts && starts.length === words.length ? [...starts, to] : proportionalBounds(durations, from, to);
  for (let t = 0; t < numFrames; t++) {
    const c = frameCentre(t);
    if (c < from || c >= to) {
      labels[t] = 0;
      continue;
    }
    let i = 0;
    while (i + 1 < words.length && c >= (bounds[i + 1] ?? to)) i++;
    const w = wordModel(topo, words[i] ?? '');
    const a = bounds[i] ?? from, b = bounds[i + 1] ?? to;
    const j = Math.max(0, Math.min(w.numStates - 1, Math.floor(((c - a) / (b - a)) * w.numStates)));
    labels[t] = w.firstPdf + j;
  }
  return labels;
}

/** Word boundaries that split [from, to) in proportion to `durations` (from, …, to). */
function proportionalBounds(durations: number[], from: number, to: number): number[] {
  const total = durations.reduce((a, b) => a + b, 0);
  const bounds: number[] = [from];
  let acc = 0;
  for (const d of durations) {
    acc += d;
    bounds.push(from + ((to - from) * acc) / total);
  }
  return bounds;
}

interface AlignState {
  pdf: number;
  /** Index of the word this state belongs to (-1: silence). */
  word: number;
  preds: number[];
  start: boolean;
  end: boolean;
}

function alignmentGraph(topo: Topology, words: string[]): AlignState[] {
  const states: AlignState[] = [];
  const add = (pdf: number, preds: number[], start: boolean, word = -1): number => {
    states.push({ pdf, word, preds, start, end: false });
    return states.length - 1;
  };
  const addSil = (preds: number[], start: boolean): number => {
    let prev = -1;
    for (let j = 0; j < topo.silenceStates; j++) prev = add(j, j === 0 ? preds : [prev], start && j === 0);
    return prev;
  };
  let sil = addSil([], true);
  let lastWordEnd = -1;
  for (let i = 0; i < words.length; i++) {
    const w = wordModel(topo, words[i] ?? '');
    const entryPreds = i === 0 ? [sil] : [lastWordEnd, sil];
    let prev = -1;
    for (let j = 0; j < w.numStates; j++) prev = add(w.firstPdf + j, j === 0 ? entryPreds : [prev], i === 0 && j === 0, i);
    lastWordEnd = prev;
    sil = addSil([lastWordEnd], false);
  }
  const lastWord = states[lastWordEnd];
  const lastSil = states[sil];
  if (lastWord) lastWord.end = true;
  if (lastSil) lastSil.end = true;
  return states;
}

/** How far (samples, 30 ms) a word may reach beyond its known span: a boundary falls inside a 30 ms output frame. */
export const SPAN_SLACK = 240;

/**
 * Viterbi alignment at the subsampled rate. `loglik` is K×numPdfs (frame k = input frame 3k).
 * With `spans` (each word's [from, to) samples, from the synthesizer), a word's states may only
 * take frames whose centre lies within SPAN_SLACK of its span. Returns pdf per 10 ms frame
 * (numFrames), or undefined if no path fits.
 */
export function viterbiAlign(topo: Topology, words: string[], loglik: Float32Array, K: number, numFrames: number, spans?: [number, number][]): Int16Array | undefined {
  const g = alignmentGraph(topo, words);
  const S = g.length;
  const P = topo.numPdfs;
  const allowed = (s: AlignState, k: number): boolean => {
    const span = spans && s.word >= 0 ? spans[s.word] : undefined;
    if (!span) return true;
    const c = frameCentre(k * SUBSAMPLING);
    return c >= span[0] - SPAN_SLACK && c < span[1] + SPAN_SLACK;
  };
  let prev = new Float64Array(S).fill(-Infinity);
  let cur = new Float64Array(S);
  const back = new Int32Array(K * S);
  for (let s = 0; s < S; s++) if (g[s]?.start && allowed(g[s] as AlignState, 0)) prev[s] = loglik[(g[s]?.pdf ?? 0)] ?? -Infinity;
  for (let k = 1; k < K; k++) {
    for (let s = 0; s < S; s++) {
      const st = g[s] as AlignState;
      if (!allowed(st, k)) {
        cur[s] = -Infinity;
        continue;
      }
      let best = prev[s] as number;
      let arg = s;
      for (const p of st.preds) {
        if (p >= 0 && (prev[p] as number) > best) {
          best = prev[p] as number;
          arg = p;
        }
      }
      cur[s] = best + (loglik[k * P + st.pdf] as number);
      back[k * S + s] = arg;
    }
    [prev, cur] = [cur, prev];
  }
  let bestS = -1;
  let best = -Infinity;
  for (let s = 0; s < S; s++) if (g[s]?.end && (prev[s] as number) > best) { best = prev[s] as number; bestS = s; }
  if (bestS < 0 || !Number.isFinite(best)) return undefined;
  const path = new Int32Array(K);
  let s = bestS;
  for (let k = K - 1; k >= 0; k--) {
    path[k] = s;
    if (k > 0) s = back[k * S + s] as number;
  }
  const labels = new Int16Array(numFrames);
  for (let t = 0; t < numFrames; t++) labels[t] = g[path[Math.min(K - 1, Math.floor(t / SUBSAMPLING))] as number]?.pdf ?? 0;
  return labels;
}
