// Word timing from eSpeak NG (libespeak-ng through koffi) and forced alignment that keeps each
// word near the span the synthesizer gave it.
import { describe, expect, it } from 'vitest';
import { flatStartLabels, makeTopology, viterbiAlign, SUBSAMPLING } from '../../scripts/speech-model/align.ts';
import { tokenStarts } from '../../scripts/speech-model/corpus.ts';
import { espeakTimed } from '../../scripts/speech-model/espeak-lib.ts';
import { LANGUAGES } from '../../scripts/speech-model/languages.ts';
import { synthesizeTimedItems, type VoiceConfig } from '../../scripts/speech-model/synth.ts';

const ROBOT: VoiceConfig = { voice: 'cmn-latn-pinyin', variant: 'robosoft5', speed: 235, pitch: 50, wordGap: 0 };

/** Level (dB) of each 10 ms window of 8 kHz audio. */
function levels(audio: Float32Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 80 <= audio.length; i += 80) {
    let e = 0;
    for (let j = i; j < i + 80; j++) e += (audio[j] as number) ** 2;
    out.push(10 * Math.log10(e / 80 + 1));
  }
  return out;
}

describe('eSpeak NG word timing', () => {
  it('reports one start per word, in order, and none for SSML breaks', () => {
    const { rate, samples, words } = espeakTimed(ROBOT, 'san1 yi1 yi1 <break time="300ms"/> jiu3');
    expect(rate).toBe(22050);
    expect(words.map((w) => w.textPosition)).toEqual([1, 6, 10, 36]);
    for (let i = 1; i < words.length; i++) expect((words[i] as { sample: number }).sample).toBeGreaterThan((words[i - 1] as { sample: number }).sample);
    expect((words[3] as { sample: number }).sample).toBeLessThan(samples.length);
  });

  it('puts the second of two repeated syllables at the level dip between them', () => {
    const [item] = synthesizeTimedItems(ROBOT, ['yi1 yi1 yi1']) ?? [];
    expect(item?.wordStarts).toHaveLength(3);
    const db = levels(item?.audio ?? new Float32Array(0));
    for (const start of (item?.wordStarts ?? []).slice(1)) {
      const w = Math.round(start / 80);
      // the dip: some window within 30 ms of the reported start is well below both syllables' peaks
      const near = Math.min(...db.slice(Math.max(0, w - 3), w + 4));
      const before = Math.max(...db.slice(Math.max(0, w - 10), w - 3));
      const after = Math.max(...db.slice(w + 3, w + 10));
      expect(before - near).toBeGreaterThan(6);
      expect(after - near).toBeGreaterThan(6);
    }
  });

  it('splits a batch into items, each with its own word starts inside its audio', () => {
    const items = synthesizeTimedItems({ ...ROBOT, variant: 'm3', speed: 160, wordGap: 2 }, ['bu2 shi4 wu3', 'ling2', 'ba1 ba1 qi1 er4']);
    expect(items?.map((i) => i.wordStarts?.length)).toEqual([3, 1, 4]);
    for (const it of items ?? []) {
      const s = it.wordStarts ?? [];
      expect(s[0]).toBeLessThan(400);
      for (let k = 1; k < s.length; k++) expect(s[k]).toBeGreaterThan(s[k - 1] as number);
      expect(s[s.length - 1]).toBeLessThan(it.audio.length);
    }
  });

  it('maps spoken words back to tokens, several-syllable tokens starting at their first', () => {
    const zh = LANGUAGES.zh;
    expect(tokenStarts(zh, ['不是', '五'], [0, 900, 1800])).toEqual([0, 1800]);
    expect(tokenStarts(zh, ['营业时间'], [0, 1, 2, 3])).toEqual([0]);
    // counts that do not match are not guessed at
    expect(tokenStarts(zh, ['不是', '五'], [0, 900])).toBeUndefined();
    expect(tokenStarts(zh, ['五'], [0, 900])).toBeUndefined();
  });
});

describe('forced alignment within word spans', () => {
  const topo = makeTopology(['a', 'b'], new Map([['a', 2], ['b', 2]]), 1);
  const K = 12;
  const T = K * SUBSAMPLING;
  /** Log-likelihoods that favour word a's states everywhere: left alone, a takes all but b's minimum. */
  const loglik = new Float32Array(K * topo.numPdfs).fill(-5);
  for (let k = 0; k < K; k++) {
    loglik[k * topo.numPdfs + 1] = -0.1;
    loglik[k * topo.numPdfs + 2] = -0.2;
  }
  const wordAt = (labels: Int16Array, k: number): string => {
    const pdf = labels[k * SUBSAMPLING] as number;
    return pdf === 0 ? 'sil' : pdf < 3 ? 'a' : 'b';
  };

  it('without spans, follows the likelihoods', () => {
    const labels = viterbiAlign(topo, ['a', 'a'], loglik, K, T);
    expect(labels).toBeDefined();
    const words = Array.from({ length: K }, (_, k) => wordAt(labels as Int16Array, k));
    expect(words.every((w) => w === 'a')).toBe(true);
  });

  it('with spans, keeps each word within 30 ms of where the synthesizer put it', () => {
    // a at frames 0-5 (0..1440 samples), b at 6-11, even though the net "prefers" a throughout
    const spans: [number, number][] = [[0, 1440], [1440, 2880]];
    const labels = viterbiAlign(topo, ['a', 'b'], loglik, K, T, spans) as Int16Array;
    const words = Array.from({ length: K }, (_, k) => wordAt(labels, k));
    expect(words.slice(0, 5).every((w) => w === 'a')).toBe(true);
    expect(words.slice(7).every((w) => w === 'b')).toBe(true);
    // a repeat: the second "a" must start near sample 1440, not be squeezed into the last frames
    const rep = viterbiAlign(topo, ['a', 'a'], loglik, K, T, spans) as Int16Array;
    const firstState2 = Array.from({ length: K }, (_, k) => rep[k * SUBSAMPLING]).findIndex((p, k) => k > 0 && p === 1 && rep[(k - 1) * SUBSAMPLING] === 2);
    expect(firstState2).toBeGreaterThanOrEqual(5);
    expect(firstState2).toBeLessThanOrEqual(7);
  });

  it('gives up (undefined) rather than break a span it cannot fit', () => {
    expect(viterbiAlign(topo, ['a', 'b'], loglik, K, T, [[0, 100], [100, 2880]])).toBeUndefined();
  });

  it('starts flat from known word starts instead of proportional durations', () => {
    const labels = flatStartLabels(topo, ['a', 'b'], [1, 1], T, 0, 2880, [0, 720]);
    // b starts at sample 720 = frame 8 (centre 740), not at the proportional midpoint (frame 17)
    expect(labels[7]).toBeLessThan(3);
    expect(labels[8]).toBeGreaterThanOrEqual(3);
  });
});
