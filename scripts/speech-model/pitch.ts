// Kaldi's online pitch features (OnlinePitchFeature + OnlineProcessPitch) exactly as libvosk
// appends them to the MFCC when a model directory contains conf/pitch.conf, so a model can be
// trained on the very features libvosk feeds its network at run time.
// test/speech-model/pitch-libvosk.test.ts proves this against the real libvosk.
//
// Status: proven exact; demo-zh-8k trains on it (languages.ts: Mandarin tones; merged repeated
// digits were its top error) and ships conf/pitch.conf. It is computed on every augmented
// training copy: reusing clean-audio pitch for noisy copies was tried and hurt 10 dB accuracy
// badly (see train-language.ts's TrainingPlan.pitch).
//
// Speed (bench/pitch-speed.ts): the hot loops were rewritten without changing any output bit
// (typed-array tables built once, no per-frame closures or arrays, sums kept in Kaldi's order),
// ≈ 2× faster: 8.8 → 4.4 ms CPU per audio second on the machine that measured both. What is
// left is mostly Kaldi's Viterbi search (≈ 55 %; it runs twice per frame for utterances under
// recompute-frame, online and again in RecomputeBacktraces) and the NCCF (≈ 25 %). The search
// is sequential and branchy by design, and its early exits decide the pitch path, so it must
// be reproduced step by step; compiled C of the same search still takes ≈ 1.15 ms per audio
// second there, so TypeScript cannot get it much below ≈ 2 ms.
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

/**
 * TELEPHONY_PITCH made ≈ 4× cheaper to compute (bench/pitch-speed.ts: 5.3 -> 1.3 ms per audio second), for a
 * language that needs voicing and intonation from the pitch but not tones: f0 states 2 % apart
 * instead of 0.5 % (105 lag states instead of 417; the Viterbi search is linear in them), the
 * signal analysed at 2 kHz (low-passed at 900 Hz, still above the 400 Hz f0 ceiling) instead of
 * 4 kHz, and no RecomputeBacktraces at the end of short utterances (a second Viterbi pass that
 * only changes the last few frames the network reads). libvosk reads them from conf/pitch.conf
 * like any other options; test/speech-model/pitch-libvosk.test.ts proves the port exact with them.
 */
export const COARSE_TELEPHONY_PITCH: PitchOptions = { ...TELEPHONY_PITCH, deltaPitch: 0.02, resampleFrequency: 2000, lowpassCutoff: 900, recomputeFrame: 0 };

/** Kaldi's online-recipe pitch normalization window (see ONLINE_COARSE_TELEPHONY_PITCH). */
const ONLINE_NORMALIZATION = { normalizationLeftContext: 100, normalizationRightContext: 10 } as const;

/**
 * COARSE_TELEPHONY_PITCH with the pitch normalization window of Kaldi's online-decoding recipes
 * (egs/.../conf/online_pitch.conf: 100 frames left, 10 right) instead of the offline default
 * (75, 75). libvosk appends pitch to the MFCC and hands the network a frame only when both are
 * ready, and a normalized log-pitch frame is ready only once its right context is: with 75 frames
 * every partial result and every endpoint came 750 ms late (a caller's "agent" was never a partial
 * before the audio ended). 10 frames keep a little look-ahead for the pitch tracker's backtrace.
 */
export const ONLINE_COARSE_TELEPHONY_PITCH: PitchOptions = { ...COARSE_TELEPHONY_PITCH, ...ONLINE_NORMALIZATION };

/** TELEPHONY_PITCH (Mandarin: fine f0 steps for the tones) with the same online normalization window. */
export const ONLINE_TELEPHONY_PITCH: PitchOptions = { ...TELEPHONY_PITCH, ...ONLINE_NORMALIZATION };

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

/**
 * Kaldi ArbitraryResample, used to resample the NCCF onto the log-spaced lags.
 *
 * Every output's filter is stored with the same number of taps (the longest), zero-padded at
 * the end, so four outputs can be summed side by side with one loop shape. That changes no
 * sum: each is still accumulated in double in filter order and rounded to float once (sdot),
 * and the padding only appends 0·x = ±0 terms, which leave a sum unchanged (it starts at +0
 * and never becomes −0) — x being a finite NCCF value, or 0 past the end of the row: input rows
 * must have `paddedInputLength` entries, zero beyond the `numSamplesIn` measured ones.
 */
