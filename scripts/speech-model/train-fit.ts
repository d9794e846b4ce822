// How well a built model fits its OWN training speech: rebuilds the training corpus from the
// build's seed (the same synthesis the builder ran, before augmentation) and decodes its clean
// connected strings through libvosk, by voice group and speed. Held-out errors that recur here
// are a fit problem (the model cannot learn that speech: more data of the same kind will not help),
// errors that do not are a generalization problem.
// Run: npx tsx scripts/speech-model/train-fit.ts en|zh [MODEL_DIR] [--seed N] [--every K]

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { toInt16 } from '../../src/speech/audio/resample.ts';
import { setVoskLogLevel } from '../../src/speech/libvosk.ts';
import { buildTrainCorpus, GENERATED_VARIANT_PREFIX } from './corpus.ts';
import { accuracy, addScore, emptyScore, recognize, VoskModel, type Score } from './decode.ts';
import { LANGUAGES } from './languages.ts';
import { systemEspeakData } from './random-variants.ts';
import { Rng } from './rng.ts';

/**
 * Whether an eSpeak NG variant file gives the "robot" rhythm: every stressLength near zero (15 of
 * the 98 shipped variants write 0..7), so syllables last about stressAdd whatever the speed.
 */
export function isRobotRhythm(variantText: string): boolean {
  const m = /^stressLength((?:\s+-?\d+)+)\s*$/m.exec(variantText);
  if (!m?.[1]) return false;
  return m[1].trim().split(/\s+/).every((v) => Number(v) < 20);
}

/** The group of a training utterance's voice label (`voice+variant s.. p.. g..`, or Flite's `flite-voice x..`). */
export function fitGroup(voiceLabel: string, variantText: (variant: string) => string): 'flite' | 'generated' | 'robot rhythm' | 'shipped' {
  if (voiceLabel.startsWith('flite-')) return 'flite';
  const variant = (voiceLabel.split(' ')[0] ?? '').split('+')[1] ?? '';
  if (variant.startsWith(GENERATED_VARIANT_PREFIX)) return 'generated';
  return isRobotRhythm(variantText(variant)) ? 'robot rhythm' : 'shipped';
}

function main(): void {
  const id = process.argv[2];
  if (id !== 'en' && id !== 'zh') throw new Error('usage: train-fit.ts en|zh [MODEL_DIR] [--seed N] [--every K]');
  const opt = (name: string, dflt: number): number => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const lang = LANGUAGES[id];
  const dirArg = process.argv[3] !== undefined && !process.argv[3].startsWith('--') ? process.argv[3] : `models/${lang.modelName}`;
  const seed = opt('--seed', 7);
  const every = opt('--every', 2);
  setVoskLogLevel(-2);
  // the same forks as train-language.ts buildLanguage: Rng(seed).fork(lang).fork('corpus')
  const { utterances } = buildTrainCorpus(lang, new Rng(seed).fork(id).fork('corpus'), () => {});
  const variants = join(systemEspeakData(), 'voices', '!v');
  // read once per variant, not once per utterance
  const texts = new Map<string, string>();
  const variantText = (v: string): string => {
    let text = texts.get(v);
    if (text === undefined) {
      text = v !== '' && existsSync(join(variants, v)) ? readFileSync(join(variants, v), 'utf8') : '';
      texts.set(v, text);
    }
    return text;
  };
  const model = new VoskModel(resolve(dirArg));
  const byGroup = new Map<string, Score>();
  const bySpeed = new Map<string, Score>();
  const add = (m: Map<string, Score>, key: string, ref: string[], hyp: string[]): void => {
    const s = m.get(key) ?? emptyScore();
    addScore(s, ref, hyp);
    m.set(key, s);
  };
  try {
    let n = 0;
    for (const u of utterances) {
      if (u.kind !== 'connected' || n++ % every !== 0) continue;
      const hyp = recognize(model, toInt16(u.audio));
      const group = fitGroup(u.voice, variantText);
      add(byGroup, group, u.words, hyp);
      add(bySpeed, `${group} ${u.voice.split(' ')[1] ?? ''}`, u.words, hyp);
    }
  } finally {
    model.free();
  }
  const line = (k: string, s: Score): string => `${k}: word error ${(1 - accuracy(s)).toFixed(3)} (${s.errors} errors: ${s.substitutions} sub, ${s.deletions} del, ${s.insertions} ins / ${s.words} words)`;
  console.log(`training connected strings (clean, 1 in ${every}), seed ${seed}`);
  for (const [k, s] of [...byGroup].sort()) console.log(line(k, s));
  for (const [k, s] of [...bySpeed].sort()) console.log(`  ${line(k, s)}`);
}

if (process.argv[1]?.endsWith('train-fit.ts')) main();
