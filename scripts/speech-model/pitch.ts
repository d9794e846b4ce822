// Kaldi's online pitch features (OnlinePitchFeature + OnlineProcessPitch) exactly as libvosk
// appends them to the MFCC when a model directory contains conf/pitch.conf, so a model can be
// trained on the very features libvosk feeds its network at run time.
// test/speech-model/pitch-libvosk.test.ts proves this against the real libvosk.
//
// Status: proven exact; the builder can train on it (TrainingPlan.pitch) but no shipped model
// does yet. The Mandarin model is the intended user (tones; merged repeated digits are its top
// error), but this costs ≈ 17 ms per audio second in TypeScript (a 2.56 s utterance: 43 ms,
// MFCC 2.7 ms). Reusing clean-audio pitch for noisy training copies was tried and hurt 10 dB
// accuracy badly (see train-language.ts's TrainingPlan.pitch); computing it on every noisy
// copy adds ≈ 600 s to the Mandarin build — this port needs to get faster first.
//
// Verified facts (sources read from kaldi-asr/kaldi and alphacep/vosk-api; libvosk from npm
// `vosk`, whose libvosk.so contains the strings "/conf/pitch.conf", "delta-pitch-noise-stddev",
// "OnlineProcessPitch", "OnlinePitchFeatureImpl" …):
//
// * vosk-api src/model.cc (ReadDataFiles): if <model>/conf/pitch.conf exists, it sets
//   feature_info_.add_pitch = true and reads PitchExtractionOptions *and* ProcessPitchOptions
//   from that one file (ReadConfigsFromFile). So one file carries both option sets.
// * kaldi src/online2/online-nnet2-feature-pipeline.cc: the pipeline is
//   OnlineAppendFeature(base, OnlineProcessPitch(OnlinePitchFeature)). The MFCC comes first,
//   then the pitch dims (3 by default: POV feature, normalized log-pitch, delta log-pitch).
//   OnlineAppendFeature::NumFramesReady = min(MFCC frames, pitch frames)
//   (src/feat/online-feature.h), so a model sees min(#MFCC, #pitch) frames; with snip-edges=true,
//   8 kHz, 25/10 ms, at the end of an utterance MFCC has 1+⌊(N−200)/80⌋ and pitch
//   1+⌊(⌈N/2⌉−100)/40⌋ frames (4 kHz signal, flushed), i.e. pitch ≥ MFCC, so the MFCC count
//   wins (the probe counts exactly #MFCC frames).
// * Online CMVN (am/global_cmvn.stats) is applied AFTER the pitch is appended, to MFCC+pitch:
//   upstream kaldi src/online2/online-nnet2-feature-pipeline.cc builds
//   OnlineCmvn(feature_plus_optional_pitch_), and vosk-api model.cc only sets
//   feature_info_.use_cmvn/global_cmvn_stats. (Some Kaldi forks apply CMVN to the MFCC only and
//   truncate the stats; this libvosk does not.) Verified with the probe: with pitch.conf,
//   a 13-dim global_cmvn.stats makes libvosk die with "ASSERTION_FAILED … AddMat()", and a
//   16-dim one mean-normalizes the pitch dims too. So a model with pitch + CMVN needs
//   global_cmvn.stats over numCeps+3 dims, and its network sees
//   applyOnlineCmvn([mfcc | computePitchFeatures(...)]) — exact while the utterance is shorter
//   than the 600-frame CMN window (OnlineCmvn adds each frame's value as first read; beyond
//   600 frames it subtracts the value of frame t−600 as it is at time t, which for pitch can
//   differ from the first-pass value after RecomputeBacktraces at frame 500).
// * vosk-api src/recognizer.cc: AcceptWaveform splits every call into steps of
//   static_cast<int>(sample_frequency * 0.2) samples and, after each step, runs the decoder on
//   every feature frame that is ready (the probe confirms it for this libvosk: simulating one
//   step per call mismatches 62 of 438 frame values, 0.2 s steps mismatch none).
//   OnlineProcessPitch only reports frames once normalization-right-context (75) later frames
//   exist, and the looped nnet3 decodable (kaldi nnet3/decodable-online-looped.cc) reads
//   features in chunks of frames-per-chunk frames. Upstream Kaldi's default is 20
//   (NnetSimpleLoopedComputationOptions); this libvosk's is 24 — a Kaldi fork's
//   nnet3/decodable-simple-looped.h has frames_per_chunk(24), and the probe agrees: 24 matches
//   every frame, 20/21/25/30 do not, and an explicit --frames-per-chunk=N in conf/model.conf
//   (vosk registers the decodable options there) matches N.
//   So the network sees "first-pass" pitch features for most frames — computed from the signal
//   received so far, with the Viterbi traceback and the NCCF ballast (signal energy)
//   as known at that moment — and the final (after InputFinished) features only for the frames
//   decoded by FinalResult. computePitchFeatures() simulates that schedule exactly.
// * Delta-pitch noise: OnlineProcessPitch::GetDeltaPitchFeature adds
//   RandGauss() * delta_pitch_noise_stddev (default 0.005) per frame, where RandGauss draws from
//   the process-global C rand() (kaldi base/kaldi-math.cc Rand(): std::rand() under a mutex,
//   never seeded by Kaldi/Vosk). The noise therefore depends on every earlier rand() call in the
//   process and cannot be reproduced per utterance. TELEPHONY_PITCH sets it to 0, which makes
//   the features deterministic (RandGauss() is always finite, so 0 * RandGauss() == 0).
// * Precision: Kaldi computes most of this in float (BaseFloat), with some steps in double; the
//   port rounds with Math.fround at the same places. Dot products (cblas_sdot/sgemv in libvosk's
//   BLAS) are accumulated in double here and rounded to float once, so values can differ from
//   libvosk in the last float bits; that can, very rarely, flip a near-tie in the Viterbi search.

const f32 = Math.fround;