class ArbitraryResample {
  readonly numOutputs: number;
  readonly paddedInputLength: number;
  private readonly taps: number;
  /** First input sample of each output's filter. */
  private readonly firstIndex: Int32Array;
  /** Output i's filter is weights[i·taps .. (i+1)·taps). */
  private readonly weights: Float32Array;

  constructor(numSamplesIn: number, sampRateIn: number, cutoff: number, samplePoints: Float32Array, numZeros: number) {
    sampRateIn = f32(sampRateIn);
    cutoff = f32(cutoff);
    const filterWidth = f32(numZeros / (2.0 * cutoff));
    this.numOutputs = samplePoints.length;
    this.firstIndex = new Int32Array(this.numOutputs);
    const filters: number[][] = [];
    for (let i = 0; i < this.numOutputs; i++) {
      const t = samplePoints[i] as number;
      const tMin = f32(t - filterWidth);
      const tMax = f32(t + filterWidth);
      let indexMin = Math.ceil(f32(sampRateIn * tMin));
      let indexMax = Math.floor(f32(sampRateIn * tMax));
      if (indexMin < 0) indexMin = 0;
      if (indexMax >= numSamplesIn) indexMax = numSamplesIn - 1;
      const w: number[] = [];
      for (let j = 0; j < indexMax - indexMin + 1; j++) {
        const deltaT = f32(t - f32((indexMin + j) / sampRateIn));
        w.push(f32(filterFunc(deltaT, numZeros, cutoff) / sampRateIn));
      }
      this.firstIndex[i] = indexMin;
      filters.push(w);
    }
    this.taps = Math.max(0, ...filters.map((w) => w.length));
    this.weights = new Float32Array(this.numOutputs * this.taps);
    filters.forEach((w, i) => this.weights.set(w, i * this.taps));
    this.paddedInputLength = Math.max(numSamplesIn, ...Array.from(this.firstIndex, (first) => first + this.taps));
  }

