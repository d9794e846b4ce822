// Training-time and benchmark-time signal corruption at 8 kHz: additive noise at a target SNR,
// gain, speed perturbation, reverberation, a telephone band-pass, and G.711 round trips.

import { decodeG711, encodeG711 } from '../../src/speech/audio/g711.ts';
import { filterAt, resample, toInt16 } from '../../src/speech/audio/resample.ts';
import type { Rng } from './rng.ts';

export type NoiseKind = 'white' | 'pink' | 'brown' | 'hum' | 'babble';

/**
 * n standard normal values using both outputs of each Box–Muller pair (half the uniforms, logs and
 * square roots of n calls to rng.gauss(); a different stream from it).
 */
export function gaussPairs(n: number, rng: Rng): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(Math.max(rng.next(), 1e-12)));
    const a = 2 * Math.PI * rng.next();
    out[i] = r * Math.cos(a);
    if (i + 1 < n) out[i + 1] = r * Math.sin(a);
  }
  return out;
}

/**
 * Noise of one kind, n samples. `pairs`: draw the Gaussian values with gaussPairs (the fast
 * training chain) instead of one rng.gauss() each (the benchmark's noise and the original chain).
 */
export function makeNoise(kind: Exclude<NoiseKind, 'babble'>, n: number, rng: Rng, rate = 8000, pairs = false): Float32Array {
  const out = new Float32Array(n);
  const g = pairs && kind !== 'hum' ? gaussPairs(n, rng) : undefined;
  let gi = 0;
  const gauss = g ? (): number => g[gi++] as number : (): number => rng.gauss();
  if (kind === 'white') {
    for (let i = 0; i < n; i++) out[i] = gauss();
  } else if (kind === 'pink') {
    // Paul Kellet's economy pink filter
    let b0 = 0, b1 = 0, b2 = 0;
    for (let i = 0; i < n; i++) {
      const w = gauss();
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    }
  } else if (kind === 'brown') {
    let y = 0;
    for (let i = 0; i < n; i++) {
      y = 0.98 * y + gauss();
      out[i] = y;
    }
  } else {
    const f0 = rng.pick([50, 60]);
    const phases = [rng.next(), rng.next(), rng.next(), rng.next()].map((p) => p * 2 * Math.PI);
    // with pairs, the hum's own Gaussian values come after the phases (the stream order of the original)
    const h = pairs ? gaussPairs(n, rng) : undefined;
    for (let i = 0; i < n; i++) {
      const t = i / rate;
      out[i] = Math.sin(2 * Math.PI * f0 * t + (phases[0] ?? 0)) + 0.5 * Math.sin(2 * Math.PI * 3 * f0 * t + (phases[1] ?? 0)) + 0.3 * Math.sin(2 * Math.PI * 5 * f0 * t + (phases[2] ?? 0)) + 0.05 * (h ? (h[i] as number) : rng.gauss());
    }
  }
  return out;
}

function power(x: Float32Array, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] ?? 0) ** 2;
  return s / Math.max(1, to - from);
}

/** Adds `noise` (tiled) so that speech power over [from,to) / noise power = snrDb. */
export function addNoise(x: Float32Array, noise: Float32Array, snrDb: number, from = 0, to = x.length): Float32Array {
  const ps = power(x, from, to);
  const pn = power(noise);
  if (ps <= 0 || pn <= 0) return Float32Array.from(x);
  const g = Math.sqrt(ps / (pn * 10 ** (snrDb / 10)));
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] ?? 0) + g * (noise[i % noise.length] ?? 0);
  return out;
}

/** Speed perturbation by resampling (changes tempo and pitch together, like a different vocal tract). */
export function speedPerturb(x: Float32Array, factor: number, rate = 8000): Float32Array {
  return resample(x, Math.round(rate * factor), rate);
}

const FAST_ZERO_CROSSINGS = 8;
const FAST_PHASES = 256;
/** Blackman-windowed sinc filters by cutoff (in thousandths): (FAST_PHASES + 1) phases x 2H taps. */
const fastFilters = new Map<number, { H: number; taps: Float32Array }>();

function fastFilter(cutoff: number): { H: number; taps: Float32Array } {
  const key = Math.round(cutoff * 1000);
  const cached = fastFilters.get(key);
  if (cached) return cached;
  const c = key / 1000;
  const H = Math.ceil(FAST_ZERO_CROSSINGS / c);
  const W = 2 * H;
  const taps = new Float32Array((FAST_PHASES + 1) * W);
  for (let p = 0; p <= FAST_PHASES; p++) {
    for (let j = 0; j < W; j++) {
      const x = (p / FAST_PHASES - (j - H + 1)) * c; // (t - k) in cycles of the cutoff
      const ax = Math.abs(x);
      if (ax >= FAST_ZERO_CROSSINGS) continue;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const w = 0.42 + 0.5 * Math.cos((Math.PI * x) / FAST_ZERO_CROSSINGS) + 0.08 * Math.cos((2 * Math.PI * x) / FAST_ZERO_CROSSINGS);
      taps[p * W + j] = c * sinc * w;
    }
  }
  const f = { H, taps };
  fastFilters.set(key, f);
  return f;
}

