// Builds the demo Vosk models (models/demo-en-8k, models/demo-zh-8k) from eSpeak NG speech.
// Usage: npx tsx scripts/speech-model/build.ts [--lang en|zh|all] [--seed N] [--out models] [--quick] [--card-only]
// With --lang all (default) the two languages build in parallel child processes, one core each.

import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type LanguageSpec } from './languages.ts';
import { writeModelCard } from './model-card.ts';
import { buildLanguage, DEFAULT_PLAN, type LanguageBuildReport } from './train-language.ts';

export const DEFAULT_SEED = 7;

interface Args {
  lang: 'en' | 'zh' | 'all';
  seed: number;
  out: string;
  quick: boolean;
  /** Only rewrite MODEL_CARD.md from an existing build-report.json. */
  cardOnly: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { lang: 'all', seed: DEFAULT_SEED, out: 'models', quick: false, cardOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--lang' && (v === 'en' || v === 'zh' || v === 'all')) { args.lang = v; i++; }
    else if (a === '--seed' && v) { args.seed = Number(v); i++; }
    else if (a === '--out' && v) { args.out = v; i++; }
    else if (a === '--quick') args.quick = true;
    else if (a === '--card-only') args.cardOnly = true;
    else throw new Error(`unknown argument ${a}; usage: build.ts [--lang en|zh|all] [--seed N] [--out DIR] [--quick]`);
  }
  if (!Number.isInteger(args.seed)) throw new Error('--seed must be an integer');
  return args;
}

function quickSpec(spec: LanguageSpec): LanguageSpec {
  return {
    ...spec,
    train: { ...spec.train, variants: spec.train.variants.slice(0, 6) },
    dev: { ...spec.dev, variants: spec.dev.variants.slice(0, 3) },
    ...(spec.flite ? { flite: { ...spec.flite, passesPerVoice: 2 } } : {}),
  };
}

async function buildOne(args: Args, id: 'en' | 'zh'): Promise<LanguageBuildReport> {
  const spec = args.quick ? quickSpec(LANGUAGES[id]) : LANGUAGES[id];
  const dir = resolve(args.out, spec.modelName);
  mkdirSync(dir, { recursive: true });
  const plan = { ...DEFAULT_PLAN, ...spec.training, ...(args.quick ? { epochs: [0.5, 0.5, 0.5] } : {}) };
  const report = await buildLanguage(spec, args.seed, dir, (m) => console.log(m), plan);
  writeFileSync(join(dir, 'build-report.json'), JSON.stringify(report, null, 2) + '\n');
  writeModelCard(dir, spec, report);
  return report;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  if (args.cardOnly) {
    for (const id of args.lang === 'all' ? (['en', 'zh'] as const) : [args.lang]) {
      const dir = resolve(args.out, LANGUAGES[id].modelName);
      writeModelCard(dir, LANGUAGES[id], JSON.parse(readFileSync(join(dir, 'build-report.json'), 'utf8')) as LanguageBuildReport);
    }
    return;
  }
  if (args.lang !== 'all') {
    const r = await buildOne(args, args.lang);
    console.log(`[${args.lang}] done in ${r.seconds.total.toFixed(0)} s`);
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const passThrough = ['--seed', String(args.seed), '--out', args.out, ...(args.quick ? ['--quick'] : [])];
  const runChild = (lang: 'en' | 'zh'): Promise<void> =>
    new Promise((ok, fail) => {
      const child = fork(self, ['--lang', lang, ...passThrough], { stdio: 'inherit' });
      child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`${lang} build exited with ${code}`))));
      child.on('error', fail);
    });
  await Promise.all([runChild('en'), runChild('zh')]);
  for (const id of ['en', 'zh'] as const) {
    const r = JSON.parse(readFileSync(join(resolve(args.out, LANGUAGES[id].modelName), 'build-report.json'), 'utf8')) as LanguageBuildReport;
    const d = r.dev.accuracy;
    console.log(`${r.modelName}: dev clean connected ${d.clean.connected.toFixed(4)} isolated ${d.clean.isolated.toFixed(4)}; snr10 connected ${d.snr10.connected.toFixed(4)} isolated ${d.snr10.isolated.toFixed(4)}`);
  }
  console.log(`built both models in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
