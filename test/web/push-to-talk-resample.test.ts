// The kiosk's microphone path before the wire: band-limited resampling to the recognizer's
// rate, PCM16LE conversion, the level meter and 100 ms framing (pure functions, no browser).
import { describe, expect, it } from 'vitest';
import { FrameChunker, meterLevel, Resampler, speechSampleRate, toPcm16le } from '../../src/web/kiosk/resampler.ts';

const tone = (hz: number, rate: number, seconds: number, amplitude = 0.5) =>
  Float32Array.from({ length: Math.round(rate * seconds) }, (_, i) => amplitude * Math.sin((2 * Math.PI * hz * i) / rate));

/** Amplitude of the `hz` component (a single-bin DFT), away from the edges the filter ramps in. */
function amplitudeAt(x: Float32Array, hz: number, rate: number): number {
  const from = Math.floor(x.length * 0.2);
  const to = Math.floor(x.length * 0.8);
  let re = 0;
  let im = 0;
  for (let i = from; i < to; i++) {
    re += x[i]! * Math.cos((2 * Math.PI * hz * i) / rate);
    im -= x[i]! * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (2 * Math.hypot(re, im)) / (to - from);
}

const peak = (x: Float32Array, from = 0.2, to = 0.8) => Math.max(...x.slice(Math.floor(x.length * from), Math.floor(x.length * to)).map(Math.abs));
const dB = (ratio: number) => 20 * Math.log10(ratio);

function oneShot(input: Float32Array, inRate: number, outRate: number): Float32Array {
  const r = new Resampler(inRate, outRate);
  const a = r.push(input);
  const b = r.flush();
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

describe('speechSampleRate', () => {
  it.each([
    [48000, 16000],
    [44100, 16000],
    [16000, 16000],
    [11025, 8000],
    [8000, 8000],
  ])('captures at %i Hz → sends %i Hz', (capture, sent) => {
    expect(speechSampleRate(capture)).toBe(sent);
  });
});

describe('Resampler', () => {
  it.each([
    [48000, 16000],
    [44100, 16000],
    [96000, 16000],
    [22050, 8000],
    [16000, 16000],
  ])('%i → %i Hz keeps a 1 kHz tone at its level and frequency', (inRate, outRate) => {
    const out = oneShot(tone(1000, inRate, 0.5), inRate, outRate);
    expect(out.length).toBe(Math.ceil((Math.round(inRate * 0.5) * outRate) / inRate));
    expect(Math.abs(dB(amplitudeAt(out, 1000, outRate) / 0.5))).toBeLessThan(0.1);
    // Nothing leaks to a neighbouring frequency.
    expect(amplitudeAt(out, 1500, outRate)).toBeLessThan(0.005);
  });

  it('passes 0 Hz with unity gain', () => {
    const out = oneShot(new Float32Array(4800).fill(0.25), 48000, 16000);
    for (const v of out.slice(100, -100)) expect(v).toBeCloseTo(0.25, 4);
  });

  it.each([
    [12000, 48000, 16000], // would fold to 4 kHz, right in the speech band
    [9000, 48000, 16000], // just above the 8 kHz output Nyquist
    [15000, 44100, 16000],
    [5000, 22050, 8000],
  ])('removes a %i Hz tone that %i → %i Hz would alias', (hz, inRate, outRate) => {
    const out = oneShot(tone(hz, inRate, 0.5), inRate, outRate);
    expect(dB(peak(out) / 0.5)).toBeLessThan(-60);
  });

  it('keeps speech-band content below the cut-off', () => {
    const out = oneShot(tone(3400, 48000, 0.5), 48000, 16000);
    expect(Math.abs(dB(amplitudeAt(out, 3400, 16000) / 0.5))).toBeLessThan(0.1);
  });

  it('gives the same output streamed in uneven chunks as all at once', () => {
    const input = Float32Array.from({ length: 44100 }, (_, i) => Math.sin(i / 7) * 0.3 + Math.sin(i / 2.3) * 0.2);
    const whole = oneShot(input, 44100, 16000);
    const r = new Resampler(44100, 16000);
    const parts: number[] = [];
    for (let at = 0, n = 1; at < input.length; at += n, n = (n * 7 + 3) % 1500) parts.push(...r.push(input.subarray(at, at + n)));
    parts.push(...r.flush());
    expect(parts.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i++) expect(parts[i]).toBeCloseTo(whole[i]!, 6);
  });

  it('is causal enough to talk through: output follows input within a few milliseconds', () => {
    const r = new Resampler(48000, 16000);
    const out = r.push(new Float32Array(4800)); // 100 ms in
    expect(out.length).toBeGreaterThan(1600 - 16 * 3); // < 3 ms held back
  });

  it('refuses nonsense rates', () => {
    expect(() => new Resampler(0, 16000)).toThrow(RangeError);
    expect(() => new Resampler(48000.5, 16000)).toThrow(RangeError);
  });
});

describe('toPcm16le', () => {
  it('writes little-endian 16-bit samples and clips beyond full scale', () => {
    const bytes = new Uint8Array(toPcm16le(Float32Array.of(0, 1, -1, 0.5, 2, -3)));
    expect(bytes.length).toBe(12);
    const view = new DataView(bytes.buffer);
    expect([0, 1, 2, 3, 4, 5].map((i) => view.getInt16(i * 2, true))).toEqual([0, 32767, -32768, 16384, 32767, -32768]);
    expect([bytes[2], bytes[3]]).toEqual([0xff, 0x7f]);
  });
});

describe('meterLevel', () => {
  it.each([
    [new Float32Array(480), 0],
    [new Float32Array(480).fill(1), 1],
    [new Float32Array(480).fill(0.001), 0], // −60 dBFS
    [new Float32Array(480).fill(0.01), 1 / 3], // −40 dBFS
    [tone(1000, 48000, 0.01, 0.1), (60 - 20 - 20 * Math.log10(Math.SQRT2)) / 60], // sine peaking at −20 dBFS
  ])('maps loudness to 0…1', (samples, level) => {
    expect(meterLevel(samples)).toBeCloseTo(level, 3);
  });
});

describe('FrameChunker', () => {
  it('cuts 100 ms frames across chunk boundaries and hands back the rest', () => {
    const c = new FrameChunker(1600);
    expect(c.push(new Float32Array(1000))).toHaveLength(0);
    const frames = c.push(new Float32Array(2500));
    expect(frames.map((f) => f.length)).toEqual([1600, 1600]);
    expect(c.flush()?.length).toBe(300);
    expect(c.flush()).toBeNull();
  });
});
