// Proves scripts/speech-model/pitch.ts computes the pitch features libvosk appends to the MFCC
// when a model has conf/pitch.conf. A probe model's per-frame log-likelihood is w·[mfcc, pitch]
// (one linear layer), decoded with graph cost 0 and acoustic scale 1, so libvosk's confidence is
// Σ_t w·x_t over the frames it fed the network; one-hot w exposes each dimension, and a chain
// graph that puts every other frame on an all-zero pdf exposes single frames.
//
// The online pitch changes as audio arrives (Viterbi traceback, signal-energy ballast, the
// 75-frame normalization window), and libvosk's network reads each frame once, in chunks, as
// soon as it is ready — so what must match is the first-pass feature of every frame, which
// computePitchFeatures simulates (see the header of pitch.ts).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMfcc, numMfccFrames } from '../../src/speech/audio/mfcc.ts';
import { applyOnlineCmvn, type CmvnStats } from '../../scripts/speech-model/cmvn.ts';
import { COARSE_TELEPHONY_PITCH, computeFinalPitchFeatures, ONLINE_COARSE_TELEPHONY_PITCH, computePitchFeatures, pitchConfText, TELEPHONY_PITCH, type PitchOptions } from '../../scripts/speech-model/pitch.ts';
import { resample, toFloat32, toInt16 } from '../../src/speech/audio/resample.ts';
import { readWav } from '../../src/speech/audio/wav.ts';
import { setVoskLogLevel, VoskModel, VoskRecognizer } from '../../src/speech/libvosk.ts';
import { writePitchProbeModel, type PitchProbeOptions } from './support/pitch-probe-model.ts';

const CEPS = 13;
const DIM = CEPS + 3;
let dir: string;
let pcm: Int16Array;
let T: number;

interface ProbeRun {
  weights: number[];
  audio?: Int16Array;
  pitch?: PitchOptions | null;
  cmvn?: CmvnStats;
  onlyFrame?: number;
  framesPerChunk?: number;
  /** samples per acceptWaveform call (default: all at once) */
  perCall?: number;
  utterances?: number;
  bias?: number;
}

/** libvosk's confidence for one probe decode (the last of `utterances` on one recognizer). */
function libvosk(run: ProbeRun): number {
  const audio = run.audio ?? pcm;
  const modelDir = join(dir, `m${Math.random().toString(36).slice(2)}`);
  const pitch = run.pitch === undefined ? TELEPHONY_PITCH : run.pitch;
  const opts: PitchProbeOptions = { inputDim: pitch ? DIM : CEPS };
  if (pitch) opts.pitchConf = pitchConfText(pitch);
  if (run.cmvn) opts.cmvn = run.cmvn;
  if (run.bias !== undefined) opts.bias = run.bias;
  if (run.onlyFrame !== undefined) opts.onlyFrame = { frame: run.onlyFrame, numFrames: numMfccFrames(audio.length) };
  if (run.framesPerChunk !== undefined) opts.framesPerChunk = run.framesPerChunk;
  writePitchProbeModel(modelDir, run.weights, opts);
  const model = new VoskModel(modelDir);
  const rec = new VoskRecognizer(model, { sampleRate: 8000 });
  try {
    let confidence = Number.NaN;
    for (let u = 0; u < (run.utterances ?? 1); u++) {
      const step = run.perCall ?? audio.length;
      for (let i = 0; i < audio.length; i += step) rec.acceptWaveform(audio.subarray(i, Math.min(audio.length, i + step)));
      const r = rec.finalResult();
      expect(r.text).toBe('probe');
      confidence = r.confidence ?? Number.NaN;
    }
    return confidence;
  } finally {
    rec.free();
    model.free();
  }
}

const oneHot = (d: number, n = DIM): number[] => Array.from({ length: n }, (_, k) => (k === d ? 1 : 0));

function columnSum(feats: Float32Array, dim: number, d: number): number {
  let s = 0;
  for (let t = 0; t < feats.length / dim; t++) s += feats[t * dim + d] as number;
  return s;
}