/**
 * speedPerturb for the fast training chain: the same output length and band limit, through a
 * cached filter of 16 zero crossings' width (not 32) with the fractional position rounded to
 * 1/256 sample (not interpolated per tap): 1.03 -> 0.41 ms per audio second. The difference is
 * more than 45 dB below the signal under 2 kHz (test/speech-model/augment.test.ts); the shorter
 * filter rolls off earlier, so at the fastest speeds 3-3.8 kHz comes out somewhat weaker — for
 * augmentation that is one more mild channel colouring.
 */
export function speedPerturbFast(x: Float32Array, factor: number, rate = 8000): Float32Array {
  const fromRate = Math.round(rate * factor);
  if (fromRate === rate) return Float32Array.from(x);
  const ratio = rate / fromRate;
  const { H, taps } = fastFilter(Math.min(1, ratio) * (ratio < 1 ? 0.95 : 1));
  const W = 2 * H;
  const outLen = Math.floor((x.length * rate) / fromRate);
  const out = new Float32Array(outLen);
  for (let o = 0; o < outLen; o++) {
    const t = (o * fromRate) / rate;
    const i0 = Math.floor(t);
    out[o] = filterAt(x, i0 - H + 1, taps, Math.round((t - i0) * FAST_PHASES) * W, W);
  }
  return out;
}

/** Schroeder reverberator (4 combs + 2 all-passes) with a dry/wet mix. */
export function reverb(x: Float32Array, rng: Rng, rate = 8000): Float32Array {
  const rt60 = rng.uniform(0.15, 0.6);
  const wet = rng.uniform(0.15, 0.45);
  const combMs = [29.7, 37.1, 41.1, 43.7].map((m) => m * rng.uniform(0.85, 1.15));
  const acc = new Float32Array(x.length);
  for (const ms of combMs) {
    const d = Math.max(1, Math.round((ms / 1000) * rate));
    const g = 10 ** ((-3 * (ms / 1000)) / rt60);
    const buf = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) buf[i] = (x[i] ?? 0) + (i >= d ? g * (buf[i - d] ?? 0) : 0);
    for (let i = 0; i < x.length; i++) acc[i] = (acc[i] ?? 0) + (buf[i] ?? 0) / 4;
  }
  let y = acc;
  for (const [ms, g] of [[5, 0.7], [1.7, 0.7]] as const) {
    const d = Math.max(1, Math.round((ms / 1000) * rate));
    const out = new Float32Array(y.length);
    for (let i = 0; i < y.length; i++) {
      const xd = i >= d ? (y[i - d] ?? 0) : 0;
      const yd = i >= d ? (out[i - d] ?? 0) : 0;
      out[i] = -g * (y[i] ?? 0) + xd + g * yd;
    }
    y = out;
  }
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (1 - wet) * (x[i] ?? 0) + wet * (y[i] ?? 0);
  return out;
}

function biquad(x: Float32Array, b0: number, b1: number, b2: number, a1: number, a2: number): Float32Array {
  const y = new Float32Array(x.length);
  let x1 = 0, x2 = 0, y1 = 0, y2 = 0;
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] ?? 0;
    const yi = b0 * xi + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    y[i] = yi;
    x2 = x1; x1 = xi; y2 = y1; y1 = yi;
  }
  return y;
}

/** Telephone channel: 2nd-order high-pass at ~300 Hz and low-pass at ~3400 Hz (RBJ biquads). */
export function telephoneBand(x: Float32Array, rng: Rng, rate = 8000): Float32Array {
  const design = (f: number, high: boolean): [number, number, number, number, number] => {
    const w = (2 * Math.PI * f) / rate;
    const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
    const c = Math.cos(w);
    const a0 = 1 + alpha;
    const b0 = high ? (1 + c) / 2 : (1 - c) / 2;
    const b1 = high ? -(1 + c) : 1 - c;
    return [b0 / a0, b1 / a0, b0 / a0, (-2 * c) / a0, (1 - alpha) / a0];
  };
  const hp = design(rng.uniform(200, 400), true);
  const lp = design(rng.uniform(3000, 3500), false);
  return biquad(biquad(x, ...hp), ...lp);
}

/**
 * Random equalizer: 1–3 RBJ peaking filters (200–3500 Hz, ±12 dB, Q 0.5–3). Handsets, rooms and
 * voices put bumps and dips in the spectrum that a smooth tilt does not cover.
 */
