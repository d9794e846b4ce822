// Speech accuracy benchmark: word accuracy of the demo Vosk models decoded THROUGH LIBVOSK on
// held-out synthesized speech (eSpeak NG voices, variants, speeds and pitches never used in
// training or dev tuning), clean and with white+pink noise at 10 dB SNR, isolated words and
// connected 4–8 digit strings; for English also a held-out Flite voice (another synthesizer,
// built from a real speaker's recordings). Run: npx tsx bench/speech-accuracy.ts [--models DIR]
// [--lang en|zh] [--no-write] [--json FILE]. Writes bench/results/speech-accuracy.json, the "Speech
// accuracy" section of docs/benchmarks.md and the accuracy block of each model's MODEL_CARD.md (not
// with --lang or --no-write: a partial run must not overwrite the full record). --json FILE writes
// this run's figures to FILE whatever else it writes (bench/speech-seeds.ts reads them).

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toInt16 } from '../src/speech/audio/resample.ts';
import { setVoskLogLevel, VoskModel } from '../src/speech/libvosk.ts';
import { addNoise } from '../scripts/speech-model/augment.ts';
import { buildEvalSet, buildFliteEvalSet, type Utterance } from '../scripts/speech-model/corpus.ts';
import { accuracy, addScore, emptyScore, recognize, type Score } from '../scripts/speech-model/decode.ts';
import { LANGUAGES, type LanguageSpec } from '../scripts/speech-model/languages.ts';
import { updateModelCardAccuracy } from '../scripts/speech-model/model-card.ts';
import { Rng } from '../scripts/speech-model/rng.ts';
import { benchNoise } from '../scripts/speech-model/train-language.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEST_SEED = 4242;
const CONDITIONS = ['clean', 'snr10'] as const;
const KINDS = ['connected', 'isolated'] as const;
type Condition = (typeof CONDITIONS)[number];
type Kind = (typeof KINDS)[number];
/** Scores by condition and utterance kind (also the shape bench/speech-seeds.ts reads from --json). */
export type Table = Record<Condition, Record<Kind, Score>>;

function emptyTable(): Table {
  return { clean: { connected: emptyScore(), isolated: emptyScore() }, snr10: { connected: emptyScore(), isolated: emptyScore() } };
}

/** The held-out test set for a language (deterministic). */
export function heldOutTestSet(lang: LanguageSpec): Utterance[] {
  return buildEvalSet(lang, lang.test, new Rng(TEST_SEED).fork(lang.id), { connectedPerConfig: lang.id === 'zh' ? 8 : 4, minDigits: 4, maxDigits: 8 });
}

function merge(into: Score, s: Score): void {
  into.errors += s.errors;
  into.substitutions += s.substitutions;
  into.deletions += s.deletions;
  into.insertions += s.insertions;
  into.words += s.words;
  into.utterances += s.utterances;
}

function lines(t: Table): string[] {
  const out: string[] = [];
  for (const c of CONDITIONS) for (const k of KINDS) out.push(`${c} ${k} accuracy: ${accuracy(t[c][k]).toFixed(4)}`);
  // print order as specified: clean connected, snr10 connected, clean isolated, snr10 isolated
  return [out[0], out[2], out[1], out[3]].filter((x): x is string => x !== undefined);
}

interface Evaluation {
  table: Table;
  audioSeconds: number;
  decodeSeconds: number;
  /** Clean errors per held-out voice (+variant): where the model is weakest (for whoever improves it). */
  byVoice: Map<string, Score>;
}

/** Decodes `test` clean and with white+pink noise at 10 dB (the noise is seeded by `noiseKey`). */
function evaluate(model: VoskModel, test: Utterance[], noiseKey: string): Evaluation {
  const noiseRng = new Rng(TEST_SEED).fork(noiseKey);
  const noisy = test.map((u) => ({ ...u, audio: addNoise(u.audio, benchNoise(u.audio.length, noiseRng), 10, u.speechFrom, u.speechTo) }));
  const table = emptyTable();
  const byVoice = new Map<string, Score>();
  let audioSeconds = 0;
  const t0 = performance.now();
  for (const [cond, set] of [['clean', test], ['snr10', noisy]] as const) {
    for (const u of set) {
      const hyp = recognize(model, toInt16(u.audio));
      addScore(table[cond][u.kind], u.words, hyp);
      if (cond === 'clean') {
        const key = u.voice.split(' ')[0] ?? u.voice;
        const v = byVoice.get(key) ?? emptyScore();
        addScore(v, u.words, hyp);
        byVoice.set(key, v);
      }
      audioSeconds += u.audio.length / 8000;
    }
  }
  return { table, audioSeconds, decodeSeconds: (performance.now() - t0) / 1000, byVoice };
}

