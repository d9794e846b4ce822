// The per-language pipeline: synthesize → flat-start labels → train the net → Viterbi
// re-align → retrain (several passes) → priors → tune decoding on the dev set through libvosk
// → write the Vosk model directory.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeMfcc, numMfccFrames, TELEPHONY_MFCC, type MfccFft, type MfccOptions } from '../../src/speech/audio/mfcc.ts';
import { toInt16 } from '../../src/speech/audio/resample.ts';
import { setVoskLogLevel, VoskModel } from '../../src/speech/libvosk.ts';
import { flatStartLabels, makeTopology, SUBSAMPLING, viterbiAlign, type Topology } from './align.ts';
import { addNoise, makeNoise, randomAugment, scale } from './augment.ts';
import { accumulateCmvnStats, applyOnlineCmvn, emptyCmvnStats, type CmvnStats } from './cmvn.ts';
import { buildEvalSet, buildTrainCorpus, type TrainCorpusStats, type Utterance } from './corpus.ts';
import { accuracy, addScore, emptyScore, recognize, type Score } from './decode.ts';
import type { FeedForwardNet } from './kaldi-text.ts';
import type { LanguageSpec } from './languages.ts';
import { estimateClassBigram, loopLm, type ClassBigram } from './lm.ts';
import { Mlp } from './mlp.ts';
import { writeModelDir, type DecodingParams, type ModelPieces } from './model-dir.ts';
import { computePitchFeatures, pitchDim, type PitchOptions } from './pitch.ts';
import { Rng } from './rng.ts';

/** Input frames (10 ms) spliced around each output frame: +-150 ms, sparser away from the centre. */
export const SPLICE_OFFSETS = [-15, -12, -9, -6, -4, -2, 0, 2, 4, 6, 9, 12, 15];

export interface TrainingPlan {
  hidden: number;
  batch: number;
  /** Epochs (fractions allowed) per pass; pass 0 uses flat-start labels, later passes re-align first. */
  epochs: number[];
  lr: [number, number][];
  dropout: number;
  silenceKeep: number;
  /** Train on (and ship am/global_cmvn.stats for) libvosk's online cepstral mean normalization. */
  onlineCmvn: boolean;
  /** Whole-word HMM size: one state per this many 30 ms output frames of the word's median isolated duration. */
  framesPerState: number;
  /** MFCC cepstra (conf/mfcc.conf --num-ceps; 23 = as many as mel bins, i.e. the whole log-mel spectrum). */
  numCeps: number;
  /**
   * Append Kaldi online pitch (POV, normalized log-pitch, delta-pitch; conf/pitch.conf) to the
   * MFCC, computed exactly (pitch.ts, ~4.4 ms per audio second) on every augmented copy. Reusing
   * the clean audio's pitch for noisy copies was tried on Mandarin: better on clean dev speech,
   * much worse at 10 dB (the net trusts clean pitch that noise destroys). The options are the
   * model's conf/pitch.conf; null = no pitch.
   */
  pitch: PitchOptions | null;
  /** Input frame offsets the net sees (written into the nnet3 model as its input context). */
  spliceOffsets: number[];
  /**
   * The cheaper feature pipeline: training copies corrupted by the fast chain (augment.ts
   * AugmentOptions.fast) and the MFCC's power spectrum through the half-size FFT (computeMfcc
   * 'real'); together ~1 ms less per augmented audio second, which pays for most of the English
   * model's pitch. Off by default so a model built before it (Mandarin) rebuilds byte for byte.
   */
  fastFeatures: boolean;
}

export const DEFAULT_PLAN: TrainingPlan = {
  hidden: 256,
  batch: 128,
  epochs: [1, 1, 1],
  lr: [[2e-3, 1e-3], [1e-3, 5e-4], [5e-4, 3e-5]],
  dropout: 0.1,
  silenceKeep: 0.7,
  onlineCmvn: true,
  framesPerState: 4,
  numCeps: 13,
  pitch: null,
  spliceOffsets: SPLICE_OFFSETS,
  fastFeatures: false,
};

