// Kaldi-compatible MFCC (compute-mfcc-feats / OnlineMfcc), reproducing Kaldi's frame
// extraction, Povey window, mel banks, DCT and lifter so features computed here match what
// libvosk computes at run time from the model's conf/mfcc.conf.

export interface MfccOptions {
  sampleFrequency: number;
  frameLengthMs: number;
  frameShiftMs: number;
  dither: number;
  preemphasisCoefficient: number;
  removeDcOffset: boolean;
  windowType: 'povey' | 'hamming' | 'hanning' | 'rectangular';
  roundToPowerOfTwo: boolean;
  snipEdges: boolean;
  numMelBins: number;
  lowFreq: number;
  /** Kaldi convention: <= 0 means offset from Nyquist. */
  highFreq: number;
  numCeps: number;
  useEnergy: boolean;
  rawEnergy: boolean;
  energyFloor: number;
  cepstralLifter: number;
  htkCompat: boolean;
}

/** The telephony (8 kHz) configuration the demo models are built with. */
export const TELEPHONY_MFCC: MfccOptions = {
  sampleFrequency: 8000,
  frameLengthMs: 25,
  frameShiftMs: 10,
  dither: 0,
  preemphasisCoefficient: 0.97,
  removeDcOffset: true,
  windowType: 'povey',
  roundToPowerOfTwo: true,
  snipEdges: true,
  numMelBins: 23,
  lowFreq: 20,
  highFreq: 3700,
  numCeps: 13,
  useEnergy: false,
  rawEnergy: true,
  energyFloor: 0,
  cepstralLifter: 22,
  htkCompat: false,
};

/** conf/mfcc.conf text with every option written explicitly (Kaldi option names). */
export function mfccConfText(o: MfccOptions): string {
  const b = (v: boolean): string => (v ? 'true' : 'false');
  return [
    `--sample-frequency=${o.sampleFrequency}`,
    `--frame-length=${o.frameLengthMs}`,
    `--frame-shift=${o.frameShiftMs}`,
    `--dither=${o.dither}`,
    `--preemphasis-coefficient=${o.preemphasisCoefficient}`,
    `--remove-dc-offset=${b(o.removeDcOffset)}`,
    `--window-type=${o.windowType}`,
    `--round-to-power-of-two=${b(o.roundToPowerOfTwo)}`,
    `--snip-edges=${b(o.snipEdges)}`,
    `--num-mel-bins=${o.numMelBins}`,
    `--low-freq=${o.lowFreq}`,
    `--high-freq=${o.highFreq}`,
    `--num-ceps=${o.numCeps}`,
    `--use-energy=${b(o.useEnergy)}`,
    `--raw-energy=${b(o.rawEnergy)}`,
    `--energy-floor=${o.energyFloor}`,
    `--cepstral-lifter=${o.cepstralLifter}`,
    `--htk-compat=${b(o.htkCompat)}`,
    '',
  ].join('\n');
}

/**
 * How computeMfcc gets the power spectrum: 'complex' = a full-size complex FFT of the real frame
 * (what every shipped model was built with, kept so they rebuild bit for bit), 'real' = half
 * the work through a half-size FFT (the English builder's option, for its time budget).
 */
export type MfccFft = 'complex' | 'real';

const FLT_EPSILON = 1.1920928955078125e-7;

function melScale(f: number): number {
  return 1127.0 * Math.log(1.0 + f / 700.0);
}

interface MfccPlan {
  frameLength: number;
  frameShift: number;
  paddedLength: number;
  window: Float64Array;
  melBins: { offset: number; weights: Float64Array }[];
  dct: Float64Array; // numCeps x numMelBins
  lifter: Float64Array;
  cos: Float64Array;
  sin: Float64Array;
  bitrev: Uint32Array;
  /** Bit reversal for the half-size complex FFT of the real-input path. */
  bitrevHalf: Uint32Array;
}

const planCache = new Map<string, MfccPlan>();