function main(): void {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const modelsDir = resolve(repoRoot, arg('--models') ?? 'models');
  const only = arg('--lang');
  const write = only === undefined && !process.argv.includes('--no-write');
  setVoskLogLevel(-2);
  const results: Record<string, LanguageResult> = {};
  const combined = emptyTable();
  for (const id of ['en', 'zh'] as const) {
    if (only !== undefined && only !== id) continue;
    const lang = LANGUAGES[id];
    const dir = join(modelsDir, lang.modelName);
    if (!existsSync(join(dir, 'am', 'final.mdl'))) throw new Error(`${dir} is not built; run npm run build:speech-models`);
    const test = heldOutTestSet(lang);
    const model = new VoskModel(dir);
    const { table, audioSeconds, decodeSeconds, byVoice } = evaluate(model, test, `${id}-noise`);
    const weakestVoices = [...byVoice]
      .sort((a, b) => accuracy(a[1]) - accuracy(b[1]))
      .slice(0, 10)
      .map(([voice, sc]) => ({ voice, accuracy: Number(accuracy(sc).toFixed(4)), errors: sc.errors, words: sc.words }));
    console.log(lang.modelName);
    for (const l of lines(table)) console.log(l);
    let flite: LanguageResult['flite'];
    if (lang.flite) {
      const fliteSet = buildFliteEvalSet(lang, new Rng(TEST_SEED).fork(`${id}-flite`), { connectedPerConfig: 24, minDigits: 4, maxDigits: 8 });
      const ev = evaluate(model, fliteSet, `${id}-flite-noise`);
      for (const l of lines(ev.table)) console.log(`flite ${l}`);
      flite = { table: ev.table, utterances: fliteSet.length * 2, voices: lang.flite.test, stretches: lang.flite.stretches.test };
    }
    model.free();
    for (const c of CONDITIONS) for (const k of KINDS) merge(combined[c][k], table[c][k]);
    results[lang.modelName] = {
      table, utterances: test.length * 2, audioSeconds, decodeSeconds, weakestVoices,
      testVoices: lang.test.voices, testVariants: lang.test.variants.length, testSpeeds: lang.test.speeds, testPitches: lang.test.pitches,
      ...(flite ? { flite } : {}),
    };
    if (write) updateModelCardAccuracy(dir, cardBlock(table, test.length, decodeSeconds / audioSeconds, flite));
  }
  console.log('combined');
  for (const l of lines(combined)) console.log(l);
  const jsonOut = arg('--json');
  if (jsonOut !== undefined) writeFileSync(resolve(jsonOut), JSON.stringify({ seed: TEST_SEED, models: results }, null, 2) + '\n');
  if (!write) return;

  const measured = new Date().toISOString().slice(0, 10);
  const json = { measured, node: process.version, cpus: cpus().length, loadavg1: loadavg()[0], seed: TEST_SEED, models: results, combined };
  mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench', 'results', 'speech-accuracy.json'), JSON.stringify(json, null, 2) + '\n');
  writeDocsSection(docsSection(results, combined, measured));
}

interface LanguageResult {
  table: Table;
  utterances: number;
  audioSeconds: number;
  decodeSeconds: number;
  weakestVoices: { voice: string; accuracy: number; errors: number; words: number }[];
  testVoices: string[];
  testVariants: number;
  testSpeeds: number[];
  testPitches: number[];
  /** English: the held-out Flite voice(s). */
  flite?: { table: Table; utterances: number; voices: string[]; stretches: number[] };
}

function f(s: Score): string {
  return `${accuracy(s).toFixed(4)} (${s.errors} errors: ${s.substitutions} sub, ${s.deletions} del, ${s.insertions} ins / ${s.words} words)`;
}

function cardBlock(t: Table, n: number, rtf: number, flite?: LanguageResult['flite']): string {
  return [
    `| condition | connected digits (4–8) | isolated words |`,
    `| --- | --- | --- |`,
    `| clean | ${f(t.clean.connected)} | ${f(t.clean.isolated)} |`,
    `| 10 dB SNR (white+pink) | ${f(t.snr10.connected)} | ${f(t.snr10.isolated)} |`,
    ...(flite
      ? [
          `| Flite ${flite.voices.join(', ')} (never trained), clean | ${f(flite.table.clean.connected)} | ${f(flite.table.clean.isolated)} |`,
          `| Flite ${flite.voices.join(', ')} (never trained), 10 dB | ${f(flite.table.snr10.connected)} | ${f(flite.table.snr10.isolated)} |`,
        ]
      : []),
    '',
    `${n} held-out eSpeak NG utterances per condition${flite ? `, ${flite.utterances / 2} Flite` : ''}; libvosk real-time factor ${rtf.toFixed(4)} (one core).`,
  ].join('\n');
}

