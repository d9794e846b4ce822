// Fast connected training speech (languages.ts fastConnected): extra strings at speeds beyond the
// voice splits', so the model hears syllables as short as eSpeak's robot-rhythm variants say them.

import { describe, expect, it } from 'vitest';
import { buildTrainCorpus, type Utterance } from '../../scripts/speech-model/corpus.ts';
import { LANGUAGES, type LanguageSpec } from '../../scripts/speech-model/languages.ts';
import { Rng } from '../../scripts/speech-model/rng.ts';
import { synthesizeItems } from '../../scripts/speech-model/synth.ts';

/** One shipped variant at one normal speed, two passes: small enough for a unit test. */
function tinySpec(fastConnected: LanguageSpec['fastConnected']): LanguageSpec {
  const zh = LANGUAGES.zh;
  const { fastConnected: _omit, ...rest } = zh;
  return {
    ...rest,
    train: { voices: ['cmn-latn-pinyin'], variants: ['f1'], speeds: [160], pitches: [50] },
    passesPerTrainVoice: 2,
    randomVariantsPerVoice: 0,
    connectedPerPass: 2,
    isolatedKeep: 0.2,
    ...(fastConnected ? { fastConnected } : {}),
  };
}

const speedOf = (u: Utterance): string => u.voice.split(' ')[1] ?? '';

describe('fast connected training speech', () => {
  it('adds connected strings at the fast speeds only, on top of the normal ones', () => {
    const { utterances, stats } = buildTrainCorpus(tinySpec({ share: 1, speeds: [310] }), new Rng(3), () => {});
    const connected = utterances.filter((u) => u.kind === 'connected');
    // every pass: its normal batch plus one fast batch
    expect(connected.filter((u) => speedOf(u) === 's160')).toHaveLength(2 * 2);
    expect(connected.filter((u) => speedOf(u) === 's310')).toHaveLength(2 * 2);
    expect(stats.connected).toBe(connected.length);
    // isolated words stay at the split's speeds
    for (const u of utterances.filter((x) => x.kind === 'isolated')) expect(speedOf(u)).toBe('s160');
    // Mandarin keeps eSpeak's word starts on the fast strings too
    for (const u of connected) expect(u.wordStarts, u.voice).toHaveLength(u.words.length);
  });

  it('adds nothing when the language has no fast speeds or a share of 0', () => {
    const without = buildTrainCorpus(tinySpec(undefined), new Rng(3), () => {});
    const none = buildTrainCorpus(tinySpec({ share: 0, speeds: [310] }), new Rng(3), () => {});
    expect(without.utterances.every((u) => speedOf(u) === 's160')).toBe(true);
    // share 0 draws one number per pass, so only the counts (not the audio) can be compared
    expect(none.utterances.filter((u) => u.kind === 'connected')).toHaveLength(without.utterances.filter((u) => u.kind === 'connected').length);
  });

  it('is faster speech: the same string lasts clearly shorter at the fast speed', () => {
    const text = ['ba1 wu3 liu4 ling2 ba1'];
    const normal = synthesizeItems({ voice: 'cmn-latn-pinyin', variant: 'm3', speed: 250, pitch: 50, wordGap: 0 }, text)?.[0];
    const fast = synthesizeItems({ voice: 'cmn-latn-pinyin', variant: 'm3', speed: 340, pitch: 50, wordGap: 0 }, text)?.[0];
    expect(normal && fast).toBeTruthy();
    // about 150 ms per syllable at 250 wpm, about 100 ms at 340 wpm (as the robot-rhythm variants at any speed)
    expect((fast as Float32Array).length).toBeLessThan((normal as Float32Array).length * 0.85);
  });
});
