// How much the demo models' held-out accuracy depends on the build seed: builds each language's
// recipe with other seeds (two builds at a time, one per core) and scores every build with
// bench/speech-accuracy.ts, beside the shipped model's committed figures. One shipped build meeting
// the bar says little when builds that differ only in their seed land a point or two apart; this
// says where the recipe lands.
//
// Run: npm run bench:speech-seeds -- [--lang en|zh|all] [--seeds 8,9,10] [--work DIR] [--no-write]
// (about 15 minutes per two builds on 2 cores). --work keeps the builds in DIR/<lang>/seed<N>; a
// seed already built there is scored again, not rebuilt (empty DIR after changing a recipe). Writes
// bench/results/speech-seeds.json and the "Speech accuracy across build seeds" section of
// docs/benchmarks.md (not with --no-write).

import { fork } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { accuracy } from '../scripts/speech-model/decode.ts';
import { LANGUAGES } from '../scripts/speech-model/languages.ts';
import type { LanguageBuildReport } from '../scripts/speech-model/train-language.ts';
import { machine, repoRoot, writeDocsSection, writeResults } from './report.ts';
import type { Table } from './speech-accuracy.ts';

/** The bar for held-out connected digits (as in speech-accuracy.ts). */
const BAR = { clean: 0.95, snr10: 0.9 };

type LanguageId = 'en' | 'zh';

export interface SeedRow {
  seed: number;
  shipped: boolean;
  cleanConnected: number;
  snr10Connected: number;
  cleanIsolated: number;
  snr10Isolated: number;
  /** Build time of that seed (two builds at a time for the others; the shipped one as its report says). */
  buildSeconds: number;
  meetsBar: boolean;
}

function rowOf(seed: number, shipped: boolean, table: Table, buildSeconds: number): SeedRow {
  const cleanConnected = accuracy(table.clean.connected), snr10Connected = accuracy(table.snr10.connected);
  return {
    seed, shipped, cleanConnected, snr10Connected,
    cleanIsolated: accuracy(table.clean.isolated), snr10Isolated: accuracy(table.snr10.isolated),
    buildSeconds: Math.round(buildSeconds),
    meetsBar: cleanConnected >= BAR.clean && snr10Connected >= BAR.snr10,
  };
}

/** Runs a TypeScript script in a child process (tsx's loader is inherited), its output into `logPath`. */
function runScript(script: string, args: string[], logPath: string): Promise<void> {
  return new Promise((ok, fail) => {
    const log = createWriteStream(logPath);
    const child = fork(join(repoRoot, script), args, { silent: true, cwd: repoRoot });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`${script} ${args.join(' ')} exited with ${code}; see ${logPath}`))));
  });
}

/** Runs `jobs` at most `width` at a time. */
async function pool(jobs: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, async () => {
    while (next < jobs.length) await (jobs[next++] as () => Promise<void>)();
  }));
}