function plan(o: MfccOptions): MfccPlan {
  const key = JSON.stringify(o);
  const cached = planCache.get(key);
  if (cached) return cached;
  const frameLength = Math.trunc(o.sampleFrequency * 0.001 * o.frameLengthMs);
  const frameShift = Math.trunc(o.sampleFrequency * 0.001 * o.frameShiftMs);
  let paddedLength = frameLength;
  if (o.roundToPowerOfTwo) {
    paddedLength = 1;
    while (paddedLength < frameLength) paddedLength *= 2;
  }
  const window = new Float64Array(frameLength);
  const a = (2 * Math.PI) / (frameLength - 1);
  for (let i = 0; i < frameLength; i++) {
    const c = Math.cos(a * i);
    switch (o.windowType) {
      case 'povey': window[i] = Math.pow(0.5 - 0.5 * c, 0.85); break;
      case 'hanning': window[i] = 0.5 - 0.5 * c; break;
      case 'hamming': window[i] = 0.54 - 0.46 * c; break;
      case 'rectangular': window[i] = 1; break;
    }
  }
  const numFftBins = paddedLength / 2;
  const nyquist = 0.5 * o.sampleFrequency;
  const highFreq = o.highFreq > 0 ? o.highFreq : nyquist + o.highFreq;
  const binWidth = o.sampleFrequency / paddedLength;
  const melLow = melScale(o.lowFreq);
  const melHigh = melScale(highFreq);
  const delta = (melHigh - melLow) / (o.numMelBins + 1);
  const melBins: MfccPlan['melBins'] = [];
  for (let bin = 0; bin < o.numMelBins; bin++) {
    const left = melLow + bin * delta;
    const center = melLow + (bin + 1) * delta;
    const right = melLow + (bin + 2) * delta;
    const w = new Float64Array(numFftBins);
    let first = -1;
    let last = -1;
    for (let i = 0; i < numFftBins; i++) {
      const mel = melScale(binWidth * i);
      if (mel > left && mel < right) {
        w[i] = mel <= center ? (mel - left) / (center - left) : (right - mel) / (right - center);
        if (first === -1) first = i;
        last = i;
      }
    }
    if (first === -1) throw new Error(`mel bin ${bin} is empty: too many mel bins for this FFT size`);
    melBins.push({ offset: first, weights: w.slice(first, last + 1) });
  }
  const N = o.numMelBins;
  const dct = new Float64Array(o.numCeps * N);
  for (let k = 0; k < o.numCeps; k++) {
    const norm = k === 0 ? Math.sqrt(1 / N) : Math.sqrt(2 / N);
    for (let n = 0; n < N; n++) dct[k * N + n] = k === 0 ? norm : norm * Math.cos((Math.PI / N) * (n + 0.5) * k);
  }
  const lifter = new Float64Array(o.numCeps);
  for (let i = 0; i < o.numCeps; i++) lifter[i] = o.cepstralLifter !== 0 ? 1.0 + 0.5 * o.cepstralLifter * Math.sin((Math.PI * i) / o.cepstralLifter) : 1;
  const cos = new Float64Array(paddedLength / 2);
  const sin = new Float64Array(paddedLength / 2);
  for (let i = 0; i < paddedLength / 2; i++) {
    cos[i] = Math.cos((-2 * Math.PI * i) / paddedLength);
    sin[i] = Math.sin((-2 * Math.PI * i) / paddedLength);
  }
  const bits = Math.log2(paddedLength);
  if (!Number.isInteger(bits)) throw new Error('MFCC needs a power-of-two FFT size (round-to-power-of-two=true)');
  const bitrev = new Uint32Array(paddedLength);
  for (let i = 0; i < paddedLength; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitrev[i] = r;
  }
  const bitrevHalf = new Uint32Array(paddedLength / 2);
  for (let i = 0; i < paddedLength / 2; i++) {
    let r = 0;
    for (let b = 0; b < bits - 1; b++) r |= ((i >> b) & 1) << (bits - 2 - b);
    bitrevHalf[i] = r;
  }
  const p: MfccPlan = { frameLength, frameShift, paddedLength, window, melBins, dct, lifter, cos, sin, bitrev, bitrevHalf };
  planCache.set(key, p);
  return p;
}

/** Number of frames Kaldi produces for `numSamples` samples. */
export function numMfccFrames(numSamples: number, o: MfccOptions = TELEPHONY_MFCC): number {
  const p = plan(o);
  if (o.snipEdges) return numSamples < p.frameLength ? 0 : 1 + Math.floor((numSamples - p.frameLength) / p.frameShift);
  return Math.floor((numSamples + p.frameShift / 2) / p.frameShift);
}

/**
 * MFCC features, row-major (frames x numCeps), from samples on the int16 scale (as Kaldi
 * reads WAV files and as libvosk receives PCM16). Dither must be 0 for reproducibility.
 *
 * The model builder calls this once per augmented copy of every training utterance (over a
 * hundred thousand audio seconds per English build), so the loops are written for speed; the
 * arithmetic and its order are those of the straightforward version (test/speech-model/
 * mfcc-libvosk.test.ts compares against libvosk), so features are bit-for-bit the same.
 */