/** Kaldi PitchExtractionOptions + ProcessPitchOptions (feat/pitch-functions.h), camelCased. */
export interface PitchOptions {
  // PitchExtractionOptions
  sampleFrequency: number;
  frameShiftMs: number;
  frameLengthMs: number;
  preemphasisCoefficient: number;
  minF0: number;
  maxF0: number;
  softMinF0: number;
  penaltyFactor: number;
  lowpassCutoff: number;
  resampleFrequency: number;
  deltaPitch: number;
  nccfBallast: number;
  nccfBallastOnline: boolean;
  lowpassFilterWidth: number;
  upsampleFilterWidth: number;
  framesPerChunk: number;
  simulateFirstPassOnline: boolean;
  recomputeFrame: number;
  maxFramesLatency: number;
  snipEdges: boolean;
  // ProcessPitchOptions
  pitchScale: number;
  povScale: number;
  povOffset: number;
  deltaPitchScale: number;
  deltaPitchNoiseStddev: number;
  normalizationLeftContext: number;
  normalizationRightContext: number;
  deltaWindow: number;
  delay: number;
  addPovFeature: boolean;
  addNormalizedLogPitch: boolean;
  addDeltaPitch: boolean;
  addRawLogPitch: boolean;
}

/** Kaldi's own defaults (note: 16 kHz and delta-pitch noise on). */
export const KALDI_PITCH_DEFAULTS: PitchOptions = {
  sampleFrequency: 16000,
  frameShiftMs: 10,
  frameLengthMs: 25,
  preemphasisCoefficient: 0,
  minF0: 50,
  maxF0: 400,
  softMinF0: 10,
  penaltyFactor: 0.1,
  lowpassCutoff: 1000,
  resampleFrequency: 4000,
  deltaPitch: 0.005,
  nccfBallast: 7000,
  nccfBallastOnline: false,
  lowpassFilterWidth: 1,
  upsampleFilterWidth: 5,
  framesPerChunk: 0,
  simulateFirstPassOnline: false,
  recomputeFrame: 500,
  maxFramesLatency: 0,
  snipEdges: true,
  pitchScale: 2,
  povScale: 2,
  povOffset: 0,
  deltaPitchScale: 10,
  deltaPitchNoiseStddev: 0.005,
  normalizationLeftContext: 75,
  normalizationRightContext: 75,
  deltaWindow: 2,
  delay: 0,
  addPovFeature: true,
  addNormalizedLogPitch: true,
  addDeltaPitch: true,
  addRawLogPitch: false,
};

/**
 * Telephony (8 kHz) pitch, frames aligned with TELEPHONY_MFCC (25/10 ms, snip-edges), f0 search
 * 50–400 Hz, and no delta-pitch noise (Kaldi draws it from the unseeded process-global rand(),
 * so with noise the features libvosk computes are not reproducible).
 */
export const TELEPHONY_PITCH: PitchOptions = { ...KALDI_PITCH_DEFAULTS, sampleFrequency: 8000, deltaPitchNoiseStddev: 0 };

/** conf/pitch.conf text with every option written explicitly (Kaldi option names). */
export function pitchConfText(o: PitchOptions): string {
  const b = (v: boolean): string => (v ? 'true' : 'false');
  return [
    `--sample-frequency=${o.sampleFrequency}`,
    `--frame-shift=${o.frameShiftMs}`,
    `--frame-length=${o.frameLengthMs}`,
    `--preemphasis-coefficient=${o.preemphasisCoefficient}`,
    `--min-f0=${o.minF0}`,
    `--max-f0=${o.maxF0}`,
    `--soft-min-f0=${o.softMinF0}`,
    `--penalty-factor=${o.penaltyFactor}`,
    `--lowpass-cutoff=${o.lowpassCutoff}`,
    `--resample-frequency=${o.resampleFrequency}`,
    `--delta-pitch=${o.deltaPitch}`,
    `--nccf-ballast=${o.nccfBallast}`,
    `--nccf-ballast-online=${b(o.nccfBallastOnline)}`,
    `--lowpass-filter-width=${o.lowpassFilterWidth}`,
    `--upsample-filter-width=${o.upsampleFilterWidth}`,
    `--frames-per-chunk=${o.framesPerChunk}`,
    `--simulate-first-pass-online=${b(o.simulateFirstPassOnline)}`,
    `--recompute-frame=${o.recomputeFrame}`,
    `--max-frames-latency=${o.maxFramesLatency}`,
    `--snip-edges=${b(o.snipEdges)}`,
    `--pitch-scale=${o.pitchScale}`,
    `--pov-scale=${o.povScale}`,
    `--pov-offset=${o.povOffset}`,
    `--delta-pitch-scale=${o.deltaPitchScale}`,
    `--delta-pitch-noise-stddev=${o.deltaPitchNoiseStddev}`,
    `--normalization-left-context=${o.normalizationLeftContext}`,
    `--normalization-right-context=${o.normalizationRightContext}`,
    `--delta-window=${o.deltaWindow}`,
    `--delay=${o.delay}`,
    `--add-pov-feature=${b(o.addPovFeature)}`,
    `--add-normalized-log-pitch=${b(o.addNormalizedLogPitch)}`,
    `--add-delta-pitch=${b(o.addDeltaPitch)}`,
    `--add-raw-log-pitch=${b(o.addRawLogPitch)}`,
    '',
  ].join('\n');
}

/** Number of pitch dimensions appended (3 with the defaults). */
export function pitchDim(o: PitchOptions): number {
  return (o.addPovFeature ? 1 : 0) + (o.addNormalizedLogPitch ? 1 : 0) + (o.addDeltaPitch ? 1 : 0) + (o.addRawLogPitch ? 1 : 0);
}

// ---------------------------------------------------------------------------------------------
// small float helpers

/** Float dot product (cblas_sdot): accumulated in double, rounded to float once. */
function sdot(a: Float32Array, ai: number, b: Float32Array, bi: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[ai + i] as number) * (b[bi + i] as number);
  return f32(s);
}