function builtSeed(dir: string): number | undefined {
  const report = join(dir, 'build-report.json');
  if (!existsSync(join(dir, 'am', 'final.mdl')) || !existsSync(report)) return undefined;
  return (JSON.parse(readFileSync(report, 'utf8')) as LanguageBuildReport).seed;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      lang: { type: 'string', default: 'all' },
      seeds: { type: 'string', default: '8,9,10' },
      work: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
    },
  });
  if (!['en', 'zh', 'all'].includes(values.lang)) throw new Error('--lang must be en, zh or all');
  const langs: LanguageId[] = values.lang === 'all' ? ['en', 'zh'] : [values.lang as LanguageId];
  const seedTexts = values.seeds.split(',').map((s) => s.trim());
  if (seedTexts.some((s) => !/^\d+$/.test(s))) throw new Error('--seeds must be a comma-separated list of non-negative integers');
  const seeds = [...new Set(seedTexts.map(Number))];
  const work = resolve(values.work ?? mkdtempSync(join(tmpdir(), 'speech-seeds-')));
  console.log(`builds in ${work}`);

  const shipped = JSON.parse(readFileSync(join(repoRoot, 'bench', 'results', 'speech-accuracy.json'), 'utf8')) as { measured: string; models: Record<string, { table: Table }> };
  const dirOf = (lang: LanguageId, seed: number): string => join(work, lang, `seed${seed}`);
  const shippedReports = new Map(langs.map((lang) => [lang, JSON.parse(readFileSync(join(repoRoot, 'models', LANGUAGES[lang].modelName, 'build-report.json'), 'utf8')) as LanguageBuildReport]));
  const shippedReport = (lang: LanguageId): LanguageBuildReport => shippedReports.get(lang) as LanguageBuildReport;
  const builds: (() => Promise<void>)[] = [];
  for (const lang of langs) {
    // the shipped model's seed has its figures already (its row comes from bench:speech)
    for (const seed of seeds.filter((s) => s !== shippedReport(lang).seed)) {
      const out = dirOf(lang, seed);
      if (builtSeed(join(out, LANGUAGES[lang].modelName)) === seed) {
        console.log(`[${lang}] seed ${seed}: already built in ${out}`);
        continue;
      }
      mkdirSync(out, { recursive: true });
      builds.push(async () => {
        console.log(`[${lang}] seed ${seed}: building`);
        await runScript('scripts/speech-model/build.ts', ['--lang', lang, '--seed', String(seed), '--out', out], join(out, 'build.log'));
      });
    }
  }
  // Two at a time: the shipped models are built that way (`build.ts` runs both languages at
  // once), so build times stay comparable with the 15-minute budget.
  await pool(builds, 2);

  const results: Record<string, { rows: SeedRow[]; mean: { cleanConnected: number; snr10Connected: number }; meetingBar: number }> = {};
  for (const lang of langs) {
    const name = LANGUAGES[lang].modelName;
    const shippedBuild = shippedReport(lang);
    const shippedTable = shipped.models[name]?.table;
    if (!shippedTable) throw new Error(`bench/results/speech-accuracy.json has no ${name}; run npm run bench:speech first`);
    const rows: SeedRow[] = [rowOf(shippedBuild.seed, true, shippedTable, shippedBuild.seconds.total)];
    await pool(seeds.filter((s) => s !== shippedBuild.seed).map((seed) => async () => {
      const out = dirOf(lang, seed);
      console.log(`[${lang}] seed ${seed}: scoring`);
      await runScript('bench/speech-accuracy.ts', ['--lang', lang, '--models', out, '--no-write', '--json', join(out, 'accuracy.json')], join(out, 'accuracy.log'));
      const scored = JSON.parse(readFileSync(join(out, 'accuracy.json'), 'utf8')) as { models: Record<string, { table: Table }> };
      const report = JSON.parse(readFileSync(join(out, name, 'build-report.json'), 'utf8')) as LanguageBuildReport;
      const table = scored.models[name]?.table;
      if (!table) throw new Error(`${out}/accuracy.json has no ${name}`);
      rows.push(rowOf(seed, false, table, report.seconds.total));
    }), 2);
    rows.sort((a, b) => a.seed - b.seed);
    const mean = (k: 'cleanConnected' | 'snr10Connected'): number => rows.reduce((s, r) => s + r[k], 0) / rows.length;
    results[name] = { rows, mean: { cleanConnected: mean('cleanConnected'), snr10Connected: mean('snr10Connected') }, meetingBar: rows.filter((r) => r.meetsBar).length };
    for (const r of rows) console.log(`${name} seed ${r.seed}${r.shipped ? ' (shipped)' : ''}: clean connected ${r.cleanConnected.toFixed(4)}, snr10 connected ${r.snr10Connected.toFixed(4)}${r.meetsBar ? '' : ' (below the bar)'}`);
  }
  if (values['no-write']) return;

  const measured = new Date().toISOString().slice(0, 10);
  writeResults('speech-seeds', { measured, machine: machine(), bar: BAR, shippedFiguresMeasured: shipped.measured, models: results });
  const f = (x: number): string => x.toFixed(4);
  const sections = Object.entries(results).map(([name, r]) => [
    `### ${name}`,
    '',
    '| build seed | clean connected | snr10 connected | clean isolated | snr10 isolated | build time | both bars |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...r.rows.map((x) => `| ${x.seed}${x.shipped ? ' (shipped)' : ''} | ${f(x.cleanConnected)} | ${f(x.snr10Connected)} | ${f(x.cleanIsolated)} | ${f(x.snr10Isolated)} | ${x.buildSeconds} s | ${x.meetsBar ? 'yes' : 'no'} |`),
    `| mean of ${r.rows.length} | ${f(r.mean.cleanConnected)} | ${f(r.mean.snr10Connected)} | | | | ${r.meetingBar} of ${r.rows.length} |`,
  ].join('\n'));
  writeDocsSection('speech-seeds', `## Speech accuracy across build seeds

The shipped demo models are one build each (seed 7, the builder's default since its first
version). This rebuilds each recipe with other seeds and scores every build on the same held-out
sets as the section above: how far the shipped figures are the recipe's and how far that one
build's luck. A seed changes the generated voice variants, the random speeds and pitches, the
digit strings, the augmentation and the initial weights.

Command: \`npm run bench:speech-seeds -- --seeds ${seeds.join(',')}\` (two builds at a time on
${machine().cpus} cores; build times are of such pairs, so they vary with what shares the
machine). The shipped rows are the committed figures of \`npm run bench:speech\` (measured
${shipped.measured}). Raw figures: \`bench/results/speech-seeds.json\`. Measured ${measured},
Node ${process.version}. Bar: ≥ ${BAR.clean.toFixed(2)} clean held-out connected, ≥ ${BAR.snr10.toFixed(2)} at 10 dB.

${sections.join('\n\n')}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
