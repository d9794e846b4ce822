import { describe, expect, it } from 'vitest';
import { gaussPairs, makeNoise, randomAugment, speedPerturb, speedPerturbFast } from '../../scripts/speech-model/augment.ts';
import { Rng } from '../../scripts/speech-model/rng.ts';

/** 40 sines at random frequencies in [100, maxHz) and phases, 2 s at 8 kHz. */
function tones(rng: Rng, maxHz: number): Float32Array {
  const x = new Float32Array(16000);
  for (let k = 0; k < 40; k++) {
    const f = 100 + rng.next() * (maxHz - 100);
    const ph = rng.next() * 2 * Math.PI;
    for (let i = 0; i < x.length; i++) x[i] = (x[i] as number) + 300 * Math.sin((2 * Math.PI * f * i) / 8000 + ph);
  }
  return x;
}

/** Power of a - b relative to a (dB), away from the edges. */
function errorDb(a: Float32Array, b: Float32Array): number {
  let e = 0, s = 0;
  for (let i = 400; i < a.length - 400; i++) {
    e += ((a[i] as number) - (b[i] as number)) ** 2;
    s += (a[i] as number) ** 2;
  }
  return 10 * Math.log10(e / s);
}

describe('speedPerturbFast', () => {
  it.each([0.8, 0.93, 1.07, 1.25])('matches the band-limited resampler below 2 kHz at speed %f', (factor) => {
    const x = tones(new Rng(11), 2000);
    const exact = speedPerturb(x, factor);
    const fast = speedPerturbFast(x, factor);
    expect(fast.length).toBe(exact.length);
    expect(errorDb(exact, fast)).toBeLessThan(-45);
  });

  it('changes the tempo: a tone at 1 kHz comes out at 1.2 kHz when sped up by 1.2', () => {
    const x = Float32Array.from({ length: 16000 }, (_, i) => 1000 * Math.sin((2 * Math.PI * 1000 * i) / 8000));
    const y = speedPerturbFast(x, 1.2);
    const ref = Float32Array.from({ length: y.length }, (_, i) => 1000 * Math.sin((2 * Math.PI * 1200 * i) / 8000));
    expect(errorDb(ref, y)).toBeLessThan(-40);
  });

  it('returns a copy at speed 1', () => {
    const x = tones(new Rng(2), 3000);
    const y = speedPerturbFast(x, 1);
    expect(y).not.toBe(x);
    expect(y).toEqual(x);
  });
});

describe('noise', () => {
  it('gaussPairs are standard normal', () => {
    const g = gaussPairs(200001, new Rng(5));
    let m = 0, v = 0;
    for (const x of g) m += x;
    m /= g.length;
    for (const x of g) v += (x - m) ** 2;
    v /= g.length;
    expect(Math.abs(m)).toBeLessThan(0.01);
    expect(Math.abs(v - 1)).toBeLessThan(0.02);
    // odd lengths fill the last value too
    expect(g[200000]).not.toBe(0);
  });

  it('makeNoise without pairs keeps the original stream (one rng.gauss() per sample: the benchmark noise depends on it)', () => {
    const noise = makeNoise('white', 1000, new Rng(9));
    const rng = new Rng(9);
    for (let i = 0; i < 1000; i++) expect(noise[i]).toBe(Math.fround(rng.gauss()));
  });

  it('makeNoise with pairs draws half the uniforms', () => {
    const a = new Rng(9), b = new Rng(9);
    makeNoise('pink', 1000, a, 8000, true);
    for (let i = 0; i < 1000; i++) b.next();
    expect(a.next()).toBe(b.next());
  });
});

describe('randomAugment', () => {
  it('is reproducible from the seed, fast chain or not, and the two chains differ', () => {
    const x = tones(new Rng(3), 3000);
    const run = (fast: boolean, seed: number): Float32Array[] => {
      const rng = new Rng(seed);
      return Array.from({ length: 20 }, () => randomAugment(x, 0, x.length, rng, () => x, { fast }).audio);
    };
    expect(run(true, 4)).toEqual(run(true, 4));
    expect(run(false, 4)).toEqual(run(false, 4));
    expect(run(true, 4)).not.toEqual(run(false, 4));
  });
});