export function computeMfcc(samples: ArrayLike<number>, o: MfccOptions = TELEPHONY_MFCC, fft: MfccFft = 'complex'): Float32Array {
  if (o.dither !== 0) throw new Error('computeMfcc implements dither=0 only (deterministic features)');
  if (o.useEnergy || o.htkCompat) throw new Error('computeMfcc implements use-energy=false, htk-compat=false only');
  const p = plan(o);
  const numFrames = numMfccFrames(samples.length, o);
  const C = o.numCeps;
  const M = o.numMelBins;
  const out = new Float32Array(numFrames * C);
  const N = p.paddedLength;
  const re = new Float64Array(N);
  const im = new Float64Array(N);
  const frameLength = p.frameLength;
  const frame = new Float64Array(frameLength);
  const half = N / 2;
  const power = new Float64Array(half + 1);
  const logMel = new Float64Array(M);
  const { window, bitrev, dct, lifter, melBins } = p;
  const n = samples.length;
  const pc = o.preemphasisCoefficient;
  for (let f = 0; f < numFrames; f++) {
    const start = o.snipEdges ? f * p.frameShift : f * p.frameShift + p.frameShift / 2 - p.frameLength / 2;
    let sum = 0;
    if (o.snipEdges) {
      for (let i = 0; i < frameLength; i++) {
        const v = samples[start + i] as number;
        frame[i] = v;
        sum += v;
      }
    } else {
      for (let i = 0; i < frameLength; i++) {
        let s = start + i;
        // Kaldi reflects at the edges when snip-edges=false
        while (s < 0 || s >= n) s = s < 0 ? -s - 1 : 2 * n - 1 - s;
        const v = samples[s] as number;
        frame[i] = v;
        sum += v;
      }
    }
    if (o.removeDcOffset) {
      const mean = sum / frameLength;
      for (let i = 0; i < frameLength; i++) frame[i] = (frame[i] as number) - mean;
    }
    if (pc !== 0) {
      for (let i = frameLength - 1; i > 0; i--) frame[i] = (frame[i] as number) - pc * (frame[i - 1] as number);
      frame[0] = (frame[0] as number) - pc * (frame[0] as number);
    }
    if (fft === 'real') {
      realPowerSpectrum(frame, re, im, p, power);
    } else {
      // zero padding: bit reversal is a permutation, so the padded positions are bitrev[i >= frameLength]
      for (let i = frameLength; i < N; i++) re[bitrev[i] as number] = 0;
      im.fill(0);
      for (let i = 0; i < frameLength; i++) re[bitrev[i] as number] = (frame[i] as number) * (window[i] as number);
      fftInPlace(re, im, N, p);
      for (let i = 0; i <= half; i++) {
        const r = re[i] as number;
        const m = im[i] as number;
        power[i] = r * r + m * m;
      }
    }
    for (let b = 0; b < M; b++) {
      const bin = melBins[b];
      if (!bin) continue;
      const w = bin.weights;
      const off = bin.offset;
      let e = 0;
      for (let i = 0; i < w.length; i++) e += (w[i] as number) * (power[off + i] as number);
      logMel[b] = Math.log(Math.max(e, FLT_EPSILON));
    }
    for (let k = 0; k < C; k++) {
      let acc = 0;
      const row = k * M;
      for (let b = 0; b < M; b++) acc += (dct[row + b] as number) * (logMel[b] as number);
      out[f * C + k] = acc * (lifter[k] as number);
    }
  }
  return out;
}

/**
 * The power spectrum (bins 0..N/2) of the windowed frame through one complex FFT of half the
 * size: even samples as the real part, odd as the imaginary, then the usual split. Half the
 * butterflies of the complex path; the same values to within double rounding (so float features
 * can differ from it in the last bit, rarely).
 */
function realPowerSpectrum(frame: Float64Array, zr: Float64Array, zi: Float64Array, p: MfccPlan, power: Float64Array): void {
  const H = p.paddedLength / 2;
  const { window, bitrevHalf, cos, sin, frameLength } = p;
  for (let n = 0; n < H; n++) {
    const j = bitrevHalf[n] as number;
    const a = 2 * n, b = a + 1;
    zr[j] = a < frameLength ? (frame[a] as number) * (window[a] as number) : 0;
    zi[j] = b < frameLength ? (frame[b] as number) * (window[b] as number) : 0;
  }
  fftInPlace(zr, zi, H, p);
  for (let k = 0; k <= H; k++) {
    const kk = k === H ? 0 : k;
    const m = k === 0 ? 0 : H - k;
    const ar = zr[kk] as number, ai = zi[kk] as number, br = zr[m] as number, bi = zi[m] as number;
    const er = 0.5 * (ar + br), ei = 0.5 * (ai - bi);
    const or = 0.5 * (ai + bi), oi = -0.5 * (ar - br);
    const wr = k === H ? -1 : (cos[k] as number), wi = k === H ? 0 : (sin[k] as number);
    const xr = er + wr * or - wi * oi;
    const xi = ei + wr * oi + wi * or;
    power[k] = xr * xr + xi * xi;
  }
}

/**
 * Iterative radix-2 FFT of the first n values (a power of two up to the padded length); `re`
 * must already be in bit-reversed order. Twiddles come from the padded length's table.
 */
function fftInPlace(re: Float64Array, im: Float64Array, n: number, p: MfccPlan): void {
  const N = n;
  const { cos, sin } = p;
  for (let size = 2; size <= N; size *= 2) {
    const half = size / 2;
    const step = p.paddedLength / size;
    for (let k = 0; k < half; k++) {
      const wr = cos[k * step] as number;
      const wi = sin[k * step] as number;
      for (let a = k; a < N; a += size) {
        const b = a + half;
        const br = re[b] as number;
        const bi = im[b] as number;
        const tr = br * wr - bi * wi;
        const ti = br * wi + bi * wr;
        const ar = re[a] as number;
        const ai = im[a] as number;
        re[b] = ar - tr;
        im[b] = ai - ti;
        re[a] = ar + tr;
        im[a] = ai + ti;
      }
    }
  }
}