export interface DevResult {
  params: DecodingParams;
  accuracy: { clean: { isolated: number; connected: number }; snr10: { isolated: number; connected: number } };
  errors: number;
}

export interface LanguageBuildReport {
  language: string;
  modelName: string;
  seed: number;
  corpus: TrainCorpusStats;
  /** framesPerState is optional so that reports written before it was tunable still load (they used 4). */
  topology: { pdfs: number; statesPerWord: Record<string, number>; silenceStates: number; framesPerState?: number };
  /** dropout is optional so that reports written before it was per-language still load (they used 0.1). */
  net: { dims: number[]; spliceOffsets: number[]; parameters: number; dropout?: number };
  /** Optional so that reports written before online CMVN still load. */
  features?: { onlineCmvn: boolean; numCeps?: number; pitch?: boolean };
  /** Free recognition's class bigram (lm.ts); optional so that reports written before it still load (flat word loop). */
  languageModel?: ClassBigram;
  passes: { epochs: number; frames: number; meanLoss: number; frameAccuracy: number; realigned?: number; seconds: number }[];
  dev: DevResult;
  tuningGrid: DevResult[];
  seconds: { synthesis: number; training: number; tuning: number; total: number };
}

interface TrainItem {
  utt: Utterance;
  feats: Float32Array;
  T: number;
  labels: Int16Array;
  /** Pitch features of the clean audio (T x 3), when the plan appends pitch. */
  pitch?: Float32Array;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** One spliced, normalized input row; the feature dimension is mean.length. */
export function spliceRow(offsets: readonly number[], feats: Float32Array, T: number, t: number, mean: Float32Array, invStd: Float32Array, out: Float32Array, o: number): void {
  const C = mean.length;
  for (const off of offsets) {
    let tt = t + off;
    if (tt < 0) tt = 0;
    else if (tt >= T) tt = T - 1;
    const src = tt * C;
    for (let d = 0; d < C; d++) out[o++] = ((feats[src + d] as number) - (mean[d] as number)) * (invStd[d] as number);
  }
}

export async function buildLanguage(lang: LanguageSpec, seed: number, outDir: string, log: (m: string) => void, plan: TrainingPlan = DEFAULT_PLAN): Promise<LanguageBuildReport> {
  const t0 = performance.now();
  const mfccOpts: MfccOptions = { ...TELEPHONY_MFCC, numCeps: plan.numCeps };
  const numCeps = plan.numCeps;
  const fft: MfccFft = plan.fastFeatures ? 'real' : 'complex';
  /** MFCC of float audio on the int16 scale, as libvosk computes it from PCM16. */
  const mfccOf = (x: Float32Array): Float32Array => computeMfcc(toInt16(x), mfccOpts, fft);
  const pitchOptions = plan.pitch;
  const pitchDims = pitchOptions ? pitchDim(pitchOptions) : 0;
  /** Feature dimension the net and online CMVN see: MFCC, then pitch (libvosk's order). */
  const featDim = numCeps + pitchDims;
  // the decode pattern of dev tuning and the benchmark (100 ms calls) and the net's context
  const offsets = plan.spliceOffsets;
  const pitchFeed = { samplesPerCall: 800, leftContext: -(offsets[0] as number), rightContext: offsets[offsets.length - 1] as number };
  const pitchOf = pitchOptions ? (audio: Float32Array): Float32Array => computePitchFeatures(toInt16(audio), pitchOptions, pitchFeed) : null;
  /** [MFCC | pitch] rows, T = the MFCC frame count (libvosk appends min(#MFCC, #pitch) frames). */
  const withPitch = (mfcc: Float32Array, pitch: Float32Array | undefined): Float32Array => {
    if (!pitch) return mfcc;
    const T = mfcc.length / numCeps;
    const P = pitch.length / pitchDims;
    const out = new Float32Array(T * featDim);
    for (let t = 0; t < T; t++) {
      out.set(mfcc.subarray(t * numCeps, (t + 1) * numCeps), t * featDim);
      const src = Math.min(t, P - 1) * pitchDims;
      out.set(pitch.subarray(src, src + pitchDims), t * featDim + numCeps);
    }
    return out;
  };
  const rng = new Rng(seed).fork(lang.id);
  log(`[${lang.id}] synthesizing training corpus`);
  const { utterances, stats } = buildTrainCorpus(lang, rng.fork('corpus'), log);
  log(`[${lang.id}] ${stats.isolated} isolated + ${stats.connected} connected utterances (${stats.timedConnected ?? 0} with eSpeak word timing), ${stats.seconds.toFixed(0)} s, ${stats.failedBatches} failed batches`);
  const tSynth = performance.now();

  // Whole-word HMM sizes from isolated durations: one state per `framesPerState` output frames
  // (4 = 120 ms), few enough that fast connected speech (shorter than isolated words) still fits.
  const durs = new Map<string, number[]>();
  for (const u of utterances) if (u.kind === 'isolated') durs.set(u.words[0] ?? '', [...(durs.get(u.words[0] ?? '') ?? []), u.speechTo - u.speechFrom]);
  const statesPerWord = new Map<string, number>();
  for (const w of lang.words) {
    const frames30 = median(durs.get(w.token) ?? [3200]) / 80 / SUBSAMPLING;
    statesPerWord.set(w.token, Math.max(2, Math.min(8, Math.round(frames30 / plan.framesPerState))));
  }
  const topo: Topology = makeTopology(lang.words.map((w) => w.token), statesPerWord, 1);
  log(`[${lang.id}] topology: ${topo.numPdfs} pdfs; states ${[...statesPerWord].map(([k, v]) => `${k}:${v}`).join(' ')}`);

  const items: TrainItem[] = utterances.map((utt) => {
    const pitch = pitchOf?.(utt.audio);
    const feats = withPitch(mfccOf(utt.audio), pitch);
    const T = numMfccFrames(utt.audio.length);
    const durations = utt.kind === 'isolated' ? [1] : (utt.wordDurations ?? utt.words.map(() => 1));
    return { utt, feats, T, labels: flatStartLabels(topo, utt.words, durations, T, utt.speechFrom, utt.speechTo, utt.wordStarts), ...(pitch ? { pitch } : {}) };
  });

  // Global CMVN statistics and the net's input normalization, both from a sample of augmented
  // training audio (the normalization is folded into layer 1 on export).
  const normRng = rng.fork('norm');
  const babble = (r: Rng, n: number): (() => Float32Array) => () => {
    const out = new Float32Array(n);
    for (let k = 0; k < 3; k++) {
      const other = items[r.int(items.length)]?.utt.audio ?? new Float32Array(1);
      for (let i = 0; i < n; i++) out[i] = (out[i] as number) + (other[i % other.length] as number);
    }
    return out;
  };
  const augmentOptions = { fast: plan.fastFeatures };
  const sample: Float32Array[] = [];
  for (let k = 0; k < 300; k++) {
    const it = items[normRng.int(items.length)] as TrainItem;
    const aug = randomAugment(it.utt.audio, it.utt.speechFrom, it.utt.speechTo, normRng, babble(normRng, it.utt.audio.length), augmentOptions);
    sample.push(withPitch(mfccOf(aug.audio), pitchOf?.(aug.audio)));
  }
  const rawStats = emptyCmvnStats(featDim);
  for (const f of sample) accumulateCmvnStats(rawStats, f, featDim);
  const cmvn: CmvnStats | undefined = plan.onlineCmvn ? rawStats : undefined;
  /** The features the net sees: MFCC (+ pitch), then online CMVN as libvosk applies it. */
  const features = (raw: Float32Array): Float32Array => (cmvn ? applyOnlineCmvn(raw, featDim, cmvn) : raw);
  for (const it of items) it.feats = features(it.feats);
  const netStats = emptyCmvnStats(featDim);
  for (const f of sample) accumulateCmvnStats(netStats, features(f), featDim);
  const mean = new Float32Array(featDim), invStd = new Float32Array(featDim);
  for (let d = 0; d < featDim; d++) {
    const m = (netStats.sum[d] as number) / netStats.count;
    mean[d] = m;
    invStd[d] = 1 / Math.sqrt(Math.max(1e-6, (netStats.sumSq[d] as number) / netStats.count - m * m));
  }

  const inDim = offsets.length * featDim;
  const dims = [inDim, plan.hidden, plan.hidden, topo.numPdfs];
  const trainRng = rng.fork('train');
  const mlp = await Mlp.create(dims, plan.batch, trainRng.fork('init'), { dropout: plan.dropout, maxForwardRows: 1024 });
  const report: LanguageBuildReport['passes'] = [];
  let logPriors: Float32Array = new Float32Array(topo.numPdfs);

  const poolSize = 8192;
  const poolX = new Float32Array(poolSize * inDim);
  const poolY = new Int32Array(poolSize);
  const targets = new Int32Array(plan.batch);

  for (let pass = 0; pass < plan.epochs.length; pass++) {
    const tp = performance.now();
    let realigned: number | undefined;
    if (pass > 0) {
      realigned = await realign(offsets, items, topo, mlp, mean, invStd, logPriors);
      log(`[${lang.id}] pass ${pass}: re-aligned ${realigned}/${items.length} utterances`);
    }
    logPriors = computeLogPriors(items, topo.numPdfs, topo.silenceStates, plan.silenceKeep);
    const epochs = plan.epochs[pass] ?? 1;
    const [lr0, lr1] = plan.lr[pass] ?? [1e-3, 1e-4];
    // Estimate frames per epoch to drive the learning-rate schedule.
    const framesPerEpoch = items.reduce((s, it) => s + Math.ceil(it.T / SUBSAMPLING), 0) * 0.75;
    const totalFrames = framesPerEpoch * epochs;
    let seen = 0, lossSum = 0, lossN = 0, correct = 0;
    // where the pass's time goes (the build has a 15-minute budget): features of the augmented copies vs the net
    let featureMs = 0, netMs = 0;
    const order: number[] = [];
    const nUtts = Math.round(items.length * epochs);
    while (order.length < nUtts) order.push(...trainRng.shuffle(items.map((_, i) => i)));
    order.length = nUtts;
    let fill = 0;
    const flush = async (): Promise<void> => {
      const tf = performance.now();
      const idx = trainRng.shuffle(Array.from({ length: fill }, (_, i) => i));
      for (let b = 0; b + plan.batch <= fill; b += plan.batch) {
        const x = mlp.input;
        for (let r = 0; r < plan.batch; r++) {
          const src = idx[b + r] as number;
          x.set(poolX.subarray(src * inDim, (src + 1) * inDim), r * inDim);
          targets[r] = poolY[src] as number;
        }
        const lr = lr0 + (lr1 - lr0) * Math.min(1, seen / totalFrames);
        const loss = await mlp.trainStep(targets, lr, trainRng);
        lossSum += loss * plan.batch;
        lossN += plan.batch;
        seen += plan.batch;
      }
      fill = 0;
      netMs += performance.now() - tf;
    };
    const tVisits = performance.now();
    for (const ui of order) {
      const it = items[ui] as TrainItem;
      const augRng = trainRng;
      const tv = performance.now();
      let feats: Float32Array, T: number, speed = 1;
      if (augRng.next() < 0.15) {
        const g = 10 ** (augRng.uniform(-20, 3) / 20);
        // pitch (NCCF-based) does not change with gain
        feats = features(withPitch(mfccOf(scale(it.utt.audio, g)), it.pitch));
        T = feats.length / featDim;
      } else {
        const aug = randomAugment(it.utt.audio, it.utt.speechFrom, it.utt.speechTo, augRng, babble(augRng, it.utt.audio.length), augmentOptions);
        speed = aug.speed;
        feats = features(withPitch(mfccOf(aug.audio), pitchOf?.(aug.audio)));
        T = feats.length / featDim;
      }
      featureMs += performance.now() - tv;
      const phase = augRng.int(SUBSAMPLING);
      for (let t = phase; t < T; t += SUBSAMPLING) {
        const label = it.labels[Math.min(it.T - 1, Math.round(t * speed))] as number;
        if (label < topo.silenceStates && augRng.next() > plan.silenceKeep) continue;
        spliceRow(offsets, feats, T, t, mean, invStd, poolX, fill * inDim);
        poolY[fill] = label;
        fill++;
        if (fill === poolSize) await flush();
      }
    }
    await flush();
    // frame accuracy on a clean sample (training data, for the log only)
    for (let k = 0; k < 200; k++) {
      const it = items[trainRng.int(items.length)] as TrainItem;
      const t = trainRng.int(it.T);
      spliceRow(offsets, it.feats, it.T, t, mean, invStd, mlp.input, 0);
      const out = await mlp.forward(1);
      let best = 0;
      for (let j = 1; j < topo.numPdfs; j++) if ((out[j] as number) > (out[best] as number)) best = j;
      if (best === it.labels[t]) correct++;
    }
    const secs = (performance.now() - tp) / 1000;
    const realignSecs = (tVisits - tp) / 1000;
    report.push({ epochs, frames: seen, meanLoss: lossSum / Math.max(1, lossN), frameAccuracy: correct / 200, seconds: secs, ...(realigned !== undefined ? { realigned } : {}) });
    log(`[${lang.id}] pass ${pass}: ${epochs} epochs, ${seen} frames, loss ${(lossSum / Math.max(1, lossN)).toFixed(3)}, clean frame acc ${(correct / 200).toFixed(3)}, ${secs.toFixed(0)} s (re-alignment ${realignSecs.toFixed(0)} s, augmented features ${(featureMs / 1000).toFixed(0)} s, net ${(netMs / 1000).toFixed(0)} s)`);
  }
  // Priors and self-loop probabilities from the last pass's alignment.
  const priors = new Float32Array(topo.numPdfs);
  const lp = computeLogPriors(items, topo.numPdfs, topo.silenceStates, plan.silenceKeep);
  for (let j = 0; j < topo.numPdfs; j++) priors[j] = Math.exp(lp[j] as number);
  const selfLoopProb = computeSelfLoops(items, topo.numPdfs);
  const tTrain = performance.now();

  const net = exportNet(offsets, mlp, mean, invStd, priors);
  // Free recognition's language model, from the training transcripts: digits vs other words.
  const classOf = (token: string): number => (lang.digits.includes(token) ? 0 : 1);
  const languageModel = estimateClassBigram(utterances.map((u) => u.words), ['digit', 'word'], lang.words.map((w) => w.token), classOf);
  const lm = loopLm(languageModel, topo.words.map((w) => w.token), classOf);
  log(`[${lang.id}] language model: P(digit | digit) ${languageModel.probabilities[1]?.[0]?.toFixed(3)}, P(word | digit) ${languageModel.probabilities[1]?.[1]?.toFixed(3)}, P(digit | start) ${languageModel.probabilities[0]?.[0]?.toFixed(3)}`);
  const pieces = (params: DecodingParams): ModelPieces => ({ topology: topo, net, selfLoopProb, params, mfcc: mfccOpts, lm, ...(cmvn ? { cmvn } : {}), ...(pitchOptions ? { pitch: pitchOptions } : {}) });

  log(`[${lang.id}] tuning decoding parameters on the dev set (through libvosk)`);
  const devRng = rng.fork('dev');
  const dev = buildEvalSet(lang, lang.dev, devRng, { isolatedPerConfig: 6, connectedPerConfig: 2, minDigits: 4, maxDigits: 8, ...(lang.id === 'zh' ? { maxConfigs: 20 } : {}) });
  const devNoisy = dev.map((u) => ({ ...u, audio: addNoise(u.audio, benchNoise(u.audio.length, devRng), 10, u.speechFrom, u.speechTo) }));
  setVoskLogLevel(-2);
  const grid: DevResult[] = [];
  const tmp = mkdtempSync(join(tmpdir(), `speech-${lang.id}-`));
  try {
    // Word costs are on top of the language model, whose likeliest continuation costs 0; a small
    // bonus (-0.5) undoes some of Mandarin's deletions of short syllables (with the lattice beam
    // of 4 the model.conf had before, a bonus made English lattices explode, minutes per
    // utterance; at 2 it decodes as fast as without). Below -0.5 insertions win; 3 never did.
    // Low acoustic scales win (0.15-0.2); 0.1 never did and decodes slowly. The transition
    // scale stays 0.5: on the Mandarin dev set 0.25 and 1 were no better, and on the English
    // one a transition-scale trial stalled the decoder for minutes.
    for (const acousticScale of [0.15, 0.2, 0.35, 0.5]) {
      for (const wordCost of [-0.5, 0, 1.5]) {
        const params: DecodingParams = { acousticScale, wordCost, silenceCost: 0, transitionScale: 0.5 };
        const r = evaluateOnDev(tmp, pieces(params), dev, devNoisy);
        grid.push(r);
        log(`[${lang.id}]   ac ${acousticScale} wip ${wordCost}: clean ${r.accuracy.clean.connected.toFixed(3)}/${r.accuracy.clean.isolated.toFixed(3)} snr10 ${r.accuracy.snr10.connected.toFixed(3)}/${r.accuracy.snr10.isolated.toFixed(3)} (connected/isolated)`);
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const best = [...grid].sort((a, b) => a.errors - b.errors)[0] as DevResult;
  log(`[${lang.id}] best on dev: ${JSON.stringify(best.params)}`);
  writeModelDir(outDir, pieces(best.params), { staticGraph: true });
  const tEnd = performance.now();
  return {
    language: lang.id,
    modelName: lang.modelName,
    seed,
    corpus: stats,
    topology: { pdfs: topo.numPdfs, statesPerWord: Object.fromEntries(statesPerWord), silenceStates: topo.silenceStates, framesPerState: plan.framesPerState },
    net: { dims, spliceOffsets: offsets, parameters: mlp.layers.reduce((s, l) => s + l.W.length + l.b.length, 0), dropout: plan.dropout },
    features: { onlineCmvn: cmvn !== undefined, numCeps: plan.numCeps, pitch: pitchOptions !== null },
    languageModel,
    passes: report,
    dev: best,
    tuningGrid: grid,
    seconds: { synthesis: (tSynth - t0) / 1000, training: (tTrain - tSynth) / 1000, tuning: (tEnd - tTrain) / 1000, total: (tEnd - t0) / 1000 },
  };
}

/** The noise used for "snr10" conditions in dev tuning and the benchmark: white + pink. */
export function benchNoise(n: number, rng: Rng): Float32Array {
  const w = makeNoise('white', n, rng);
  const p = makeNoise('pink', n, rng);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.5 * (w[i] as number) + (p[i] as number);
  return out;
}

function evaluateOnDev(dir: string, pieces: ModelPieces, clean: Utterance[], noisy: Utterance[]): DevResult {
  writeModelDir(dir, pieces, { staticGraph: false });
  const model = new VoskModel(dir);
  try {
    const s = { clean: { isolated: emptyScore(), connected: emptyScore() }, snr10: { isolated: emptyScore(), connected: emptyScore() } };
    const run = (set: Utterance[], into: { isolated: Score; connected: Score }): void => {
      for (const u of set) addScore(into[u.kind], u.words, recognize(model, toInt16(u.audio)));
    };
    run(clean, s.clean);
    run(noisy, s.snr10);
    const errors = s.clean.isolated.errors + s.clean.connected.errors + s.snr10.isolated.errors + s.snr10.connected.errors;
    return {
      params: pieces.params,
      accuracy: {
        clean: { isolated: accuracy(s.clean.isolated), connected: accuracy(s.clean.connected) },
        snr10: { isolated: accuracy(s.snr10.isolated), connected: accuracy(s.snr10.connected) },
      },
      errors,
    };
  } finally {
    model.free();
  }
}

async function realign(offsets: readonly number[], items: TrainItem[], topo: Topology, mlp: Mlp, mean: Float32Array, invStd: Float32Array, logPriors: Float32Array): Promise<number> {
  const P = topo.numPdfs;
  let ok = 0;
  for (const it of items) {
    const K = Math.ceil(it.T / SUBSAMPLING);
    const ll = new Float32Array(K * P);
    for (let k0 = 0; k0 < K; k0 += mlp.maxForwardRows) {
      const n = Math.min(mlp.maxForwardRows, K - k0);
      for (let r = 0; r < n; r++) spliceRow(offsets, it.feats, it.T, (k0 + r) * SUBSAMPLING, mean, invStd, mlp.input, r * mlp.inputDim);
      const out = await mlp.forward(n);
      for (let r = 0; r < n; r++) for (let j = 0; j < P; j++) ll[(k0 + r) * P + j] = (out[r * P + j] as number) - (logPriors[j] as number);
    }
    const labels = viterbiAlign(topo, it.utt.words, ll, K, it.T, wordSpans(it.utt));
    if (labels) {
      it.labels = labels;
      ok++;
    }
  }
  return ok;
}

/** Each word's [from, to) samples when the synthesizer said where words start (corpus.ts). */
function wordSpans(utt: Utterance): [number, number][] | undefined {
  const starts = utt.wordStarts;
  if (!starts || starts.length !== utt.words.length) return undefined;
  return starts.map((s, i) => [s, starts[i + 1] ?? utt.speechTo]);
}

/**
 * Pdf priors as the net saw them in training (silence frames are subsampled by `silenceKeep`),
 * so that posterior / prior is a proper scaled likelihood.
 */
function computeLogPriors(items: TrainItem[], P: number, silencePdfs: number, silenceKeep: number): Float32Array {
  const counts = new Float64Array(P).fill(1);
  for (const it of items) for (let t = 0; t < it.T; t += SUBSAMPLING) { const l = it.labels[t] as number; counts[l] = (counts[l] as number) + (l < silencePdfs ? silenceKeep : 1); }
  const total = counts.reduce((a, b) => a + b, 0);
  return Float32Array.from(counts, (c) => Math.log(c / total));
}

function computeSelfLoops(items: TrainItem[], P: number): Float32Array {
  const frames = new Float64Array(P), runs = new Float64Array(P);
  for (const it of items) {
    let prev = -1;
    for (let t = 0; t < it.T; t += SUBSAMPLING) {
      const l = it.labels[t] as number;
      frames[l] = (frames[l] as number) + 1;
      if (l !== prev) runs[l] = (runs[l] as number) + 1;
      prev = l;
    }
  }
  return Float32Array.from(frames, (f, j) => {
    const meanRun = f / Math.max(1, runs[j] as number);
    return Math.max(0.1, Math.min(0.95, 1 - 1 / Math.max(1, meanRun)));
  });
}

/** Folds the input normalization into the first affine layer and packages the net for Kaldi. */
function exportNet(offsets: number[], mlp: Mlp, mean: Float32Array, invStd: Float32Array, priors: Float32Array): FeedForwardNet {
  const layers = mlp.layers.map((l, i) => {
    const W = Float32Array.from(l.W);
    const b = Float32Array.from(l.b);
    if (i === 0) {
      for (let o = 0; o < l.outDim; o++) {
        let shift = 0;
        for (let j = 0; j < l.inDim; j++) {
          const d = j % mean.length;
          const w = (l.W[o * l.inDim + j] as number) * (invStd[d] as number);
          W[o * l.inDim + j] = w;
          shift += w * (mean[d] as number);
        }
        b[o] = (b[o] as number) - shift;
      }
    }
    return { inDim: l.inDim, outDim: l.outDim, weights: W, bias: b };
  });
  return { inputDim: mean.length, offsets, layers, priors };
}
