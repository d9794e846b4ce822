// Band-limited resampling (windowed sinc, arbitrary ratio) for rate conversion and for
// speed perturbation; float in, float out, int16 scale preserved.

const ZERO_CROSSINGS = 16;
const TABLE_RES = 512; // kernel samples per zero crossing; linear interpolation between them

let kernelTable: Float32Array | undefined;

function kernel(): Float32Array {
  if (kernelTable) return kernelTable;
  const n = ZERO_CROSSINGS * TABLE_RES + 2;
  const table = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const x = i / TABLE_RES;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    // Blackman window over [-ZERO_CROSSINGS, ZERO_CROSSINGS]
    const w = x >= ZERO_CROSSINGS ? 0 : 0.42 + 0.5 * Math.cos((Math.PI * x) / ZERO_CROSSINGS) + 0.08 * Math.cos((2 * Math.PI * x) / ZERO_CROSSINGS);
    table[i] = sinc * w;
  }
  kernelTable = table;
  return table;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

function kernelAt(table: Float32Array, x: number): number {
  const pos = Math.abs(x) * TABLE_RES;
  const i = pos | 0;
  if (i >= table.length - 1) return 0;
  const frac = pos - i;
  return (table[i] ?? 0) + ((table[i + 1] ?? 0) - (table[i] ?? 0)) * frac;
}

interface Polyphase {
  L: number;
  M: number;
  H: number;
  /** L phases x 2H taps; tap j of phase p weights input sample i0 + j - H + 1. */
  taps: Float32Array;
}

const polyphaseCache = new Map<string, Polyphase>();
const MAX_PHASES = 4096;

function polyphase(fromRate: number, toRate: number, cutoff: number): Polyphase | undefined {
  const key = `${fromRate}:${toRate}`;
  const cached = polyphaseCache.get(key);
  if (cached) return cached;
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate)) return undefined;
  const g = gcd(fromRate, toRate);
  const L = toRate / g;
  const M = fromRate / g;
  if (L > MAX_PHASES) return undefined;
  const table = kernel();
  const H = Math.ceil(ZERO_CROSSINGS / cutoff);
  const taps = new Float32Array(L * 2 * H);
  for (let p = 0; p < L; p++) {
    for (let j = 0; j < 2 * H; j++) {
      const d = p / L - (j - H + 1); // t - k
      taps[p * 2 * H + j] = kernelAt(table, d * cutoff) * cutoff;
    }
  }
  const pp = { L, M, H, taps };
  if (polyphaseCache.size > 256) polyphaseCache.clear();
  polyphaseCache.set(key, pp);
  return pp;
}

/**
 * One output sample of a polyphase filter: Σ input[k0 + j] · taps[base + j] over j < W, with the
 * input taken as zero outside its bounds.
 */
export function filterAt(input: Float32Array, k0: number, taps: Float32Array, base: number, W: number): number {
  let acc = 0;
  if (k0 >= 0 && k0 + W <= input.length) {
    for (let j = 0; j < W; j++) acc += (input[k0 + j] as number) * (taps[base + j] as number);
  } else {
    for (let j = 0; j < W; j++) {
      const k = k0 + j;
      if (k >= 0 && k < input.length) acc += (input[k] as number) * (taps[base + j] as number);
    }
  }
  return acc;
}

/**
 * Resamples `input` from `fromRate` to `toRate`. When downsampling, the cutoff sits at 0.95 of
 * the new Nyquist frequency so no energy aliases back into the telephony band. Integer rates use
 * a cached polyphase filter bank; other ratios interpolate the kernel per tap.
 */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return Float32Array.from(input);
  const table = kernel();
  const ratio = toRate / fromRate;
  const cutoff = Math.min(1, ratio) * (ratio < 1 ? 0.95 : 1);
  const outLen = Math.floor((input.length * toRate) / fromRate);
  const out = new Float32Array(outLen);
  const pp = polyphase(fromRate, toRate, cutoff);
  if (pp) {
    const { L, M, H, taps } = pp;
    const W = 2 * H;
    for (let o = 0; o < outLen; o++) {
      const num = o * M;
      const i0 = Math.floor(num / L);
      out[o] = filterAt(input, i0 - H + 1, taps, (num - i0 * L) * W, W);
    }
    return out;
  }
  const halfWidth = ZERO_CROSSINGS / cutoff; // in input samples
  for (let n = 0; n < outLen; n++) {
    const t = n / ratio;
    const lo = Math.max(0, Math.ceil(t - halfWidth));
    const hi = Math.min(input.length - 1, Math.floor(t + halfWidth));
    let acc = 0;
    for (let k = lo; k <= hi; k++) acc += (input[k] ?? 0) * kernelAt(table, (t - k) * cutoff);
    out[n] = acc * cutoff;
  }
  return out;
}

/** Converts float samples on the int16 scale to Int16Array with rounding and clipping. */
export function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(samples[i] ?? 0)));
  return out;
}

/** Converts Int16Array samples to float samples on the same int16 scale. */
export function toFloat32(samples: Int16Array): Float32Array {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] ?? 0;
  return out;
}