  /** out[i] = resampleAt(input, i) for every output (ArbitraryResample::Resample on one row), four at a time. */
  resampleRow(input: Float32Array, out: Float32Array): void {
    const { taps, weights, firstIndex } = this;
    let i = 0;
    for (; i + 3 < this.numOutputs; i += 4) {
      const in0 = firstIndex[i] as number;
      const in1 = firstIndex[i + 1] as number;
      const in2 = firstIndex[i + 2] as number;
      const in3 = firstIndex[i + 3] as number;
      const w0 = i * taps;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let k = 0; k < taps; k++) {
        s0 += (input[in0 + k] as number) * (weights[w0 + k] as number);
        s1 += (input[in1 + k] as number) * (weights[w0 + taps + k] as number);
        s2 += (input[in2 + k] as number) * (weights[w0 + 2 * taps + k] as number);
        s3 += (input[in3 + k] as number) * (weights[w0 + 3 * taps + k] as number);
      }
      out[i] = s0;
      out[i + 1] = s1;
      out[i + 2] = s2;
      out[i + 3] = s3;
    }
    for (; i < this.numOutputs; i++) out[i] = this.resampleAt(input, i);
  }

  /** Output i alone: sdot of its filter with the input (double accumulation in filter order, rounded once). */
  resampleAt(input: Float32Array, i: number): number {
    return sdot(input, this.firstIndex[i] as number, this.weights, i * this.taps, this.taps);
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

/**
 * One Viterbi step over the lag states (PitchFrameInfo::ComputeBacktraces): fills the frame's
 * backpointers and thisCost[i] = local cost of state i + min over j of (transition penalty(j − i)
 * + prevCost[j]).
 *
 * The min is found with Kaldi's search, which relies on the backpointers being nearly monotonic
 * in i: an initial pass, then alternating backward/forward passes that tighten per-state bounds
 * on the backpointer until nothing changes. The search and its early exits are Kaldi's, step by
 * step, so ties and near-ties resolve the same way (it is not an exact argmin, so a faster exact
 * search would give different paths); every cost is rounded to float as Kaldi's BaseFloat
 * arithmetic rounds it. This is the hot spot of the pitch features: two steps per frame for
 * utterances shorter than recompute-frame (the online pass, then RecomputeBacktraces).
 */
interface ViterbiStep {
  run(nccfPitch: Float32Array, prevCost: Float32Array, backpointer: Int32Array, thisCost: Float32Array): void;
}

/**
 * Steps by the options they depend on, built once per process and shared: V8 compiles the
 * search loops over a closure's constant tables better than over fields read from `this`
 * (≈ 8 % of the whole pitch computation). The shared bounds scratch is safe because run() is
 * synchronous and fully rewrites it before reading it.
 */
const viterbiSteps = new Map<string, ViterbiStep>();

function viterbiStepFor(o: PitchOptions, lags: Float32Array): ViterbiStep {
  const key = [o.minF0, o.maxF0, o.deltaPitch, o.penaltyFactor, o.softMinF0].join('/');
  let step = viterbiSteps.get(key);
  if (!step) {
    step = makeViterbiStep(o, lags);
    viterbiSteps.set(key, step);
  }
  return step;
}

function makeViterbiStep(o: PitchOptions, lags: Float32Array): ViterbiStep {
  const n = lags.length;
  const dpSq = f32(Math.pow(Math.log(1.0 + f32(o.deltaPitch)), 2.0));
  const factor = f32(dpSq * f32(o.penaltyFactor));
  // penalty[n − 1 + d] = f32(d² · inter-frame factor), d = j − i ∈ (−n, n): Kaldi's
  // (j − i)·(j − i)·inter_frame_factor. With row = n − 1 − i, state i's transition from j costs
  // f32(penalty[row + j] + prevCost[j]) — no |j − i| and no multiply in the hot loops.
  const penalty = new Float32Array(2 * n - 1);
  for (let d = 1 - n; d < n; d++) penalty[n - 1 + d] = d * d * factor;
  const softMinF0 = f32(o.softMinF0);
  // the search's bounds on each state's backpointer
  const lower = new Int32Array(n);
  const upper = new Int32Array(n);

  /** Each state's backpointer: from the previous state's, walk up while the cost decreases. */
  function initialPass(prevCost: Float32Array, bp: Int32Array, thisCost: Float32Array): void {
    let last = 0;
    for (let i = 0; i < n; i++) {
      const row = n - 1 - i;
      let bestJ = last;
      let best = f32((penalty[row + bestJ] as number) + (prevCost[bestJ] as number));
      for (let j = bestJ + 1; j < n; j++) {
        const c = f32((penalty[row + j] as number) + (prevCost[j] as number));
        if (c < best) {
          best = c;
          bestJ = j;
        } else break;
      }
      bp[i] = bestJ;
      thisCost[i] = best;
      lower[i] = bestJ;
      upper[i] = n - 1;
      last = bestJ;
    }
  }

  /** From the last state down: look for a better backpointer above the current one, within the bounds. */
  function backwardPass(prevCost: Float32Array, bp: Int32Array, thisCost: Float32Array): boolean {
    let changed = false;
    let last = n - 1;
    for (let i = n - 1; i >= 0; i--) {
      const lo = lower[i] as number;
      const hi = Math.min(last, upper[i] as number);
      if (hi === lo) {
        last = lo;
        continue;
      }
      let bestJ = bp[i] as number;
      if (bestJ === hi) {
        last = bestJ;
        continue;
      }
      const initial = bestJ;
      let best = thisCost[i] as number;
      const row = n - 1 - i;
      // j > lo + 1: Kaldi knows lo and lo + 1 were evaluated already
      for (let j = hi; j > lo + 1; j--) {
        const c = f32((penalty[row + j] as number) + (prevCost[j] as number));
        if (c < best) {
          best = c;
          bestJ = j;
        } else if (bestJ > j) break;
      }
      upper[i] = bestJ;
      if (bestJ !== initial) {
        thisCost[i] = best;
        bp[i] = bestJ;
        changed = true;
      }
      last = bestJ;
    }
    return changed;
  }

  /** From the first state up: look for a better backpointer below the current one, within the bounds. */
  function forwardPass(prevCost: Float32Array, bp: Int32Array, thisCost: Float32Array): boolean {
    let changed = false;
    let last = 0;
    for (let i = 0; i < n; i++) {
      const lo = Math.max(last, lower[i] as number);
      const hi = upper[i] as number;
      if (hi === lo) {
        last = lo;
        continue;
      }
      let bestJ = bp[i] as number;
      if (bestJ === lo) {
        last = bestJ;
        continue;
      }
      const initial = bestJ;
      let best = thisCost[i] as number;
      const row = n - 1 - i;
      for (let j = lo; j < hi - 1; j++) {
        const c = f32((penalty[row + j] as number) + (prevCost[j] as number));
        if (c < best) {
          best = c;
          bestJ = j;
        } else if (bestJ < j) break;
      }
      lower[i] = bestJ;
      if (bestJ !== initial) {
        thisCost[i] = best;
        bp[i] = bestJ;
        changed = true;
      }
      last = bestJ;
    }
    return changed;
  }

  /** ComputeLocalCost (1 − nccf + soft_min_f0 · lag · nccf; AddVecVec is a banded gemv: y += (alpha·x_j)·a_j), then AddVec. */
  function addLocalCost(nccfPitch: Float32Array, thisCost: Float32Array): void {
    for (let i = 0; i < n; i++) {
      const nccf = nccfPitch[i] as number;
      const local = f32(f32(1.0 - nccf) + f32(f32(softMinF0 * nccf) * (lags[i] as number)));
      thisCost[i] = (thisCost[i] as number) + local;
    }
  }

  return {
    run(nccfPitch, prevCost, backpointer, thisCost) {
      initialPass(prevCost, backpointer, thisCost);
      for (let iter = 0; iter < n; iter++) {
        const changed = iter % 2 === 0 ? backwardPass(prevCost, backpointer, thisCost) : forwardPass(prevCost, backpointer, thisCost);
        if (!changed) break;
      }
      addLocalCost(nccfPitch, thisCost);
    },
  };
}

/** Subtracts the minimum from every forward cost (keeping them small) and returns it. */
function subtractMinCost(cost: Float32Array): number {
  let min = Infinity;
  for (let i = 0; i < cost.length; i++) if ((cost[i] as number) < min) min = cost[i] as number;
  for (let i = 0; i < cost.length; i++) cost[i] = (cost[i] as number) - min;
  return min;
}

class PitchFrameInfo {
  readonly backpointer: Int32Array;
  curBestState = -1;
  constructor(
    numStates: number,
    readonly prev: PitchFrameInfo | null,
    /**
     * The frame's POV NCCF per measured lag (zero-padded for ArbitraryResample). Kaldi resamples
     * it onto every lag state; only the state on the best path is ever read, so the traceback
     * resamples just that one (the same sum).
     */
    readonly povNccf: Float32Array,
  ) {
    this.backpointer = new Int32Array(numStates);
  }

  computeBacktraces(viterbi: ViterbiStep, nccfPitch: Float32Array, prevCost: Float32Array, thisCost: Float32Array): void {
    viterbi.run(nccfPitch, prevCost, this.backpointer, thisCost);
    this.curBestState = -1;
  }

  /** Traces back from this (latest) frame; lagNccf is indexed by frame. */
  setBestState(bestState: number, lagIdx: number[], lagNccf: number[], nccfResampler: ArbitraryResample): void {
    let t = lagIdx.length - 1;
    let info: PitchFrameInfo | null = this;
    while (info !== null) {
      const prev: PitchFrameInfo | null = info.prev;
      if (bestState === info.curBestState) return;
      if (prev !== null) lagIdx[t] = bestState;
      info.curBestState = bestState;
      const s = bestState;
      bestState = info.backpointer[s] as number;
      if (prev !== null) lagNccf[t] = nccfResampler.resampleAt(info.povNccf, s);
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

/** The lag search grid of an option set: the NCCF's measured lags and the log-spaced lag states. */
interface LagGrid {
  /** Measured NCCF lags, in samples at resample-frequency: nccfFirstLag ..= nccfLastLag. */
  nccfFirstLag: number;
  nccfLastLag: number;
  /** The Viterbi states: lags in seconds, from 1/max-f0 up by factor 1 + delta-pitch (SelectLags). */
  lags: Float32Array;
  /** Resamples an NCCF row from the measured lags onto the states. */
  nccfResampler: ArbitraryResample;
}

/** Grids by the options they depend on: building the resampler's filters costs ≈ 0.5 ms, per utterance otherwise. */
const lagGrids = new Map<string, LagGrid>();

function lagGridFor(o: PitchOptions): LagGrid {
  const key = [o.minF0, o.maxF0, o.resampleFrequency, o.deltaPitch, o.upsampleFilterWidth].join('/');
  let grid = lagGrids.get(key);
  if (!grid) {
    grid = buildLagGrid(o);
    lagGrids.set(key, grid);
  }
  return grid;
}

function buildLagGrid(o: PitchOptions): LagGrid {
  const minF0 = f32(o.minF0);
  const maxF0 = f32(o.maxF0);
  const rf = f32(o.resampleFrequency);
  const outerMinLag = 1.0 / maxF0 - o.upsampleFilterWidth / (2.0 * rf);
  const outerMaxLag = 1.0 / minF0 + o.upsampleFilterWidth / (2.0 * rf);
  const nccfFirstLag = Math.ceil(rf * outerMinLag);
  const nccfLastLag = Math.floor(rf * outerMaxLag);
  // SelectLags
  const lagList: number[] = [];
  const minLag = f32(1.0 / maxF0);
  const maxLag = f32(1.0 / minF0);
  const ratio = 1.0 + f32(o.deltaPitch);
  for (let lag = minLag; lag <= maxLag; lag = f32(lag * ratio)) lagList.push(lag);
  const lags = Float32Array.from(lagList);
  const upsampleCutoff = f32(rf * 0.5);
  const offset = f32(nccfFirstLag / rf);
  const lagsOffset = Float32Array.from(lags, (l) => f32(l - offset));
  const numMeasured = nccfLastLag + 1 - nccfFirstLag;
  const nccfResampler = new ArbitraryResample(numMeasured, rf, upsampleCutoff, lagsOffset, o.upsampleFilterWidth);
  return { nccfFirstLag, nccfLastLag, lags, nccfResampler };
}

/** Per-frame buffers of the NCCF computation, reused by every frame. */
interface NccfScratch {
  window: Float32Array;
  zeroMean: Float32Array;
  innerProd: Float32Array;
  normProd: Float32Array;
  nccfPitch: Float32Array;
  nccfPov: Float32Array;
  /** For frames RecomputeBacktraces will not revisit (the others keep their own copy). */
  nccfPitchResampled: Float32Array;
}

/** Port of Kaldi's OnlinePitchFeature (OnlinePitchFeatureImpl): raw (NCCF, pitch) per frame. */
export class OnlinePitchFeature {
  private readonly o: PitchOptions;
  private readonly nccfFirstLag: number;
  private readonly nccfLastLag: number;
  readonly lags: Float32Array;
  private readonly nccfResampler: ArbitraryResample;
  private readonly viterbi: ViterbiStep;
  private readonly signalResampler: LinearResample;
  private readonly frameShift: number;
  private readonly frameLength: number;
  private readonly frameInfo: PitchFrameInfo[];
  private nccfInfo: NccfInfo[] = [];
  private framesLatency = 0;
  private forwardCost: Float32Array;
  /** The next frame's forward cost while it is computed (swapped with forwardCost after each frame). */
  private nextCost: Float32Array;
  private forwardCostRemainder = 0;
  private readonly lagIdx: number[] = [];
  private readonly lagNccf: number[] = [];
  private inputFinished = false;
  private signalSumsq = 0;
  private signalSum = 0;
  private processed = 0;
  /** The whole downsampled signal so far (Kaldi keeps only a remainder; the samples are the same). */
  private signal = new Float32Array(4096);
  private readonly frame: NccfScratch;

  constructor(o: PitchOptions) {
    this.o = o;
    // framesPerChunk and simulateFirstPassOnline only affect compute-kaldi-pitch-feats, never the
    // online feature libvosk computes, so they are written to pitch.conf but unused here.
    this.signalResampler = new LinearResample(o.sampleFrequency, o.resampleFrequency, o.lowpassCutoff, o.lowpassFilterWidth);
    const grid = lagGridFor(o);
    this.nccfFirstLag = grid.nccfFirstLag;
    this.nccfLastLag = grid.nccfLastLag;
    this.lags = grid.lags;
    this.nccfResampler = grid.nccfResampler;
    const numStates = this.lags.length;
    this.viterbi = viterbiStepFor(o, this.lags);
    this.frameInfo = [new PitchFrameInfo(numStates, null, new Float32Array(0))];
    this.forwardCost = new Float32Array(numStates);
    this.nextCost = new Float32Array(numStates);
    const rf = f32(o.resampleFrequency);
    this.frameShift = Math.trunc(f32(rf * f32(o.frameShiftMs)) / 1000.0);
    this.frameLength = Math.trunc(f32(rf * f32(o.frameLengthMs)) / 1000.0);
    const full = this.frameLength + this.nccfLastLag;
    const numMeasured = this.nccfLastLag + 1 - this.nccfFirstLag;
    this.frame = {
      window: new Float32Array(full),
      zeroMean: new Float32Array(full),
      innerProd: new Float32Array(numMeasured),
      normProd: new Float32Array(numMeasured),
      // longer than the NCCF: see ArbitraryResample
      nccfPitch: new Float32Array(this.nccfResampler.paddedInputLength),
      nccfPov: new Float32Array(this.nccfResampler.paddedInputLength),
      nccfPitchResampled: new Float32Array(numStates),
    };
  }

  numFramesReady(): number {
    return this.lagIdx.length - this.framesLatency;
  }

  isLastFrame(frame: number): boolean {
    return this.inputFinished && frame + 1 === this.numFramesReady();
  }

  /** NCCF for the POV feature of `frame`. */
  frameNccf(frame: number): number {
    if (frame >= this.numFramesReady()) throw new Error(`pitch frame ${frame} not ready`);
    return this.lagNccf[frame] as number;
  }

  /** Pitch in Hz of `frame`. */
  framePitch(frame: number): number {
    if (frame >= this.numFramesReady()) throw new Error(`pitch frame ${frame} not ready`);
    return f32(1.0 / (this.lags[this.lagIdx[frame] as number] as number));
  }

  /** (NCCF for the POV feature, pitch in Hz) of `frame`. */
  getFrame(frame: number): [number, number] {
    return [this.frameNccf(frame), this.framePitch(frame)];
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

  /**
   * Kaldi computes the NCCF of every new frame, then updates the signal statistics, then runs
   * the Viterbi steps; the NCCF never reads the statistics or the Viterbi state, so this does
   * all three per frame (no per-call arrays of frames) after updating the statistics first —
   * RecomputeBacktraces at recompute-frame reads them.
   */
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
    const processedBefore = this.processed;
    const total = processedBefore + ds.length;
    const endFrame = this.numFramesAvailable(total);
    const startFrame = this.frameInfo.length - 1;
    this.appendSignal(ds);
    this.updateRemainder(ds);
    if (endFrame <= startFrame) return;
    const { window, zeroMean, innerProd, normProd, nccfPitch, nccfPov } = this.frame;
    const numMeasured = this.nccfLastLag + 1 - this.nccfFirstLag;
    const basic = this.frameLength;
    const full = basic + this.nccfLastLag;
    for (let frame = startFrame; frame < endFrame; frame++) {
      const startSample = o.snipEdges ? frame * this.frameShift : Math.trunc((frame + 0.5) * this.frameShift) - Math.trunc(full / 2);
      this.extractFrame(startSample, total, window);
      if (o.nccfBallastOnline) {
        let endSample = startSample + full - processedBefore;
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
      for (let i = 0; i < full; i++) zeroMean[i] = (window[i] as number) - mean;
      correlate(zeroMean, basic, this.nccfFirstLag, this.nccfLastLag, innerProd, normProd);
      const ballastPitch = f32(Math.pow(meanSquare * basic, 2) * f32(o.nccfBallast));
      const avgNormProd = f32(ssum(normProd, 0, numMeasured) / numMeasured);
      computeNccf(innerProd, normProd, ballastPitch, nccfPitch);
      computeNccf(innerProd, normProd, 0, nccfPov);
      // RecomputeBacktraces rescales (in place) the resampled pitch NCCF of the first frames
      const keep = frame < o.recomputeFrame;
      const resampled = keep ? new Float32Array(this.lags.length) : this.frame.nccfPitchResampled;
      this.nccfResampler.resampleRow(nccfPitch, resampled);
      if (keep) this.nccfInfo.push({ nccfPitchResampled: resampled, avgNormProd, meanSquareEnergy: f32(meanSquare) });
      this.advanceViterbi(resampled, nccfPov.slice());
      if (frame === o.recomputeFrame - 1 && !o.nccfBallastOnline) this.recomputeBacktraces();
    }
    this.traceback(this.frameInfo.length - 1);
  }

  /** Appends one frame to the Viterbi lattice. */
  private advanceViterbi(nccfPitchResampled: Float32Array, nccfPov: Float32Array): void {
    const info = new PitchFrameInfo(this.lags.length, this.frameInfo[this.frameInfo.length - 1] as PitchFrameInfo, nccfPov);
    info.computeBacktraces(this.viterbi, nccfPitchResampled, this.forwardCost, this.nextCost);
    [this.forwardCost, this.nextCost] = [this.nextCost, this.forwardCost];
    this.forwardCostRemainder += subtractMinCost(this.forwardCost);
    this.frameInfo.push(info);
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
    (this.frameInfo[this.frameInfo.length - 1] as PitchFrameInfo).setBestState(best, this.lagIdx, this.lagNccf, this.nccfResampler);
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
    const basic = this.frameLength;
    const ballast = f32(o.nccfBallast);
    const newBallast = f32(Math.pow(f32(meanSquare * basic), 2) * ballast);
    let remainderSum = 0;
    this.forwardCost.fill(0);
    for (let frame = 0; frame < numFrames; frame++) {
      const info = this.nccfInfo[frame] as NccfInfo;
      const oldBallast = f32(Math.pow(f32(info.meanSquareEnergy * basic), 2) * ballast);
      const scale = f32(Math.pow(f32(f32(oldBallast + info.avgNormProd) / f32(newBallast + info.avgNormProd)), f32(0.5)));
      const r = info.nccfPitchResampled;
      for (let i = 0; i < r.length; i++) r[i] = (r[i] as number) * scale;
      (this.frameInfo[frame + 1] as PitchFrameInfo).computeBacktraces(this.viterbi, r, this.forwardCost, this.nextCost);
      [this.forwardCost, this.nextCost] = [this.nextCost, this.forwardCost];
      remainderSum += subtractMinCost(this.forwardCost);
    }
    this.forwardCostRemainder = remainderSum;
    this.traceback(numFrames);
    this.nccfInfo = [];
  }
}

/**
 * ComputeCorrelation's sums for lags firstLag..lastLag: innerProd[k] = Σ zm[i]·zm[i+lag] and
 * normProd[k] = e1 · Σ zm[i+lag]² (k = lag − firstLag, i < basic, e1 = Σ zm[i]²). Every sum is
 * sdot's — accumulated in double in index order, rounded to float once (by the Float32Array
 * store) — so the results are identical; but four lags are summed side by side, because one
 * chain of dependent adds leaves the FPU waiting on the previous add (this is the hot loop).
 */
function correlate(zm: Float32Array, basic: number, firstLag: number, lastLag: number, innerProd: Float32Array, normProd: Float32Array): void {
  const e1 = sdot(zm, 0, zm, 0, basic);
  let lag = firstLag;
  for (; lag + 3 <= lastLag; lag += 4) {
    let inner0 = 0, inner1 = 0, inner2 = 0, inner3 = 0;
    let energy0 = 0, energy1 = 0, energy2 = 0, energy3 = 0;
    for (let i = 0; i < basic; i++) {
      const x = zm[i] as number;
      const y0 = zm[lag + i] as number;
      const y1 = zm[lag + i + 1] as number;
      const y2 = zm[lag + i + 2] as number;
      const y3 = zm[lag + i + 3] as number;
      inner0 += x * y0;
      inner1 += x * y1;
      inner2 += x * y2;
      inner3 += x * y3;
      energy0 += y0 * y0;
      energy1 += y1 * y1;
      energy2 += y2 * y2;
      energy3 += y3 * y3;
    }
    const k = lag - firstLag;
    innerProd[k] = inner0;
    innerProd[k + 1] = inner1;
    innerProd[k + 2] = inner2;
    innerProd[k + 3] = inner3;
    normProd[k] = e1 * f32(energy0);
    normProd[k + 1] = e1 * f32(energy1);
    normProd[k + 2] = e1 * f32(energy2);
    normProd[k + 3] = e1 * f32(energy3);
  }
  for (; lag <= lastLag; lag++) {
    innerProd[lag - firstLag] = sdot(zm, 0, zm, lag, basic);
    normProd[lag - firstLag] = e1 * sdot(zm, lag, zm, lag, basic);
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
    if (this.o.addPovFeature) out[k++] = f32(f32(f32(this.o.povScale) * nccfToPovFeature(this.src.frameNccf(t))) + f32(this.o.povOffset));
    if (this.o.addNormalizedLogPitch) out[k++] = this.normalizedLogPitch(t);
    if (this.o.addDeltaPitch) out[k++] = this.deltaPitch(t);
    if (this.o.addRawLogPitch) out[k++] = this.rawLogPitch(t);
  }

  private rawLogPitch(frame: number): number {
    return f32(Math.log(this.src.framePitch(frame)));
  }

  private deltaPitch(frame: number): number {
    const w = this.o.deltaWindow;
    const start = Math.max(0, frame - w);
    const end = Math.min(frame + w + 1, this.src.numFramesReady());
    let d = 0;
    for (let j = -w; j <= w; j++) {
      // frames past either end of the ready ones repeat the end frame (DeltaFeatures)
      const g = Math.min(Math.max(frame + j, start), end - 1);
      const s = this.deltaScales[j + w] as number;
      if (s !== 0) d = f32(d + f32(s * this.rawLogPitch(g)));
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
    if (frame > 0) {
      const p = this.stats[frame - 1] as NormalizationStats;
      if (p.curNumFrames === cur && p.inputFinished === finished) {
        s.curNumFrames = p.curNumFrames;
        s.inputFinished = p.inputFinished;
        s.sumPov = p.sumPov;
        s.sumLogPitchPov = p.sumLogPitchPov;
        const [pb, pe] = this.window(frame - 1, cur);
        if (b !== pb) this.addToStats(s, pb, -1);
        if (e !== pe) this.addToStats(s, pe, 1);
        return;
      }
    }
    s.curNumFrames = cur;
    s.inputFinished = finished;
    s.sumPov = 0;
    s.sumLogPitchPov = 0;
    for (let g = b; g < e; g++) this.addToStats(s, g, 1);
  }

  /** Adds (sign 1) or removes (sign −1) frame g's POV weight and POV-weighted log-pitch (x − y is exactly x + (−y)). */
  private addToStats(s: NormalizationStats, g: number, sign: 1 | -1): void {
    const pov = nccfToPov(this.src.frameNccf(g));
    s.sumPov += sign * pov;
    s.sumLogPitchPov += sign * f32(pov * f32(Math.log(this.src.framePitch(g))));
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
