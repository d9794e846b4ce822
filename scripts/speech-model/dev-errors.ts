// A larger dev set for comparing builder settings, and the errors a model makes on it. The
// builder's own dev set (tuning) is small, so single errors swing its figures; this one uses the
// same dev voices, variants, speeds and pitches (never the held-out test split) with another
// seed and about 5x the connected strings. Prints each clean connected error and a score line
// per condition. Figures quoted in languages.ts ("dev analysis set") come from this script.
// Run: npx tsx scripts/speech-model/dev-errors.ts en|zh [MODEL_DIR] [--connected N] [--isolated N] [--speeds A,B,..] [--quiet]
// (connected strings / isolated words per dev voice configuration, 6 / 8 unless given; more of
// them narrow the noise of a comparison at the cost of decode time. --speeds replaces the dev
// split's speeds: its fastest, 205 wpm, is slower than the held-out split's 235, and eSpeak's
// robot-rhythm variants speak like ordinary voices at ~300 wpm, so fast speech needs its own check.)

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
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
  const usage = 'usage: dev-errors.ts en|zh [MODEL_DIR] [--connected N] [--isolated N] [--speeds A,B,..] [--quiet]';
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { connected: { type: 'string', default: '6' }, isolated: { type: 'string', default: '8' }, speeds: { type: 'string' }, quiet: { type: 'boolean', default: false } },
  });
  const id = positionals[0];
  if (id !== 'en' && id !== 'zh') throw new Error(usage);
  const lang = LANGUAGES[id];
  const modelDir = resolve(positionals[1] ?? `models/${lang.modelName}`);
  const count = (name: string, text: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} takes a positive whole number; ${usage}`);
    return n;
  };
  const connectedPerConfig = count('connected', values.connected);
  const isolatedPerConfig = count('isolated', values.isolated);
  const quiet = values.quiet;
  const speeds = values.speeds === undefined ? lang.dev.speeds : values.speeds.split(',').map(Number);
  if (speeds.some((x) => !Number.isInteger(x) || x < 80 || x > 450)) throw new Error(`--speeds takes words per minute, 80..450, comma-separated; ${usage}`);
  setVoskLogLevel(-2);
  const clean = buildEvalSet(lang, { ...lang.dev, speeds }, new Rng(DEV_ANALYSIS_SEED).fork(id), { isolatedPerConfig, connectedPerConfig, minDigits: 4, maxDigits: 8 });
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
          if (!quiet && condition === 'clean' && kind === 'connected' && u.words.join(' ') !== hyp.join(' ')) console.log(`  ${u.voice} | ${u.words.join(' ')} => ${hyp.join(' ')}`);
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