function ssum(a: Float32Array, start: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[start + i] as number;
  return f32(s);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

const M_2PI = 2 * Math.PI;

/** LinearResample::FilterFunc / ArbitraryResample::FilterFunc (BaseFloat in and out). */
function filterFunc(t: number, numZeros: number, cutoff: number): number {
  t = f32(t);
  const window = Math.abs(t) < numZeros / (2.0 * cutoff) ? f32(0.5 * (1 + Math.cos(((M_2PI * cutoff) / numZeros) * t))) : 0;
  const filter = t !== 0 ? f32(Math.sin(M_2PI * cutoff * t) / (Math.PI * t)) : f32(2.0 * cutoff);
  return f32(filter * window);
}

// ---------------------------------------------------------------------------------------------
// feat/resample.cc

/** Kaldi LinearResample (streaming), used to downsample the signal to resample-frequency. */
export class LinearResample {
  private readonly inRate: number;
  private readonly outRate: number;
  private readonly cutoff: number;
  private readonly numZeros: number;
  private readonly inUnit: number;
  private readonly outUnit: number;
  private readonly firstIndex: number[] = [];
  private readonly weights: Float32Array[] = [];
  private inputOffset = 0;
  private outputOffset = 0;
  private remainder = new Float32Array(0);

  constructor(inRateHz: number, outRateHz: number, cutoffHz: number, numZeros: number) {
    this.inRate = Math.trunc(inRateHz);
    this.outRate = Math.trunc(outRateHz);
    this.cutoff = f32(cutoffHz);
    this.numZeros = numZeros;
    if (!(this.cutoff * 2 <= this.inRate && this.cutoff * 2 <= this.outRate && numZeros > 0)) throw new Error('LinearResample: bad arguments');
    const base = gcd(this.inRate, this.outRate);
    this.inUnit = this.inRate / base;
    this.outUnit = this.outRate / base;
    const windowWidth = this.numZeros / (2.0 * this.cutoff);
    for (let i = 0; i < this.outUnit; i++) {
      const outputT = i / this.outRate;
      const minT = outputT - windowWidth;
      const maxT = outputT + windowWidth;
      const minIndex = Math.ceil(minT * this.inRate);
      const maxIndex = Math.floor(maxT * this.inRate);
      const w = new Float32Array(maxIndex - minIndex + 1);
      for (let j = 0; j < w.length; j++) {
        const inputT = (minIndex + j) / this.inRate;
        w[j] = f32(filterFunc(inputT - outputT, this.numZeros, this.cutoff) / this.inRate);
      }
      this.firstIndex.push(minIndex);
      this.weights.push(w);
    }
  }

  private numOutputSamples(inputNumSamp: number, flush: boolean): number {
    const tickFreq = (this.inRate / gcd(this.inRate, this.outRate)) * this.outRate;
    const ticksPerInput = tickFreq / this.inRate;
    let interval = inputNumSamp * ticksPerInput;
    if (!flush) {
      const windowWidth = f32(this.numZeros / (2.0 * this.cutoff));
      interval -= Math.floor(f32(windowWidth * tickFreq));
    }
    if (interval <= 0) return 0;
    const ticksPerOutput = tickFreq / this.outRate;
    let last = Math.floor(interval / ticksPerOutput);
    if (last * ticksPerOutput === interval) last--;
    return last + 1;
  }

  resample(input: Float32Array, flush: boolean): Float32Array {
    const inputDim = input.length;
    const totIn = this.inputOffset + inputDim;
    const totOut = this.numOutputSamples(totIn, flush);
    const out = new Float32Array(Math.max(0, totOut - this.outputOffset));
    for (let sampOut = this.outputOffset; sampOut < totOut; sampOut++) {
      const unit = Math.floor(sampOut / this.outUnit);
      const wrapped = sampOut - unit * this.outUnit;
      const firstSampIn = (this.firstIndex[wrapped] as number) + unit * this.inUnit;
      const w = this.weights[wrapped] as Float32Array;
      const first = firstSampIn - this.inputOffset;
      let v: number;
      if (first >= 0 && first + w.length <= inputDim) {
        v = sdot(input, first, w, 0, w.length);
      } else {
        v = 0;
        for (let i = 0; i < w.length; i++) {
          const idx = first + i;
          const wi = w[i] as number;
          if (idx < 0 && this.remainder.length + idx >= 0) v = f32(v + f32(wi * (this.remainder[this.remainder.length + idx] as number)));
          else if (idx >= 0 && idx < inputDim) v = f32(v + f32(wi * (input[idx] as number)));
        }
      }
      out[sampOut - this.outputOffset] = v;
    }
    if (flush) {
      this.inputOffset = 0;
      this.outputOffset = 0;
      this.remainder = new Float32Array(0);
    } else {
      const need = Math.ceil(f32((this.inRate * this.numZeros) / this.cutoff));
      const old = this.remainder;
      const rem = new Float32Array(need);
      for (let index = -need; index < 0; index++) {
        const ii = index + inputDim;
        if (ii >= 0) rem[index + need] = input[ii] as number;
        else if (ii + old.length >= 0) rem[index + need] = old[ii + old.length] as number;
      }
      this.remainder = rem;
      this.inputOffset = totIn;
      this.outputOffset = totOut;
    }
    return out;
  }
}

/** Kaldi ArbitraryResample, used to resample the NCCF onto the log-spaced lags. */
class ArbitraryResample {
  readonly firstIndex: number[] = [];
  readonly weights: Float32Array[] = [];

  constructor(numSamplesIn: number, sampRateIn: number, cutoff: number, samplePoints: Float32Array, numZeros: number) {
    sampRateIn = f32(sampRateIn);
    cutoff = f32(cutoff);
    const filterWidth = f32(numZeros / (2.0 * cutoff));
    for (let i = 0; i < samplePoints.length; i++) {
      const t = samplePoints[i] as number;
      const tMin = f32(t - filterWidth);
      const tMax = f32(t + filterWidth);
      let indexMin = Math.ceil(f32(sampRateIn * tMin));
      let indexMax = Math.floor(f32(sampRateIn * tMax));
      if (indexMin < 0) indexMin = 0;
      if (indexMax >= numSamplesIn) indexMax = numSamplesIn - 1;
      const w = new Float32Array(indexMax - indexMin + 1);
      for (let j = 0; j < w.length; j++) {
        const deltaT = f32(t - f32((indexMin + j) / sampRateIn));
        w[j] = f32(filterFunc(deltaT, numZeros, cutoff) / sampRateIn);
      }
      this.firstIndex.push(indexMin);
      this.weights.push(w);
    }
  }

  resampleRow(input: Float32Array, out: Float32Array): void {
    for (let i = 0; i < this.weights.length; i++) {
      const w = this.weights[i] as Float32Array;
      out[i] = sdot(input, this.firstIndex[i] as number, w, 0, w.length);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// feat/pitch-functions.cc: OnlinePitchFeatureImpl

/** NccfToPovFeature: (1.0001 − n)^0.15 − 1. */
function nccfToPovFeature(n: number): number {
  if (n > 1.0) n = 1.0;
  else if (n < -1.0) n = -1.0;
  return f32(Math.pow(1.0001 - n, 0.15) - 1.0);
}

/** NccfToPov: the probability of voicing used as the normalization weight. */
function nccfToPov(n: number): number {
  let nd = Math.abs(n);
  if (nd > 1.0) nd = 1.0;
  const r = f32(-5.2 + 5.4 * Math.exp(7.5 * (nd - 1.0)) + 4.8 * nd - 2.0 * Math.exp(-10.0 * nd) + 4.2 * Math.exp(20.0 * (nd - 1.0)));
  return f32(1.0 / (1 + Math.exp(-1.0 * r)));
}

class PitchFrameInfo {
  readonly backpointer: Int32Array;
  readonly povNccf: Float32Array;
  curBestState = -1;
  constructor(
    numStates: number,
    readonly prev: PitchFrameInfo | null,
  ) {
    this.backpointer = new Int32Array(numStates);
    this.povNccf = new Float32Array(numStates);
  }

  computeBacktraces(o: PitchOptions, nccfPitch: Float32Array, lags: Float32Array, prevCost: Float32Array, bounds: Int32Array, thisCost: Float32Array): void {
    const n = nccfPitch.length;
    // ComputeLocalCost: 1 − nccf + soft_min_f0 · lag · nccf
    const local = new Float32Array(n);
    const softMin = f32(o.softMinF0);
    for (let i = 0; i < n; i++) {
      const c = f32(1.0 - (nccfPitch[i] as number));
      // AddVecVec is a banded gemv: y += (alpha·x_j)·a_j
      local[i] = f32(c + f32(f32(softMin * (nccfPitch[i] as number)) * (lags[i] as number)));
    }
    const dpSq = f32(Math.pow(Math.log(1.0 + f32(o.deltaPitch)), 2.0));
    const factor = f32(dpSq * f32(o.penaltyFactor));
    const cost = (j: number, i: number): number => f32(f32((j - i) * (j - i) * factor) + (prevCost[j] as number));
    const bp = this.backpointer;
    // bounds[2i] lower bound, bounds[2i+1] upper bound on the backpointer of state i
    let last = 0;
    for (let i = 0; i < n; i++) {
      const startJ = last;
      let best = cost(startJ, i);
      let bestJ = startJ;
      for (let j = startJ + 1; j < n; j++) {
        const c = cost(j, i);
        if (c < best) {
          best = c;
          bestJ = j;
        } else break;
      }
      bp[i] = bestJ;
      thisCost[i] = best;
      bounds[2 * i] = bestJ;
      bounds[2 * i + 1] = n - 1;
      last = bestJ;
    }
    for (let iter = 0; iter < n; iter++) {
      let changed = false;
      if (iter % 2 === 0) {
        last = n - 1;
        for (let i = n - 1; i >= 0; i--) {
          const lower = bounds[2 * i] as number;
          const upper = Math.min(last, bounds[2 * i + 1] as number);
          if (upper === lower) {
            last = lower;
            continue;
          }
          let best = thisCost[i] as number;
          let bestJ = bp[i] as number;
          const initial = bestJ;
          if (bestJ === upper) {
            last = bestJ;
            continue;
          }
          for (let j = upper; j > lower + 1; j--) {
            const c = cost(j, i);
            if (c < best) {
              best = c;
              bestJ = j;
            } else if (bestJ > j) break;
          }
          bounds[2 * i + 1] = bestJ;
          if (bestJ !== initial) {
            thisCost[i] = best;
            bp[i] = bestJ;
            changed = true;
          }
          last = bestJ;
        }
      } else {
        last = 0;
        for (let i = 0; i < n; i++) {
          const lower = Math.max(last, bounds[2 * i] as number);
          const upper = bounds[2 * i + 1] as number;
          if (upper === lower) {
            last = lower;
            continue;
          }
          let best = thisCost[i] as number;
          let bestJ = bp[i] as number;
          const initial = bestJ;
          if (bestJ === lower) {
            last = bestJ;
            continue;
          }
          for (let j = lower; j < upper - 1; j++) {
            const c = cost(j, i);
            if (c < best) {
              best = c;
              bestJ = j;
            } else if (bestJ < j) break;
          }
          bounds[2 * i] = bestJ;
          if (bestJ !== initial) {
            thisCost[i] = best;
            bp[i] = bestJ;
            changed = true;
          }
          last = bestJ;
        }
      }
      if (!changed) break;
    }
    this.curBestState = -1;
    for (let i = 0; i < n; i++) thisCost[i] = f32((thisCost[i] as number) + (local[i] as number));
  }

  /** Traces back from this (latest) frame; lagNccf is indexed by frame. */
  setBestState(bestState: number, lagIdx: number[], lagNccf: number[]): void {
    let t = lagIdx.length - 1;
    let info: PitchFrameInfo | null = this;
    while (info !== null) {
      const prev: PitchFrameInfo | null = info.prev;
      if (bestState === info.curBestState) return;
      if (prev !== null) lagIdx[t] = bestState;
      info.curBestState = bestState;
      const s = bestState;
      bestState = info.backpointer[s] as number;
      if (prev !== null) lagNccf[t] = info.povNccf[s] as number;
      info = prev;
      if (info !== null) t--;
    }
  }

  computeLatency(maxLatency: number): number {
    if (maxLatency <= 0) return 0;
    let latency = 0;
    let minLiving = 0;
    let maxLiving = this.backpointer.length - 1;
    let info: PitchFrameInfo | null = this;
    while (info !== null && latency < maxLatency) {
      minLiving = info.backpointer[minLiving] as number;
      maxLiving = info.backpointer[maxLiving] as number;
      if (minLiving === maxLiving) return latency;
      info = info.prev;
      if (info !== null) latency++;
    }
    return latency;
  }
}

interface NccfInfo {
  nccfPitchResampled: Float32Array;
  avgNormProd: number;
  meanSquareEnergy: number;
}

function approxEqual(a: number, b: number, tol: number): boolean {
  if (a === b) return true;
  const diff = f32(Math.abs(f32(a - b)));
  if (diff === Infinity || Number.isNaN(diff)) return false;
  return diff <= f32(tol * f32(Math.abs(a) + Math.abs(b)));
}

/** Port of Kaldi's OnlinePitchFeature (OnlinePitchFeatureImpl): raw (NCCF, pitch) per frame. */
export class OnlinePitchFeature {
  private readonly o: PitchOptions;
  private readonly nccfFirstLag: number;
  private readonly nccfLastLag: number;
  readonly lags: Float32Array;
  private readonly nccfResampler: ArbitraryResample;
  private readonly signalResampler: LinearResample;
  private readonly frameShift: number;
  private readonly frameLength: number;
  private readonly frameInfo: PitchFrameInfo[];
  private nccfInfo: NccfInfo[] = [];
  private framesLatency = 0;
  private forwardCost: Float32Array;
  private forwardCostRemainder = 0;
  private readonly lagIdx: number[] = [];
  private readonly lagNccf: number[] = [];
  private inputFinished = false;
  private signalSumsq = 0;
  private signalSum = 0;
  private processed = 0;
  /** The whole downsampled signal so far (Kaldi keeps only a remainder; the samples are the same). */
  private signal = new Float32Array(4096);

  constructor(o: PitchOptions) {
    this.o = o;
    // framesPerChunk and simulateFirstPassOnline only affect compute-kaldi-pitch-feats, never the
    // online feature libvosk computes, so they are written to pitch.conf but unused here.
    this.signalResampler = new LinearResample(o.sampleFrequency, o.resampleFrequency, o.lowpassCutoff, o.lowpassFilterWidth);
    const minF0 = f32(o.minF0);
    const maxF0 = f32(o.maxF0);
    const rf = f32(o.resampleFrequency);
    const outerMinLag = 1.0 / maxF0 - o.upsampleFilterWidth / (2.0 * rf);
    const outerMaxLag = 1.0 / minF0 + o.upsampleFilterWidth / (2.0 * rf);
    this.nccfFirstLag = Math.ceil(rf * outerMinLag);
    this.nccfLastLag = Math.floor(rf * outerMaxLag);
    // SelectLags
    const lags: number[] = [];
    const minLag = f32(1.0 / maxF0);
    const maxLag = f32(1.0 / minF0);
    const ratio = 1.0 + f32(o.deltaPitch);
    for (let lag = minLag; lag <= maxLag; lag = f32(lag * ratio)) lags.push(lag);
    this.lags = Float32Array.from(lags);
    const upsampleCutoff = f32(rf * 0.5);
    const offset = f32(this.nccfFirstLag / rf);
    const lagsOffset = Float32Array.from(this.lags, (l) => f32(l - offset));
    const numMeasured = this.nccfLastLag + 1 - this.nccfFirstLag;
    this.nccfResampler = new ArbitraryResample(numMeasured, rf, upsampleCutoff, lagsOffset, o.upsampleFilterWidth);
    this.frameInfo = [new PitchFrameInfo(this.lags.length, null)];
    this.forwardCost = new Float32Array(this.lags.length);
    this.frameShift = Math.trunc(f32(rf * f32(o.frameShiftMs)) / 1000.0);
    this.frameLength = Math.trunc(f32(rf * f32(o.frameLengthMs)) / 1000.0);
  }

  numFramesReady(): number {
    return this.lagIdx.length - this.framesLatency;
  }

  isLastFrame(frame: number): boolean {
    return this.inputFinished && frame + 1 === this.numFramesReady();
  }

  /** (NCCF for the POV feature, pitch in Hz) of `frame`. */
  getFrame(frame: number): [number, number] {
    if (frame >= this.numFramesReady()) throw new Error(`pitch frame ${frame} not ready`);
    return [this.lagNccf[frame] as number, f32(1.0 / (this.lags[this.lagIdx[frame] as number] as number))];
  }

  private numFramesAvailable(numDownsampled: number): number {
    const shift = this.frameShift;
    let length = this.frameLength;
    if (!this.inputFinished) length += this.nccfLastLag;
    if (numDownsampled < length) return 0;
    if (!this.o.snipEdges) {
      if (this.inputFinished) return Math.trunc(f32(f32(f32(numDownsampled) / shift) + 0.5));
      return Math.trunc(f32(f32(f32(numDownsampled - Math.trunc(length / 2)) / shift) + 0.5));
    }
    return Math.floor((numDownsampled - length) / shift) + 1;
  }

  private appendSignal(part: Float32Array): void {
    const need = this.processed + part.length;
    if (need > this.signal.length) {
      const grown = new Float32Array(Math.max(need, this.signal.length * 2));
      grown.set(this.signal.subarray(0, this.processed));
      this.signal = grown;
    }
    this.signal.set(part, this.processed);
  }

  /** UpdateRemainder: signal statistics used by RecomputeBacktraces. */
  private updateRemainder(part: Float32Array): void {
    this.signalSumsq += sdot(part, 0, part, 0, part.length);
    this.signalSum += ssum(part, 0, part.length);
    this.processed += part.length;
  }

  /** OnlinePitchFeatureImpl::ExtractFrame over the whole signal (`total` samples valid). */
  private extractFrame(sampleIndex: number, total: number, window: Float32Array): void {
    window.fill(0);
    const lo = Math.max(0, sampleIndex);
    const hi = Math.min(total, sampleIndex + window.length);
    for (let i = lo; i < hi; i++) window[i - sampleIndex] = this.signal[i] as number;
    const p = f32(this.o.preemphasisCoefficient);
    if (p !== 0) {
      const a = lo - sampleIndex;
      const b = hi - sampleIndex;
      for (let i = b - 1; i > a; i--) window[i] = f32((window[i] as number) - f32(p * (window[i - 1] as number)));
      window[a] = f32((window[a] as number) * (1.0 - p));
    }
  }

  acceptWaveform(wave: Float32Array): void {
    const o = this.o;
    const flush = this.inputFinished;
    const ds = this.signalResampler.resample(wave, flush);
    let curSumsq = this.signalSumsq;
    let curSum = this.signalSum;
    let curNumSamp = this.processed;
    let prevFrameEndSample = 0;
    if (!o.nccfBallastOnline) {
      curSumsq += sdot(ds, 0, ds, 0, ds.length);
      curSum += ssum(ds, 0, ds.length);
      curNumSamp += ds.length;
    }
    const endFrame = this.numFramesAvailable(this.processed + ds.length);
    const startFrame = this.frameInfo.length - 1;
    const numNew = endFrame - startFrame;
    this.appendSignal(ds);
    const total = this.processed + ds.length;
    if (numNew <= 0) {
      this.updateRemainder(ds);
      return;
    }
    const numMeasured = this.nccfLastLag + 1 - this.nccfFirstLag;
    const numLags = this.lags.length;
    const basic = this.frameLength;
    const full = basic + this.nccfLastLag;
    const window = new Float32Array(full);
    const zm = new Float32Array(full);
    const innerProd = new Float32Array(numMeasured);
    const normProd = new Float32Array(numMeasured);
    const nccfPitch = new Float32Array(numMeasured);
    const nccfPov = new Float32Array(numMeasured);
    const pitchRes: Float32Array[] = [];
    const povRes: Float32Array[] = [];
    for (let frame = startFrame; frame < endFrame; frame++) {
      const startSample = o.snipEdges ? frame * this.frameShift : Math.trunc((frame + 0.5) * this.frameShift) - Math.trunc(full / 2);
      this.extractFrame(startSample, total, window);
      if (o.nccfBallastOnline) {
        let endSample = startSample + full - this.processed;
        if (endSample > ds.length) endSample = ds.length;
        const n = endSample - prevFrameEndSample;
        curNumSamp += n;
        curSumsq += sdot(ds, prevFrameEndSample, ds, prevFrameEndSample, n);
        curSum += ssum(ds, prevFrameEndSample, n);
        prevFrameEndSample = endSample;
      }
      const meanSquare = curSumsq / curNumSamp - Math.pow(curSum / curNumSamp, 2.0);
      // ComputeCorrelation
      const mean = f32(ssum(window, 0, basic) / basic);
      for (let i = 0; i < full; i++) zm[i] = f32((window[i] as number) - mean);
      const e1 = sdot(zm, 0, zm, 0, basic);
      for (let lag = this.nccfFirstLag; lag <= this.nccfLastLag; lag++) {
        const e2 = sdot(zm, lag, zm, lag, basic);
        innerProd[lag - this.nccfFirstLag] = sdot(zm, 0, zm, lag, basic);
        normProd[lag - this.nccfFirstLag] = f32(e1 * e2);
      }
      const ballastPitch = f32(Math.pow(meanSquare * basic, 2) * f32(o.nccfBallast));
      const avgNormProd = f32(ssum(normProd, 0, numMeasured) / numMeasured);
      computeNccf(innerProd, normProd, ballastPitch, nccfPitch);
      computeNccf(innerProd, normProd, 0, nccfPov);
      if (frame < o.recomputeFrame) this.nccfInfo.push({ nccfPitchResampled: new Float32Array(0), avgNormProd, meanSquareEnergy: f32(meanSquare) });
      const pr = new Float32Array(numLags);
      this.nccfResampler.resampleRow(nccfPitch, pr);
      const qr = new Float32Array(numLags);
      this.nccfResampler.resampleRow(nccfPov, qr);
      pitchRes.push(pr);
      povRes.push(qr);
    }
    this.updateRemainder(ds);
    const bounds = new Int32Array(2 * numLags);
    const cur = new Float32Array(numLags);
    for (let frame = startFrame; frame < endFrame; frame++) {
      const idx = frame - startFrame;
      const prevInfo = this.frameInfo[this.frameInfo.length - 1] as PitchFrameInfo;
      const info = new PitchFrameInfo(numLags, prevInfo);
      info.povNccf.set(povRes[idx] as Float32Array);
      info.computeBacktraces(o, pitchRes[idx] as Float32Array, this.lags, this.forwardCost, bounds, cur);
      this.forwardCost.set(cur);
      let min = Infinity;
      for (let i = 0; i < numLags; i++) if ((this.forwardCost[i] as number) < min) min = this.forwardCost[i] as number;
      this.forwardCostRemainder += min;
      for (let i = 0; i < numLags; i++) this.forwardCost[i] = f32((this.forwardCost[i] as number) - min);
      this.frameInfo.push(info);
      if (frame < o.recomputeFrame) (this.nccfInfo[frame] as NccfInfo).nccfPitchResampled = pitchRes[idx] as Float32Array;
      if (frame === o.recomputeFrame - 1 && !o.nccfBallastOnline) this.recomputeBacktraces();
    }
    this.traceback(this.frameInfo.length - 1);
  }

  private traceback(numFrames: number): void {
    let best = 0;
    let min = Infinity;
    for (let i = 0; i < this.forwardCost.length; i++) {
      if ((this.forwardCost[i] as number) < min) {
        min = this.forwardCost[i] as number;
        best = i;
      }
    }
    while (this.lagIdx.length < numFrames) {
      this.lagIdx.push(0);
      this.lagNccf.push(0);
    }
    this.lagIdx.length = numFrames;
    this.lagNccf.length = numFrames;
    (this.frameInfo[this.frameInfo.length - 1] as PitchFrameInfo).setBestState(best, this.lagIdx, this.lagNccf);
    this.framesLatency = (this.frameInfo[this.frameInfo.length - 1] as PitchFrameInfo).computeLatency(this.o.maxFramesLatency);
  }

  finish(): void {
    this.inputFinished = true;
    this.acceptWaveform(new Float32Array(0));
    const numFrames = this.frameInfo.length - 1;
    if (numFrames < this.o.recomputeFrame && !this.o.nccfBallastOnline) this.recomputeBacktraces();
    this.framesLatency = 0;
  }

  private recomputeBacktraces(): void {
    const o = this.o;
    const numFrames = this.frameInfo.length - 1;
    if (numFrames === 0) return;
    const numSamp = this.processed;
    const mean = this.signalSum / numSamp;
    const meanSquare = f32(this.signalSumsq / numSamp - mean * mean);
    let mustRecompute = false;
    for (let frame = 0; frame < numFrames; frame++) {
      if (!approxEqual((this.nccfInfo[frame] as NccfInfo).meanSquareEnergy, meanSquare, 0.01)) mustRecompute = true;
    }
    if (!mustRecompute) {
      this.nccfInfo = [];
      return;
    }
    const numStates = this.forwardCost.length;
    const basic = this.frameLength;
    const ballast = f32(o.nccfBallast);
    const newBallast = f32(Math.pow(f32(meanSquare * basic), 2) * ballast);
    let remainderSum = 0;
    let fc = new Float32Array(numStates);
    let next = new Float32Array(numStates);
    const bounds = new Int32Array(2 * numStates);
    for (let frame = 0; frame < numFrames; frame++) {
      const info = this.nccfInfo[frame] as NccfInfo;
      const oldBallast = f32(Math.pow(f32(info.meanSquareEnergy * basic), 2) * ballast);
      const scale = f32(Math.pow(f32(f32(oldBallast + info.avgNormProd) / f32(newBallast + info.avgNormProd)), f32(0.5)));
      const r = info.nccfPitchResampled;
      for (let i = 0; i < r.length; i++) r[i] = f32((r[i] as number) * scale);
      (this.frameInfo[frame + 1] as PitchFrameInfo).computeBacktraces(o, r, this.lags, fc, bounds, next);
      [fc, next] = [next, fc];
      let min = Infinity;
      for (let i = 0; i < numStates; i++) if ((fc[i] as number) < min) min = fc[i] as number;
      remainderSum += min;
      for (let i = 0; i < numStates; i++) fc[i] = f32((fc[i] as number) - min);
    }
    this.forwardCostRemainder = remainderSum;
    this.forwardCost = fc;
    this.traceback(numFrames);
    this.nccfInfo = [];
  }
}

function computeNccf(inner: Float32Array, norm: Float32Array, ballast: number, out: Float32Array): void {
  for (let lag = 0; lag < inner.length; lag++) {
    const num = inner[lag] as number;
    const den = f32(Math.sqrt(f32((norm[lag] as number) + ballast)));
    out[lag] = den !== 0 ? f32(num / den) : 0;
  }
}

// ---------------------------------------------------------------------------------------------
// OnlineProcessPitch

interface NormalizationStats {
  curNumFrames: number;
  inputFinished: boolean;
  sumPov: number;
  sumLogPitchPov: number;
}

/** Port of Kaldi's OnlineProcessPitch: (POV feature, normalized log-pitch, delta log-pitch, raw log-pitch). */
export class OnlineProcessPitch {
  private readonly stats: NormalizationStats[] = [];
  private readonly noise: number[] = [];
  readonly dim: number;
  private readonly deltaScales: Float32Array;

  constructor(
    private readonly o: PitchOptions,
    private readonly src: OnlinePitchFeature,
    /** Source of N(0,1) draws for delta-pitch noise (Kaldi: the global rand()); only used if the stddev is nonzero. */
    private readonly randGauss: () => number = gaussianFromMathRandom,
  ) {
    this.dim = pitchDim(o);
    if (this.dim === 0) throw new Error('at least one pitch feature must be enabled');
    // DeltaFeatures scales for order 1: j / Σj², in float
    const w = o.deltaWindow;
    let normalizer = 0;
    for (let j = -w; j <= w; j++) normalizer = f32(normalizer + j * j);
    const inv = f32(1.0 / normalizer);
    this.deltaScales = new Float32Array(2 * w + 1);
    for (let j = -w; j <= w; j++) this.deltaScales[j + w] = f32(j * inv);
  }

  numFramesReady(): number {
    const ready = this.src.numFramesReady();
    if (ready === 0) return 0;
    if (this.src.isLastFrame(ready - 1)) return ready + this.o.delay;
    return Math.max(0, ready - this.o.normalizationRightContext + this.o.delay);
  }

  getFrame(frame: number, out: Float32Array, offset = 0): void {
    const t = frame < this.o.delay ? 0 : frame - this.o.delay;
    if (t >= this.numFramesReady()) throw new Error(`processed pitch frame ${frame} not ready`);
    let k = offset;
    if (this.o.addPovFeature) out[k++] = f32(f32(f32(this.o.povScale) * nccfToPovFeature(this.src.getFrame(t)[0])) + f32(this.o.povOffset));
    if (this.o.addNormalizedLogPitch) out[k++] = this.normalizedLogPitch(t);
    if (this.o.addDeltaPitch) out[k++] = this.deltaPitch(t);
    if (this.o.addRawLogPitch) out[k++] = this.rawLogPitch(t);
  }

  private rawLogPitch(frame: number): number {
    return f32(Math.log(this.src.getFrame(frame)[1]));
  }

  private deltaPitch(frame: number): number {
    const w = this.o.deltaWindow;
    const start = Math.max(0, frame - w);
    const end = Math.min(frame + w + 1, this.src.numFramesReady());
    const n = end - start;
    const feats = new Float32Array(n);
    for (let g = start; g < end; g++) feats[g - start] = this.rawLogPitch(g);
    const local = frame - start;
    let d = 0;
    for (let j = -w; j <= w; j++) {
      let g = local + j;
      if (g < 0) g = 0;
      else if (g >= n) g = n - 1;
      const s = this.deltaScales[j + w] as number;
      if (s !== 0) d = f32(d + f32(s * (feats[g] as number)));
    }
    while (this.noise.length <= frame) this.noise.push(this.o.deltaPitchNoiseStddev === 0 ? 0 : f32(f32(this.randGauss()) * f32(this.o.deltaPitchNoiseStddev)));
    return f32(f32(d + (this.noise[frame] as number)) * f32(this.o.deltaPitchScale));
  }

  private normalizedLogPitch(frame: number): number {
    this.updateStats(frame);
    const s = this.stats[frame] as NormalizationStats;
    const logPitch = this.rawLogPitch(frame);
    const avg = f32(s.sumLogPitchPov / s.sumPov);
    return f32(f32(logPitch - avg) * f32(this.o.pitchScale));
  }

  private window(t: number, ready: number): [number, number] {
    return [Math.max(0, t - this.o.normalizationLeftContext), Math.min(t + this.o.normalizationRightContext + 1, ready)];
  }

  private updateStats(frame: number): void {
    while (this.stats.length <= frame) this.stats.push({ curNumFrames: -1, inputFinished: false, sumPov: 0, sumLogPitchPov: 0 });
    const cur = this.src.numFramesReady();
    const finished = this.src.isLastFrame(cur - 1);
    const s = this.stats[frame] as NormalizationStats;
    if (s.curNumFrames === cur && s.inputFinished === finished) return;
    const [b, e] = this.window(frame, cur);
    const term = (g: number): [number, number] => {
      const [nccf, pitch] = this.src.getFrame(g);
      const pov = nccfToPov(nccf);
      return [pov, f32(pov * f32(Math.log(pitch)))];
    };
    if (frame > 0) {
      const p = this.stats[frame - 1] as NormalizationStats;
      if (p.curNumFrames === cur && p.inputFinished === finished) {
        s.curNumFrames = p.curNumFrames;
        s.inputFinished = p.inputFinished;
        s.sumPov = p.sumPov;
        s.sumLogPitchPov = p.sumLogPitchPov;
        const [pb, pe] = this.window(frame - 1, cur);
        if (b !== pb) {
          const [pov, lp] = term(pb);
          s.sumPov -= pov;
          s.sumLogPitchPov -= lp;
        }
        if (e !== pe) {
          const [pov, lp] = term(pe);
          s.sumPov += pov;
          s.sumLogPitchPov += lp;
        }
        return;
      }
    }
    s.curNumFrames = cur;
    s.inputFinished = finished;
    s.sumPov = 0;
    s.sumLogPitchPov = 0;
    for (let g = b; g < e; g++) {
      const [pov, lp] = term(g);
      s.sumPov += pov;
      s.sumLogPitchPov += lp;
    }
  }
}

function gaussianFromMathRandom(): number {
  const u1 = 1 - Math.random();
  const u2 = Math.random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

// ---------------------------------------------------------------------------------------------
// What libvosk's network sees

/** How audio reaches libvosk and how its looped nnet3 decodable reads feature frames. */
export interface VoskFeed {
  /** Samples per vosk_recognizer_accept_waveform call; default: the whole utterance in one call. */
  samplesPerCall?: number;
  /** libvosk's internal step per AcceptWaveform (recognizer.cc: int(sample_frequency * 0.2)). */
  stepSamples?: number;
  /**
   * Input frames per chunk of libvosk's looped nnet3 decodable: --frames-per-chunk in
   * conf/model.conf (rounded up to a multiple of the frame-subsampling-factor), default 24 in the
   * Kaldi libvosk is built from (upstream Kaldi's default is 20; the probe test shows 24).
   */
  framesPerChunk?: number;
  /**
   * The network's left/right input context in frames (0 for a net with no splicing). A chunk
   * of output frames [kC, kC+C) is computed once rightContext more input frames are ready, and
   * the first chunk also reads frames [0, C + rightContext).
   */
  leftContext?: number;
  rightContext?: number;
}

/** MFCC frame count (snip-edges) with the pitch options' frame geometry: Kaldi's OnlineMfcc::NumFramesReady. */
function mfccFramesReady(numSamples: number, o: PitchOptions): number {
  const win = Math.trunc(o.sampleFrequency * 0.001 * o.frameLengthMs);
  const shift = Math.trunc(o.sampleFrequency * 0.001 * o.frameShiftMs);
  return numSamples < win ? 0 : 1 + Math.floor((numSamples - win) / shift);
}

/**
 * The pitch features (frames × pitchDim(o), row-major; (POV, normalized log-pitch, delta-pitch)
 * with the defaults) that libvosk appends to the MFCC and feeds its network, for `samples`
 * (int16 scale) decoded as one utterance: AcceptWaveform(all samples) then FinalResult.
 *
 * Each frame's value is the one libvosk reads when the decoder first needs that frame —
 * during AcceptWaveform for most frames (first-pass pitch), after InputFinished for the last
 * few — so it matches the run-time input of the network exactly, not the final
 * (compute-and-process-kaldi-pitch-feats) features. Only snip-edges=true is supported.
 * The frame count is min(#MFCC frames, #pitch frames), as OnlineAppendFeature reports.
 * `feed` describes how the audio reaches libvosk and how the network reads frames; the
 * defaults are one acceptWaveform call and a context-free net with libvosk's default
 * --frames-per-chunk (24). For a real TDNN pass its context (and its model.conf chunk size).
 * With am/global_cmvn.stats, libvosk mean-normalizes these together with the MFCC
 * (applyOnlineCmvn over the numCeps+3 columns); see the header.
 */
export function computePitchFeatures(samples: ArrayLike<number>, o: PitchOptions = TELEPHONY_PITCH, feed: VoskFeed = {}): Float32Array {
  return simulate(samples, o, feed, false);
}

/** The final features after InputFinished for every frame (what a rescoring pass would see). */
export function computeFinalPitchFeatures(samples: ArrayLike<number>, o: PitchOptions = TELEPHONY_PITCH, feed: VoskFeed = {}): Float32Array {
  return simulate(samples, o, feed, true);
}

function simulate(samples: ArrayLike<number>, o: PitchOptions, feed: VoskFeed, finalOnly: boolean): Float32Array {
  if (!o.snipEdges) throw new Error('computePitchFeatures supports snip-edges=true only');
  const dim = pitchDim(o);
  const n = samples.length;
  const wave = Float32Array.from(samples as ArrayLike<number>);
  const perCall = feed.samplesPerCall ?? Math.max(1, n);
  const step = feed.stepSamples ?? Math.trunc(o.sampleFrequency * 0.2);
  const C = feed.framesPerChunk ?? 24;
  const L = feed.leftContext ?? 0;
  const R = feed.rightContext ?? 0;
  const pitch = new OnlinePitchFeature(o);
  const proc = new OnlineProcessPitch(o, pitch);
  const rows: (Float32Array | undefined)[] = [];
  let received = 0;
  let chunks = 0;
  let decoded = 0;
  const read = (finished: boolean): void => {
    const ready = Math.min(mfccFramesReady(received, o), proc.numFramesReady());
    if (ready === 0) return;
    const decodable = finished ? ready : Math.floor(Math.max(0, ready - R) / C) * C;
    while (decoded < decodable) {
      const begin = chunks === 0 ? -L : chunks * C + R;
      const end = chunks === 0 ? C + R : begin + C;
      for (let i = Math.max(0, begin); i < Math.min(end, ready); i++) {
        if (rows[i]) continue;
        const row = new Float32Array(dim);
        proc.getFrame(i, row);
        rows[i] = row;
      }
      chunks++;
      decoded += C;
    }
  };
  for (let c = 0; c < n; c += perCall) {
    const callEnd = Math.min(n, c + perCall);
    for (let s = c; s < callEnd; s += step) {
      const e = Math.min(callEnd, s + step);
      pitch.acceptWaveform(wave.subarray(s, e));
      received = e;
      if (!finalOnly) read(false);
    }
  }
  pitch.finish();
  const T = Math.min(mfccFramesReady(n, o), proc.numFramesReady());
  if (finalOnly) rows.length = 0;
  else read(true);
  const out = new Float32Array(T * dim);
  const tmp = new Float32Array(dim);
  for (let t = 0; t < T; t++) {
    const row = rows[t];
    if (row) out.set(row, t * dim);
    else {
      proc.getFrame(t, tmp);
      out.set(tmp, t * dim);
    }
  }
  return out;
}