export function randomEqualizer(x: Float32Array, rng: Rng, rate = 8000): Float32Array {
  let y = x;
  const bands = 1 + rng.int(3);
  for (let k = 0; k < bands; k++) {
    const f = Math.exp(rng.uniform(Math.log(200), Math.log(3500)));
    const gainDb = rng.uniform(-12, 12);
    const q = rng.uniform(0.5, 3);
    const A = 10 ** (gainDb / 40);
    const w = (2 * Math.PI * f) / rate;
    const alpha = Math.sin(w) / (2 * q);
    const c = Math.cos(w);
    const a0 = 1 + alpha / A;
    y = biquad(y, (1 + alpha * A) / a0, (-2 * c) / a0, (1 - alpha * A) / a0, (-2 * c) / a0, (1 - alpha / A) / a0);
  }
  return y;
}

export function g711RoundTrip(x: Float32Array, law: 'mulaw' | 'alaw'): Float32Array {
  const d = decodeG711(encodeG711(toInt16(x), law), law);
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] ?? 0;
  return out;
}

export function scale(x: Float32Array, gain: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, (x[i] ?? 0) * gain));
  return out;
}

export interface AugmentResult {
  audio: Float32Array;
  /** Speed factor applied (>1 = faster = fewer samples); labels must be stretched by it. */
  speed: number;
  description: string;
}

export interface AugmentOptions {
  /**
   * The fast chain: speedPerturbFast and paired Gaussian noise (the two costliest steps; the
   * whole chain 1.4-1.8 -> 0.85-0.97 ms per audio second). Same probabilities and ranges;
   * different numbers, so a model built with it is a different model.
   */
  fast: boolean;
}

/**
 * One random corruption chain for training. `speech` = [from, to) sample range of speech in
 * `x` (for SNR); `babble` supplies other utterances to mix in as babble noise.
 */
export function randomAugment(x: Float32Array, from: number, to: number, rng: Rng, babble: () => Float32Array, options: AugmentOptions = { fast: false }): AugmentResult {
  const tags: string[] = [];
  let y = x;
  let speed = 1;
  const pairs = options.fast;
  if (rng.next() < 0.75) {
    speed = rng.uniform(0.8, 1.25);
    y = options.fast ? speedPerturbFast(y, speed) : speedPerturb(y, speed);
    from = Math.floor(from / speed);
    to = Math.min(y.length, Math.ceil(to / speed));
    tags.push(`speed${speed.toFixed(2)}`);
  }
  if (rng.next() < 0.2) {
    y = reverb(y, rng);
    tags.push('reverb');
  }
  if (rng.next() < 0.3) {
    y = telephoneBand(y, rng);
    tags.push('band');
  }
  if (rng.next() < 0.35) {
    y = randomEqualizer(y, rng);
    tags.push('eq');
  }
  if (rng.next() < 0.4) {
    // spectral tilt (microphones, handsets): y[n] = x[n] - a x[n-1], loudness kept
    const a = rng.uniform(-0.6, 0.7);
    const t = new Float32Array(y.length);
    for (let i = 0; i < y.length; i++) t[i] = ((y[i] ?? 0) - a * (i > 0 ? (y[i - 1] ?? 0) : 0)) / (1 + Math.abs(a));
    y = t;
    tags.push(`tilt${a.toFixed(2)}`);
  }
  const r = rng.next();
  if (r > 0.2) {
    const snr = rng.pick([0, 5, 8, 10, 12, 15, 20, 25, 30]);
    const kindRoll = rng.next();
    const noise = kindRoll < 0.15 ? babble() : makeNoise(kindRoll < 0.45 ? 'white' : kindRoll < 0.75 ? 'pink' : kindRoll < 0.92 ? 'brown' : 'hum', y.length, rng, 8000, pairs);
    y = addNoise(y, noise, snr, from, to);
    tags.push(`snr${snr}`);
  } else if (r > 0.1) {
    // low-level hiss only (a quiet line rather than digital silence)
    y = addNoise(y, makeNoise('white', y.length, rng, 8000, pairs), rng.uniform(35, 50), from, to);
    tags.push('hiss');
  }
  const gainDb = rng.uniform(-24, 6);
  y = scale(y, 10 ** (gainDb / 20));
  tags.push(`gain${gainDb.toFixed(0)}`);
  const c = rng.next();
  if (c < 0.2) {
    y = g711RoundTrip(y, 'mulaw');
    tags.push('ulaw');
  } else if (c < 0.4) {
    y = g711RoundTrip(y, 'alaw');
    tags.push('alaw');
  }
  return { audio: y, speed, description: tags.join(' ') };
}