beforeAll(() => {
  setVoskLogLevel(-2);
  dir = mkdtempSync(join(tmpdir(), 'pitch-probe-'));
  const wav = readWav(execFileSync('espeak-ng', ['-v', 'cmn-latn-pinyin', '-s', '160', '--stdout', 'wu3 wu3 ling2 jiu3']));
  // a little deterministic noise so silence is not digital zero
  const x = resample(toFloat32(wav.samples), wav.sampleRate, 8000);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + 30 * Math.sin(i * 1.3) * Math.cos(i * 0.031);
  pcm = toInt16(x);
  T = numMfccFrames(pcm.length);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('libvosk reads conf/pitch.conf', () => {
  it('appends exactly 3 dims after the MFCC, one frame per MFCC frame', () => {
    expect(T).toBeGreaterThan(100);
    // weights 0, bias 1: the confidence counts the frames the 16-input network was fed
    expect(libvosk({ weights: new Array<number>(DIM).fill(0), bias: 1 })).toBe(T);
    expect(computePitchFeatures(pcm).length).toBe(T * 3);
    // the pitch dims are live (nonzero) in libvosk
    for (let d = 0; d < 3; d++) expect(Math.abs(libvosk({ weights: oneHot(CEPS + d), onlyFrame: 60 }))).toBeGreaterThan(0);
  });

  it('leaves the MFCC dims unchanged', () => {
    const mfcc = computeMfcc(pcm);
    for (const d of [0, 1, 7, 12]) {
      const withPitch = libvosk({ weights: oneHot(d) });
      const without = libvosk({ weights: oneHot(d, CEPS), pitch: null });
      // identical up to float rounding of the summed cost (sums are O(10^4); float spacing ~1e-3)
      expect(Math.abs(withPitch - without) / T, `dim ${d}`).toBeLessThan(1e-4);
      expect(Math.abs(withPitch - columnSum(mfcc, CEPS, d)) / T, `dim ${d}`).toBeLessThan(0.005);
    }
  });
});

describe('pitch features match libvosk', () => {
  // Pitch features are O(0.1–1); 1e-4 per frame is float rounding (the sums agree to ~1e-7/frame),
  // while one Viterbi step (0.5% in f0) moves the normalized log-pitch by 0.01.
  it('per dimension, summed over the utterance', () => {
    const mine = computePitchFeatures(pcm);
    for (let d = 0; d < 3; d++) {
      const theirs = libvosk({ weights: oneHot(CEPS + d) });
      expect(Math.abs(theirs - columnSum(mine, 3, d)) / T, `pitch dim ${d}: libvosk ${theirs}`).toBeLessThan(1e-4);
    }
  });

  it('frame by frame (every 4th frame, all 3 dims)', () => {
    const mine = computePitchFeatures(pcm);
    for (let t = 0; t < T; t += 4) {
      for (let d = 0; d < 3; d++) {
        const theirs = libvosk({ weights: oneHot(CEPS + d), onlyFrame: t });
        expect(Math.abs(theirs - (mine[t * 3 + d] as number)), `frame ${t} dim ${d}`).toBeLessThan(1e-4);
      }
    }
  });

  it('with audio fed in 20 ms packets and with a different --frames-per-chunk', () => {
    const packets = computePitchFeatures(pcm, TELEPHONY_PITCH, { samplesPerCall: 160 });
    const chunk30 = computePitchFeatures(pcm, TELEPHONY_PITCH, { framesPerChunk: 30 });
    for (let t = 40; t < 70; t += 3) {
      expect(Math.abs(libvosk({ weights: oneHot(CEPS + 1), onlyFrame: t, perCall: 160 }) - (packets[t * 3 + 1] as number)), `frame ${t}`).toBeLessThan(1e-4);
      expect(Math.abs(libvosk({ weights: oneHot(CEPS + 1), onlyFrame: t, framesPerChunk: 30 }) - (chunk30[t * 3 + 1] as number)), `frame ${t}`).toBeLessThan(1e-4);
    }
  });

  it('past recompute-frame (500): a 7 s utterance, and again on a second utterance of the same recognizer', () => {
    const reps = 5;
    const long = new Int16Array(pcm.length * reps);
    for (let r = 0; r < reps; r++) long.set(r % 2 ? pcm.map((v, i) => Math.round(v * 0.5 + 20 * Math.sin(i * 0.7))) : pcm, r * pcm.length);
    const TL = numMfccFrames(long.length);
    expect(TL).toBeGreaterThan(TELEPHONY_PITCH.recomputeFrame + 100);
    const mine = computePitchFeatures(long);
    const w = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.7, -1.3, 0.9];
    let expected = 0;
    for (let t = 0; t < TL; t++) for (let d = 0; d < 3; d++) expected += (w[CEPS + d] as number) * (mine[t * 3 + d] as number);
    expect(Math.abs(libvosk({ weights: w, audio: long }) - expected) / TL).toBeLessThan(1e-4);
    expect(Math.abs(libvosk({ weights: w, audio: long, utterances: 2 }) - expected) / TL).toBeLessThan(1e-4);
    for (const t of [480, 499, 500, 520, 600]) {
      const theirs = libvosk({ weights: oneHot(CEPS + 1), audio: long, onlyFrame: t });
      expect(Math.abs(theirs - (mine[t * 3 + 1] as number)), `frame ${t}`).toBeLessThan(1e-4);
    }
  });

  it('with COARSE_TELEPHONY_PITCH (2 kHz analysis, 2% f0 steps, no recompute), frame by frame', () => {
    const coarse = COARSE_TELEPHONY_PITCH;
    const mine = computePitchFeatures(pcm, coarse);
    for (let t = 0; t < T; t += 5) {
      for (let d = 0; d < 3; d++) {
        const theirs = libvosk({ weights: oneHot(CEPS + d), onlyFrame: t, pitch: coarse });
        expect(Math.abs(theirs - (mine[t * 3 + d] as number)), `frame ${t} dim ${d}`).toBeLessThan(1e-4);
      }
    }
    // and they are other features than the default options give (the test would notice a mix-up)
    const fine = computePitchFeatures(pcm);
    expect(Math.abs(columnSum(fine, 3, 1) - columnSum(mine, 3, 1)) / T).toBeGreaterThan(1e-3);
  });

  it('with ONLINE_COARSE_TELEPHONY_PITCH (normalization window 100 left, 10 right), audio in 100 ms packets', () => {
    const online = ONLINE_COARSE_TELEPHONY_PITCH;
    const mine = computePitchFeatures(pcm, online, { samplesPerCall: 800 });
    for (let t = 0; t < T; t += 5) {
      for (let d = 0; d < 3; d++) {
        const theirs = libvosk({ weights: oneHot(CEPS + d), onlyFrame: t, pitch: online, perCall: 800 });
        expect(Math.abs(theirs - (mine[t * 3 + d] as number)), `frame ${t} dim ${d}`).toBeLessThan(1e-4);
      }
    }
    // the short right context shows: other normalized log-pitch than the (75, 75) window gives
    const offlineWindow = computePitchFeatures(pcm, COARSE_TELEPHONY_PITCH, { samplesPerCall: 800 });
    expect(Math.abs(columnSum(offlineWindow, 3, 1) - columnSum(mine, 3, 1)) / T).toBeGreaterThan(1e-3);
  });

  it('online CMVN (am/global_cmvn.stats over 13+3 dims) normalizes MFCC and pitch alike', () => {
    const count = 5000;
    const globalMean = Array.from({ length: DIM }, (_, d) => (d === 0 ? 40 : d >= CEPS ? 5 : d % 2 ? 3 : -2));
    const stats: CmvnStats = {
      sum: Float64Array.from(globalMean, (m) => m * count),
      sumSq: Float64Array.from(globalMean, (m) => (m * m + 4) * count),
      count,
    };
    const mfcc = computeMfcc(pcm);
    const pitch = computePitchFeatures(pcm);
    const joined = new Float32Array(T * DIM);
    for (let t = 0; t < T; t++) {
      joined.set(mfcc.subarray(t * CEPS, (t + 1) * CEPS), t * DIM);
      joined.set(pitch.subarray(t * 3, (t + 1) * 3), t * DIM + CEPS);
    }
    const normalized = applyOnlineCmvn(joined, DIM, stats);
    for (const d of [0, CEPS, CEPS + 1, CEPS + 2]) {
      const theirs = libvosk({ weights: oneHot(d), cmvn: stats });
      expect(Math.abs(theirs - columnSum(normalized, DIM, d)) / T, `dim ${d}`).toBeLessThan(1e-3);
    }
    // the pitch dims really are normalized (global mean 5 pulls them far from the raw sum)
    expect(Math.abs(libvosk({ weights: oneHot(CEPS), cmvn: stats }) - columnSum(pitch, 3, 0))).toBeGreaterThan(100);
  });
});

describe('the comparison can fail', () => {
  it('a different option changes libvosk’s pitch, and the default-option features no longer match', () => {
    const mine = computePitchFeatures(pcm);
    const other: PitchOptions = { ...TELEPHONY_PITCH, minF0: 120, maxF0: 300 };
    const theirs = libvosk({ weights: oneHot(CEPS + 1), pitch: other });
    expect(Math.abs(theirs - columnSum(mine, 3, 1)) / T).toBeGreaterThan(0.01);
    // …while the port with those options matches again
    expect(Math.abs(theirs - columnSum(computePitchFeatures(pcm, other), 3, 1)) / T).toBeLessThan(1e-4);
  });

  it('the final (offline) features are not what the network sees', () => {
    const first = computePitchFeatures(pcm);
    const final = computeFinalPitchFeatures(pcm);
    let differing = 0;
    for (let t = 0; t < T; t++) {
      if (Math.abs((first[t * 3 + 1] as number) - (final[t * 3 + 1] as number)) < 1e-4) continue;
      differing++;
      const theirs = libvosk({ weights: oneHot(CEPS + 1), onlyFrame: t });
      expect(Math.abs(theirs - (first[t * 3 + 1] as number)), `frame ${t}`).toBeLessThan(1e-4);
      expect(Math.abs(theirs - (final[t * 3 + 1] as number)), `frame ${t}`).toBeGreaterThan(1e-4);
    }
    expect(differing).toBeGreaterThan(0);
  });

  it('Kaldi’s default delta-pitch noise makes libvosk non-reproducible (why TELEPHONY_PITCH sets it to 0)', () => {
    const noisy: PitchOptions = { ...TELEPHONY_PITCH, deltaPitchNoiseStddev: 0.005 };
    const a = libvosk({ weights: oneHot(CEPS + 2), pitch: noisy });
    const b = libvosk({ weights: oneHot(CEPS + 2), pitch: noisy });
    expect(a).not.toBe(b);
    // without noise, identical decodes give identical sums
    expect(libvosk({ weights: oneHot(CEPS + 2) })).toBe(libvosk({ weights: oneHot(CEPS + 2) }));
  });
});
