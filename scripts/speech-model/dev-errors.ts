// A larger dev set for comparing builder settings, and the errors a model makes on it. The
// builder's own dev set (tuning) is small, so single errors swing its figures; this one uses the
// same dev voices, variants, speeds and pitches (never the held-out test split) with another
// seed and about 5x the connected strings. Prints each clean connected error and a score line
// per condition. Figures quoted in languages.ts ("dev analysis set") come from this script.
// Run: npx tsx scripts/speech-model/dev-errors.ts en|zh [MODEL_DIR]

import { resolve } from 'node:path';
import { toInt16 } from '../../src/speech/audio/resample.ts';
import { setVoskLogLevel } from '../../src/speech/libvosk.ts';
import { addNoise } from './augment.ts';
import { buildEvalSet } from './corpus.ts';
import { accuracy, addScore, emptyScore, recognize, VoskModel } from './decode.ts';
import { LANGUAGES } from './languages.ts';
import { Rng } from './rng.ts';
import { benchNoise } from './train-language.ts';

const DEV_ANALYSIS_SEED = 999;
const NOISE_SEED = 5;

function main(): void {
  const id = process.argv[2];
  if (id !== 'en' && id !== 'zh') throw new Error('usage: dev-errors.ts en|zh [MODEL_DIR]');
  const lang = LANGUAGES[id];
  const modelDir = resolve(process.argv[3] ?? `models/${lang.modelName}`);
  setVoskLogLevel(-2);
  const clean = buildEvalSet(lang, lang.dev, new Rng(DEV_ANALYSIS_SEED).fork(id), { isolatedPerConfig: 8, connectedPerConfig: 6, minDigits: 4, maxDigits: 8 });
  const noiseRng = new Rng(NOISE_SEED);
  const noisy = clean.map((u) => ({ ...u, audio: addNoise(u.audio, benchNoise(u.audio.length, noiseRng), 10, u.speechFrom, u.speechTo) }));
  const model = new VoskModel(modelDir);
  let total = 0;
  try {
    for (const [condition, set] of [['clean', clean], ['snr10', noisy]] as const) {
      for (const kind of ['connected', 'isolated'] as const) {
        const score = emptyScore();
        for (const u of set.filter((x) => x.kind === kind)) {
          const hyp = recognize(model, toInt16(u.audio));
          addScore(score, u.words, hyp);
          if (condition === 'clean' && kind === 'connected' && u.words.join(' ') !== hyp.join(' ')) console.log(`  ${u.voice} | ${u.words.join(' ')} => ${hyp.join(' ')}`);
        }
        total += score.errors;
        console.log(`${condition} ${kind} accuracy: ${accuracy(score).toFixed(4)} (${score.errors} errors: ${score.substitutions} sub, ${score.deletions} del, ${score.insertions} ins / ${score.words} words)`);
      }
    }
  } finally {
    model.free();
  }
  console.log(`errors in all: ${total}`);
}

main();
