// Flite (recorded-speaker English voices) as a second synthesizer for the English demo model's
// training data and for the held-out "another synthesizer" benchmark set.

import { describe, expect, it } from 'vitest';
import { buildFliteEvalSet, buildTrainCorpus } from '../../scripts/speech-model/corpus.ts';
import { LANGUAGES, type LanguageSpec } from '../../scripts/speech-model/languages.ts';
import { Rng } from '../../scripts/speech-model/rng.ts';
import { fliteItem, fliteLabel, MODEL_RATE } from '../../scripts/speech-model/synth.ts';

function rmsOf(x: Float32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s / Math.max(1, to - from));
}

describe('Flite synthesis', () => {
  it('returns the speech of one item at 8 kHz with the silence around it trimmed', () => {
    const one = fliteItem({ voice: 'slt', stretch: 1 }, 'one');
    expect(one).toBeDefined();
    const a = one as Float32Array;
    const seconds = a.length / MODEL_RATE;
    expect(seconds).toBeGreaterThan(0.15);
    expect(seconds).toBeLessThan(1.2);
    // trimmed to within one 10 ms window of speech: the first and last 30 ms are not silent
    const whole = rmsOf(a, 0, a.length);
    expect(rmsOf(a, 0, 240)).toBeGreaterThan(whole * 0.005);
    expect(rmsOf(a, a.length - 240, a.length)).toBeGreaterThan(whole * 0.005);
    // int16 scale, like eSpeak's items
    expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(1000);
  });

  it('stretches durations and speaks with different voices', () => {
    const fast = fliteItem({ voice: 'awb', stretch: 0.8 }, 'four five six seven') as Float32Array;
    const slow = fliteItem({ voice: 'awb', stretch: 1.25 }, 'four five six seven') as Float32Array;
    expect(slow.length / fast.length).toBeGreaterThan(1.3);
    const kal = fliteItem({ voice: 'kal', stretch: 1 }, 'four five six seven') as Float32Array;
    expect(Math.abs(kal.length - fast.length)).toBeGreaterThan(0);
    expect(fliteLabel({ voice: 'kal', stretch: 1.1 })).toBe('flite-kal x1.1');
  });

  it('holds out a voice the English training never uses, and builds its test set from it', () => {
    const split = LANGUAGES.en.flite;
    expect(split).toBeDefined();
    for (const v of split?.test ?? []) expect(split?.train).not.toContain(v);
    for (const s of split?.stretches.test ?? []) expect(split?.stretches.train).not.toContain(s);
    const spec: LanguageSpec = { ...LANGUAGES.en, words: LANGUAGES.en.words.slice(0, 4), digits: LANGUAGES.en.digits.slice(0, 4), flite: { ...(split as NonNullable<typeof split>), stretches: { train: [1], test: [1.05] } } };
    const set = buildFliteEvalSet(spec, new Rng(1), { connectedPerConfig: 2, minDigits: 4, maxDigits: 5 });
    expect(set.filter((u) => u.kind === 'isolated').map((u) => u.words[0])).toEqual(spec.words.map((w) => w.token));
    const connected = set.filter((u) => u.kind === 'connected');
    expect(connected).toHaveLength(2);
    for (const u of connected) {
      expect(u.words.length).toBeGreaterThanOrEqual(4);
      for (const w of u.words) expect(spec.digits).toContain(w);
    }
    for (const u of set) {
      expect(u.voice).toBe(`flite-${split?.test[0]} x1.05`);
      expect(u.speechFrom).toBeGreaterThan(0);
      expect(u.speechTo).toBeLessThan(u.audio.length);
    }
    // Mandarin has no Flite voices (Debian has no other Mandarin synthesizer)
    expect(buildFliteEvalSet(LANGUAGES.zh, new Rng(1), { connectedPerConfig: 2, minDigits: 4, maxDigits: 5 })).toEqual([]);
  });

  it('adds the training Flite voices to the English training corpus, never the held-out one', () => {
    const en = LANGUAGES.en;
    const split = en.flite as NonNullable<typeof en.flite>;
    // one eSpeak voice+variant and one Flite pass per voice keep this small
    const spec: LanguageSpec = {
      ...en,
      train: { voices: ['en-us'], variants: ['f1'], speeds: [175], pitches: [50] },
      randomVariantsPerVoice: 0,
      connectedPerPass: 2,
      isolatedKeep: 0.3,
      flite: { ...split, passesPerVoice: 1 },
    };
    const { utterances } = buildTrainCorpus(spec, new Rng(7), () => {});
    const voices = new Set(utterances.map((u) => u.voice.split(' ')[0]));
    for (const v of split.train) expect(voices, v).toContain(`flite-${v}`);
    for (const v of split.test) expect(voices).not.toContain(`flite-${v}`);
    expect(voices).toContain('en-us+f1');
    const flite = utterances.filter((u) => u.voice.startsWith('flite-'));
    for (const u of flite) {
      expect(u.words.length).toBeGreaterThan(0);
      if (u.kind === 'connected') expect(u.wordDurations).toHaveLength(u.words.length);
      expect(split.stretches.train.map((x) => `x${x}`)).toContain(u.voice.split(' ')[1]);
    }
    expect(flite.filter((u) => u.kind === 'connected')).toHaveLength(2 * split.train.length);
  });
});