const START = '<!-- speech-accuracy:start -->';
const END = '<!-- speech-accuracy:end -->';

function docsSection(results: Record<string, LanguageResult>, combined: Table, measured: string): string {
  const rows: string[] = [];
  for (const [name, r] of Object.entries(results)) {
    rows.push(`| ${name} | ${accuracy(r.table.clean.connected).toFixed(4)} | ${accuracy(r.table.snr10.connected).toFixed(4)} | ${accuracy(r.table.clean.isolated).toFixed(4)} | ${accuracy(r.table.snr10.isolated).toFixed(4)} | ${(r.decodeSeconds / r.audioSeconds).toFixed(4)} |`);
  }
  for (const [name, r] of Object.entries(results)) {
    if (!r.flite) continue;
    const t = r.flite.table;
    rows.push(`| ${name}, Flite \`${r.flite.voices.join(', ')}\` (another synthesizer, never trained) | ${accuracy(t.clean.connected).toFixed(4)} | ${accuracy(t.snr10.connected).toFixed(4)} | ${accuracy(t.clean.isolated).toFixed(4)} | ${accuracy(t.snr10.isolated).toFixed(4)} | |`);
  }
  rows.push(`| combined (eSpeak NG sets) | ${accuracy(combined.clean.connected).toFixed(4)} | ${accuracy(combined.snr10.connected).toFixed(4)} | ${accuracy(combined.clean.isolated).toFixed(4)} | ${accuracy(combined.snr10.isolated).toFixed(4)} | |`);
  const sets = Object.entries(results).map(([name, r]) => `- ${name}: voices ${r.testVoices.map((v) => `\`${v}\``).join(', ')}, ${r.testVariants} held-out variants, speeds ${r.testSpeeds.join('/')} wpm, pitches ${r.testPitches.join('/')}; ${r.utterances / 2} utterances per condition.${r.flite ? ` Flite voice ${r.flite.voices.map((v) => `\`${v}\``).join(', ')} at duration stretches ${r.flite.stretches.join('/')}; ${r.flite.utterances / 2} utterances per condition.` : ''}`);
  return `${START}
## Speech accuracy

Word accuracy (1 − (S+D+I)/N) of the self-built demo Vosk models, decoded through libvosk
(the runtime path: koffi → libvosk, 100 ms chunks, \`max_alternatives\` 1) on held-out eSpeak NG
speech whose voices, variants, speeds and pitches were never used in training or in dev
tuning. Conditions: clean, and white+pink noise at 10 dB SNR (measured over the speech);
isolated vocabulary words and connected 4–8 digit strings. For English also a second
synthesizer: a Flite voice built from a real speaker's recordings that training never used (the
model trains on other Flite voices beside eSpeak NG) — the nearer proxy for real callers.

Command: \`npm run bench:speech\` (= \`npx tsx bench/speech-accuracy.ts\`; models from
\`npm run build:speech-models\`). Raw figures: \`bench/results/speech-accuracy.json\`.
Measured ${measured}, Node ${process.version}, ${cpus().length} cores (shared machine).

| model | clean connected | snr10 connected | clean isolated | snr10 isolated | real-time factor |
| --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

Bar: ≥ 0.95 clean held-out connected, ≥ 0.90 at 10 dB.

Held-out sets:
${sets.join('\n')}

Weakest held-out voices (clean, all utterances; the full list is in the JSON):
${Object.entries(results).map(([name, r]) => `- ${name}: ${r.weakestVoices.slice(0, 5).map((v) => `\`${v.voice}\` ${v.accuracy.toFixed(2)}`).join(', ')}`).join('\n')}

These are synthetic voices; real callers will do clearly worse. Install a real Vosk model
for production.
${END}`;
}

function writeDocsSection(section: string): void {
  const path = join(repoRoot, 'docs', 'benchmarks.md');
  const old = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const a = old.indexOf(START), b = old.indexOf(END);
  const next = a >= 0 && b > a ? old.slice(0, a) + section + old.slice(b + END.length) : `${old.replace(/\s*$/, '')}\n\n${section}\n`;
  writeFileSync(path, next);
}

main();
