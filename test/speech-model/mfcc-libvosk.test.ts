// Proves the builder's MFCC equals the MFCC libvosk computes from conf/mfcc.conf: a probe
// model's per-frame log-likelihood is w·mfcc, so the decoded confidence (graph cost 0, acoustic
// scale 1) is Σ_t w·mfcc_t as libvosk computed it. One-hot w exposes each dimension; prefixes of
// the audio expose single frames.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMfcc, numMfccFrames, TELEPHONY_MFCC, type MfccOptions } from '../../src/speech/audio/mfcc.ts';
import { applyOnlineCmvn, CMN_WINDOW, type CmvnStats } from '../../scripts/speech-model/cmvn.ts';
import { resample, toFloat32, toInt16 } from '../../src/speech/audio/resample.ts';
import { readWav } from '../../src/speech/audio/wav.ts';
import { setVoskLogLevel, VoskModel, VoskRecognizer } from '../../src/speech/libvosk.ts';
import { writeProbeModel } from './support/probe-model.ts';

let dir: string;
let pcm: Int16Array;

function libvoskSum(weights: number[], audio: Int16Array, bias = 0, cmvn?: CmvnStats, utterances = 1, mfcc: MfccOptions = TELEPHONY_MFCC): number {
  const modelDir = join(dir, `m${Math.random().toString(36).slice(2)}`);
  writeProbeModel(modelDir, weights, bias, cmvn, mfcc);
  const model = new VoskModel(modelDir);
  const rec = new VoskRecognizer(model, { sampleRate: 8000 });
  try {
    let confidence = Number.NaN;
    for (let u = 0; u < utterances; u++) {
      rec.acceptWaveform(audio);
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

beforeAll(() => {
  setVoskLogLevel(-2);
  dir = mkdtempSync(join(tmpdir(), 'mfcc-probe-'));
  const wav = readWav(execFileSync('espeak-ng', ['-v', 'en-gb+f3', '-s', '160', '--stdout', 'four seven, operator']));
  // a little noise so silence is not digital zero (exercises the log floor less than speech)
  const x = resample(toFloat32(wav.samples), wav.sampleRate, 8000);
  for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + 30 * Math.sin(i * 1.3) * Math.cos(i * 0.031);
  pcm = toInt16(x);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('MFCC matches libvosk', () => {
  it('per dimension, summed over the utterance, through either FFT path', () => {
    const feats = computeMfcc(pcm);
    const viaReal = computeMfcc(pcm, TELEPHONY_MFCC, 'real');
    const T = numMfccFrames(pcm.length);
    expect(T).toBeGreaterThan(100);
    for (let d = 0; d < 13; d++) {
      const w = Array.from({ length: 13 }, (_, k) => (k === d ? 1 : 0));
      let mine = 0, mineReal = 0;
      for (let t = 0; t < T; t++) {
        mine += feats[t * 13 + d] as number;
        mineReal += viaReal[t * 13 + d] as number;
      }
      const theirs = libvoskSum(w, pcm);
      // mean per-frame difference well under 0.01 (features range roughly ±50)
      expect(Math.abs(theirs - mine) / T, `dim ${d}: libvosk ${theirs} vs ${mine}`).toBeLessThan(0.005);
      expect(Math.abs(theirs - mineReal) / T, `dim ${d}: libvosk ${theirs} vs ${mineReal} (real-input FFT)`).toBeLessThan(0.005);
    }
    // the two paths differ by double rounding only
    for (let i = 0; i < feats.length; i++) expect(Math.abs((viaReal[i] as number) - (feats[i] as number))).toBeLessThan(1e-4);
  });

  it('with 23 cepstra (the whole log-mel spectrum, as the Mandarin model uses), per dimension', () => {
    const o: MfccOptions = { ...TELEPHONY_MFCC, numCeps: 23 };
    const feats = computeMfcc(pcm, o);
    const T = numMfccFrames(pcm.length, o);
    for (let d = 0; d < 23; d++) {
      const w = Array.from({ length: 23 }, (_, k) => (k === d ? 1 : 0));
      let mine = 0;
      for (let t = 0; t < T; t++) mine += feats[t * 23 + d] as number;
      const theirs = libvoskSum(w, pcm, 0, undefined, 1, o);
      expect(Math.abs(theirs - mine) / T, `dim ${d}: libvosk ${theirs} vs ${mine}`).toBeLessThan(0.005);
    }
  });

  it('frame by frame (differences of prefix sums)', () => {
    const feats = computeMfcc(pcm);
    const w = [0.3, -0.2, 0.1, 0.05, -0.07, 0.11, 0.02, -0.13, 0.08, 0.04, -0.03, 0.06, -0.09];
    let prev = 0;
    // frames 40..44 lie inside speech; prefix of n frames = 200 + 80(n-1) samples
    const base = 40;
    prev = libvoskSum(w, pcm.subarray(0, 200 + 80 * (base - 1)));
    for (let n = base + 1; n <= base + 4; n++) {
      const cur = libvoskSum(w, pcm.subarray(0, 200 + 80 * (n - 1)));
      const frame = n - 1;
      let mine = 0;
      for (let d = 0; d < 13; d++) mine += (w[d] as number) * (feats[frame * 13 + d] as number);
      expect(Math.abs(cur - prev - mine), `frame ${frame}`).toBeLessThan(0.01);
      prev = cur;
    }
  });
});

describe('online CMVN matches libvosk (am/global_cmvn.stats)', () => {
  // Global stats deliberately far from this utterance's own mean, so the smoothing toward the
  // global mean (first frames) and the sliding window both show in the sums.
  const dim = 13;
  const count = 5000;
  const globalMean = Array.from({ length: dim }, (_, d) => (d === 0 ? 40 : d % 2 ? 3 : -2));
  const stats: CmvnStats = {
    sum: Float64Array.from(globalMean, (m) => m * count),
    sumSq: Float64Array.from(globalMean, (m) => (m * m + 4) * count),
    count,
  };

  it('changes what the net sees (libvosk reads the file)', () => {
    const w = Array.from({ length: dim }, (_, k) => (k === 0 ? 1 : 0));
    expect(Math.abs(libvoskSum(w, pcm, 0, stats) - libvoskSum(w, pcm))).toBeGreaterThan(100);
  });

  it('per dimension, summed over the utterance', () => {
    const normalized = applyOnlineCmvn(computeMfcc(pcm), dim, stats);
    const T = numMfccFrames(pcm.length);
    for (let d = 0; d < dim; d++) {
      const w = Array.from({ length: dim }, (_, k) => (k === d ? 1 : 0));
      let mine = 0;
      for (let t = 0; t < T; t++) mine += normalized[t * dim + d] as number;
      const theirs = libvoskSum(w, pcm, 0, stats);
      expect(Math.abs(theirs - mine) / T, `dim ${d}: libvosk ${theirs} vs ${mine}`).toBeLessThan(0.005);
    }
  });

  it('past the 600-frame window, and again on a second utterance of the same recognizer', () => {
    // > CMN_WINDOW frames: repeat the audio until it is longer than the window
    const reps = Math.ceil((CMN_WINDOW * 80 + 400) / pcm.length) + 1;
    const long = new Int16Array(pcm.length * reps);
    for (let r = 0; r < reps; r++) long.set(pcm, r * pcm.length);
    const T = numMfccFrames(long.length);
    expect(T).toBeGreaterThan(CMN_WINDOW + 50);
    const normalized = applyOnlineCmvn(computeMfcc(long), dim, stats);
    const w = [0.3, -0.2, 0.1, 0.05, -0.07, 0.11, 0.02, -0.13, 0.08, 0.04, -0.03, 0.06, -0.09];
    let mine = 0;
    for (let t = 0; t < T; t++) for (let d = 0; d < dim; d++) mine += (w[d] as number) * (normalized[t * dim + d] as number);
    expect(Math.abs(libvoskSum(w, long, 0, stats) - mine) / T).toBeLessThan(0.005);
    // libvosk starts every utterance from the global stats again (no carried-over state)
    expect(Math.abs(libvoskSum(w, long, 0, stats, 2) - mine) / T).toBeLessThan(0.005);
  });
});
