// Microphone audio for the recognizer: the browser captures at its own rate (usually 48 kHz),
// the appliance takes 8 or 16 kHz PCM16LE. Pure functions, no DOM, so they are unit-tested in Node.

/** The rate to send for a capture rate: 16 kHz when the capture has it, else 8 kHz (never upsampled). */
export function speechSampleRate(captureRate: number): 16000 | 8000 {
  return captureRate >= 16000 ? 16000 : 8000;
}

/** Zero crossings of the sinc on each side of the centre: longer = sharper cut-off. */
const ZERO_CROSSINGS = 16;
/** Cut-off as a share of the output Nyquist frequency: the Kaiser window's transition band sits below it. */
const ROLLOFF = 0.9;
/** Kaiser window shape: about 80 dB stop-band attenuation. */
const KAISER_BETA = 8;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Modified Bessel function of the first kind, order 0 (for the Kaiser window). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

interface Phase {
  /** Offset (in input samples, relative to the output's integer input position) of the first tap. */
  start: number;
  taps: Float32Array;
}

/**
 * Band-limited rational resampler: a Kaiser-windowed sinc low-pass evaluated in polyphase form,
 * so every output sample is a short dot product. The cut-off sits below the lower of the two
 * Nyquist frequencies: content the output rate cannot carry is removed instead of aliasing
 * into the speech band. Streaming: `push` any chunk sizes, `flush` at the end; the output is
 * the same as resampling everything at once.
 */
export class Resampler {
  /** Output samples per `step` input samples (the reduced ratio outRate/inRate = up/down). */
  private readonly up: number;
  private readonly down: number;
  private readonly phases: Phase[];
  private readonly firstOffset: number;
  /** Input not yet fully used; history[0] is input sample number `historyStart` (negative = leading zeros). */
  private history: Float32Array;
  private historyStart: number;
  private received = 0;
  private produced = 0;

  constructor(
    readonly inRate: number,
    readonly outRate: number,
  ) {
    if (!(Number.isInteger(inRate) && inRate > 0 && Number.isInteger(outRate) && outRate > 0)) throw new RangeError(`sample rates must be positive integers (got ${inRate} → ${outRate})`);
    const g = gcd(inRate, outRate);
    this.up = outRate / g;
    this.down = inRate / g;
    if (this.up > 4096) throw new RangeError(`resampling ${inRate} → ${outRate} Hz needs too many filter phases`);
    this.phases = inRate === outRate ? [{ start: 0, taps: Float32Array.of(1) }] : designPhases(this.up, this.down);
    this.firstOffset = Math.min(...this.phases.map((p) => p.start));
    // Leading zeros stand in for the silence before the first sample.
    this.historyStart = this.firstOffset;
    this.history = new Float32Array(-this.firstOffset);
  }

  /** Resamples the next chunk of input; returns the output samples that are complete so far. */
  push(input: Float32Array): Float32Array {
    this.append(input);
    this.received += input.length;
    return this.drain(this.received, Infinity);
  }

  /** Ends the stream: the remaining output, computed as if silence followed. */
  flush(): Float32Array {
    const lastOffset = Math.max(...this.phases.map((p) => p.start + p.taps.length - 1));
    this.append(new Float32Array(Math.max(0, lastOffset) + 1));
    // Exactly ceil(received · up / down) samples in total, like a one-shot resample.
    const total = Math.ceil((this.received * this.up) / this.down);
    return this.drain(this.received + Math.max(0, lastOffset) + 1, total);
  }

  private append(input: Float32Array): void {
    const next = new Float32Array(this.history.length + input.length);
    next.set(this.history);
    next.set(input, this.history.length);
    this.history = next;
  }

  /** Computes outputs whose taps all lie below input sample `available`, up to `limit` outputs in total. */
  private drain(available: number, limit: number): Float32Array {
    const out: number[] = [];
    for (;;) {
      if (this.produced >= limit) break;
      const position = this.produced * this.down;
      const base = Math.floor(position / this.up);
      const phase = this.phases[position - base * this.up]!;
      const first = base + phase.start;
      if (first + phase.taps.length > available) break;
      let acc = 0;
      const at = first - this.historyStart;
      for (let k = 0; k < phase.taps.length; k++) acc += phase.taps[k]! * this.history[at + k]!;
      out.push(acc);
      this.produced++;
    }
    // Drop input no later output can reach.
    const nextBase = Math.floor((this.produced * this.down) / this.up);
    const keepFrom = Math.min(nextBase + this.firstOffset, this.historyStart + this.history.length);
    if (keepFrom > this.historyStart) {
      this.history = this.history.slice(keepFrom - this.historyStart);
      this.historyStart = keepFrom;
    }
    return Float32Array.from(out);
  }
}

/** One windowed-sinc kernel per output phase, each normalized to unity gain at 0 Hz. */
function designPhases(up: number, down: number): Phase[] {
  // Cut-off in cycles per input sample: below the lower Nyquist of the two rates.
  const cutoff = 0.5 * Math.min(1, up / down) * ROLLOFF;
  const halfWidth = ZERO_CROSSINGS / (2 * cutoff);
  const i0Beta = besselI0(KAISER_BETA);
  const phases: Phase[] = [];
  for (let p = 0; p < up; p++) {
    // Output sample n sits at input position base + p/up; tap j is input sample base + j.
    const frac = p / up;
    const start = Math.ceil(frac - halfWidth);
    const end = Math.floor(frac + halfWidth);
    const taps = new Float32Array(end - start + 1);
    let sum = 0;
    for (let j = start; j <= end; j++) {
      const t = frac - j;
      const x = 2 * cutoff * t;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const r = t / halfWidth;
      const window = Math.abs(r) >= 1 ? 0 : besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta;
      const h = sinc * window;
      taps[j - start] = h;
      sum += h;
    }
    for (let k = 0; k < taps.length; k++) taps[k]! /= sum;
    phases.push({ start, taps });
  }
  return phases;
}

/** Float samples (−1…1, clipped beyond) as 16-bit signed little-endian PCM. */
export function toPcm16le(samples: Float32Array): ArrayBuffer {
  const buf = new ArrayBuffer(samples.length * 2);
  const view = new DataView(buf);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    view.setInt16(i * 2, Math.round(s < 0 ? s * 0x8000 : s * 0x7fff), true);
  }
  return buf;
}

/** Loudness for the level meter: 0 at −60 dBFS and below, 1 at 0 dBFS. */
export function meterLevel(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sq = 0;
  for (let i = 0; i < samples.length; i++) sq += samples[i]! * samples[i]!;
  const rms = Math.sqrt(sq / samples.length);
  if (rms <= 0) return 0;
  return Math.max(0, Math.min(1, (20 * Math.log10(rms) + 60) / 60));
}

/** Cuts a stream of samples into frames of a fixed length (the last one may be shorter). */
export class FrameChunker {
  private pending = new Float32Array(0);

  constructor(readonly frameSamples: number) {}

  /** The frames completed by this chunk. */
  push(samples: Float32Array): Float32Array[] {
    const all = new Float32Array(this.pending.length + samples.length);
    all.set(this.pending);
    all.set(samples, this.pending.length);
    const frames: Float32Array[] = [];
    let at = 0;
    for (; at + this.frameSamples <= all.length; at += this.frameSamples) frames.push(all.slice(at, at + this.frameSamples));
    this.pending = all.slice(at);
    return frames;
  }

  /** Whatever is left, or null. */
  flush(): Float32Array | null {
    const rest = this.pending;
    this.pending = new Float32Array(0);
    return rest.length > 0 ? rest : null;
  }
}
