// NLU benchmark on BANKING77: intent accuracy and macro-F1 on the official test split,
// training time, classification latency, and out-of-scope detection with 10 intents held out
// of training entirely. Run: npx tsx bench/nlu.ts (dataset dir: env BANKING77_DIR, default
// ../shared/datasets/banking77 relative to the repo root). Writes bench/results/nlu.json and
// the NLU section of docs/benchmarks.md.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { NluService, type TrainedModel, type TrainingCorpus } from '../src/nlu/index.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const datasetDir = resolve(repoRoot, process.env.BANKING77_DIR ?? '../shared/datasets/banking77');
const LATENCY_RUNS = 7;
const HELD_OUT_INTENTS = 10;
const SPLIT_SEED = 77;

interface Example {
  text: string;
  label: string;
}

function loadSplit(file: string): Example[] {
  const rows: unknown = parse(readFileSync(join(datasetDir, file)), { columns: true, skip_empty_lines: true });
  if (!Array.isArray(rows)) throw new Error(`${file}: not a CSV table`);
  return rows.map((row: { text?: unknown; category?: unknown }, i) => {
    if (typeof row.text !== 'string' || typeof row.category !== 'string') throw new Error(`${file}: row ${i + 2} lacks text/category`);
    return { text: row.text, label: row.category };
  });
}

function corpusOf(examples: readonly Example[]): TrainingCorpus {
  const byIntent = new Map<string, string[]>();
  for (const { text, label } of examples) byIntent.set(label, [...(byIntent.get(label) ?? []), text]);
  return { intents: [...byIntent].map(([name, en]) => ({ name, examples: { en } })) };
}

/**
 * Trains the way the appliance does: in NluService's worker thread, so the training garbage
 * stays out of the heap whose latency is measured next. Seconds are wall time including the
 * worker start, the model transfer and its load.
 */
async function trainLikeTheAppliance(corpus: TrainingCorpus, scratch: string, name: string): Promise<{ model: TrainedModel; seconds: number }> {
  const service = new NluService({ modelPath: join(scratch, `${name}.json`) });
  const start = performance.now();
  await service.retrain(corpus);
  const seconds = (performance.now() - start) / 1000;
  const model = service.currentModel!;
  await service.close();
  return { model, seconds };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function macroF1(gold: readonly string[], predicted: readonly (string | null)[]): number {
  const labels = [...new Set(gold)];
  const f1s = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      const p = predicted[i];
      if (p === label && g === label) tp++;
      else if (p === label) fp++;
      else if (g === label) fn++;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return f1s.reduce((a, b) => a + b, 0) / f1s.length;
}

/** Probability that a random in-scope query gets higher confidence than a random
 * out-of-scope one (threshold-free quality of the out-of-scope signal). */
function auroc(inScope: readonly number[], outOfScope: readonly number[]): number {
  const all = [...inScope.map((s) => ({ s, pos: true })), ...outOfScope.map((s) => ({ s, pos: false }))].sort((a, b) => a.s - b.s);
  let rankSum = 0;
  all.forEach((x, i) => {
    if (x.pos) rankSum += i + 1;
  });
  const n1 = inScope.length;
  return (rankSum - (n1 * (n1 + 1)) / 2) / (n1 * outOfScope.length);
}

function latencyMs(model: TrainedModel, texts: readonly string[]): { p50: number; p99: number; perRunP99: number[]; medianRunP99: number } {
  const all: number[] = [];
  const perRunP99: number[] = [];
  for (let run = 0; run < LATENCY_RUNS; run++) {
    const times = texts.map((text) => {
      const start = performance.now();
      model.understand(text);
      return performance.now() - start;
    });
    perRunP99.push(percentile([...times].sort((a, b) => a - b), 0.99));
    all.push(...times);
  }
  all.sort((a, b) => a - b);
  return { p50: percentile(all, 0.5), p99: percentile(all, 0.99), perRunP99, medianRunP99: percentile([...perRunP99].sort((a, b) => a - b), 0.5) };
}

function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const round = (x: number, digits = 4): number => Number(x.toFixed(digits));

async function main(): Promise<void> {
  if (!existsSync(datasetDir)) throw new Error(`BANKING77 not found at ${datasetDir} (set BANKING77_DIR)`);
  const train = loadSplit('train.csv');
  const test = loadSplit('test.csv');
  console.log(`BANKING77: ${train.length} train, ${test.length} test, ${new Set(train.map((e) => e.label)).size} intents (${datasetDir})`);

  // 1. All 77 intents.
  const scratch = mkdtempSync(join(tmpdir(), 'bench-nlu-'));
  const full = await trainLikeTheAppliance(corpusOf(train), scratch, 'full');
  const model = full.model;
  const answers = test.map((e) => model.understand(e.text));
  const top1 = answers.map((a) => a.ranking[0]?.intent ?? null);
  const accuracy = top1.filter((p, i) => p === test[i]!.label).length / test.length;
  const f1 = macroF1(test.map((e) => e.label), top1);
  const loadAverage = loadavg()[0]!;
  const latency = latencyMs(model, test.map((e) => e.text));
  const modelBytes = Buffer.byteLength(JSON.stringify(model.toJSON()));

  // 2. Out of scope: 10 intents never seen in training; their test queries must be flagged.
  const categories = [...new Set(train.map((e) => e.label))].sort();
  const heldOut = new Set(seededShuffle(categories, SPLIT_SEED).slice(0, HELD_OUT_INTENTS));
  const oosModel = (await trainLikeTheAppliance(corpusOf(train.filter((e) => !heldOut.has(e.label))), scratch, 'oos')).model;
  rmSync(scratch, { recursive: true, force: true });
  const threshold = oosModel.options.outOfScopeThreshold;
  const oosAnswers = test.map((e) => ({ gold: e.label, oos: heldOut.has(e.label), u: oosModel.understand(e.text) }));
  const inScope = oosAnswers.filter((a) => !a.oos);
  const outOfScope = oosAnswers.filter((a) => a.oos);
  const at = (t: number): { threshold: number; oosRecall: number; inScopeAccuracy: number; inScopeFlagged: number } => ({
    threshold: t,
    oosRecall: round(outOfScope.filter((a) => a.u.confidence < t).length / outOfScope.length),
    inScopeAccuracy: round(inScope.filter((a) => a.u.confidence >= t && a.u.ranking[0]?.intent === a.gold).length / inScope.length),
    inScopeFlagged: round(inScope.filter((a) => a.u.confidence < t).length / inScope.length),
  });
  const chosen = {
    threshold,
    oosRecall: round(outOfScope.filter((a) => a.u.outOfScope).length / outOfScope.length),
    inScopeAccuracy: round(inScope.filter((a) => !a.u.outOfScope && a.u.intent === a.gold).length / inScope.length),
    inScopeFlagged: round(inScope.filter((a) => a.u.outOfScope).length / inScope.length),
  };
  const sweep = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8].map(at);
  const oosAuroc = auroc(inScope.map((a) => a.u.confidence), outOfScope.map((a) => a.u.confidence));

  console.log(`accuracy: ${accuracy.toFixed(4)}`);
  console.log(`macro-F1: ${f1.toFixed(4)}`);
  console.log(`training seconds: ${full.seconds.toFixed(1)}`);
  console.log(`classify latency ms: p50 ${latency.p50.toFixed(3)} p99 ${latency.p99.toFixed(3)} (${LATENCY_RUNS} runs × ${test.length} queries; per-run p99 ${latency.perRunP99.map((x) => x.toFixed(3)).join(' ')}, median ${latency.medianRunP99.toFixed(3)})`);
  const calibration = model.describe()[0]?.calibration;
  console.log(`model: ${(modelBytes / 1e6).toFixed(1)} MB JSON, version ${model.version}, calibration T=${calibration?.temperature.toFixed(3)} none-margin=${calibration?.noneMargin.toFixed(3)}`);
  console.log(`out-of-scope (${HELD_OUT_INTENTS} intents held out: ${[...heldOut].join(', ')})`);
  console.log(`  threshold ${threshold}: OOS recall ${chosen.oosRecall.toFixed(4)}, in-scope accuracy ${chosen.inScopeAccuracy.toFixed(4)}, in-scope flagged ${chosen.inScopeFlagged.toFixed(4)}`);
  console.log(`  AUROC (confidence, in-scope vs OOS): ${oosAuroc.toFixed(4)}`);
  for (const s of sweep) {
    console.log(`  at ${s.threshold.toFixed(1)}: OOS recall ${s.oosRecall.toFixed(4)}, in-scope accuracy ${s.inScopeAccuracy.toFixed(4)}`);
  }

  const results = {
    dataset: 'BANKING77',
    command: 'npx tsx bench/nlu.ts',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version, loadAverageAtLatencyRun: round(loadAverage, 2) },
    train: train.length,
    test: test.length,
    accuracy: round(accuracy),
    macroF1: round(f1),
    trainingSeconds: round(full.seconds, 2),
    latencyMs: { p50: round(latency.p50), p99: round(latency.p99), perRunP99: latency.perRunP99.map((x) => round(x)), medianRunP99: round(latency.medianRunP99), runs: LATENCY_RUNS },
    modelBytes,
    modelVersion: model.version,
    calibration,
    outOfScope: { heldOutIntents: [...heldOut], ...chosen, auroc: round(oosAuroc), sweep },
  };
  mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
  writeFileSync(join(repoRoot, 'bench/results/nlu.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeDocsSection(results);
}

function writeDocsSection(r: {
  accuracy: number;
  macroF1: number;
  trainingSeconds: number;
  latencyMs: { p50: number; p99: number; medianRunP99: number; runs: number };
  modelBytes: number;
  machine: { cpus: number; cpuModel: string; node: string; loadAverageAtLatencyRun: number };
  date: string;
  outOfScope: { threshold: number; oosRecall: number; inScopeAccuracy: number; inScopeFlagged: number; auroc: number; heldOutIntents: string[]; sweep: { threshold: number; oosRecall: number; inScopeAccuracy: number }[] };
}): void {
  const path = join(repoRoot, 'docs/benchmarks.md');
  const o = r.outOfScope;
  const section = `<!-- nlu:start -->
## NLU

Intent classification on BANKING77 (10,003 training / 3,080 test queries, 77 intents, English):
TF-IDF character 2–5-grams within words plus stemmed word 1–2-grams (node-nlp's English
normalizer, tokenizer and stemmer), one-vs-rest linear SVM (squared hinge, C = 0.5, dual
coordinate descent), calibrated confidence with an implicit "none of these" candidate.

Command: \`npm run bench:nlu\` (= \`npx tsx bench/nlu.ts\`; dataset from \`BANKING77_DIR\`,
default \`../shared/datasets/banking77\`). Raw figures: \`bench/results/nlu.json\`.
Measured ${r.date.slice(0, 10)} on ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node} (shared machine).

| metric | value | bar |
| --- | --- | --- |
| accuracy (77 intents, test.csv) | ${r.accuracy.toFixed(4)} | ≥ 0.90 |
| macro-F1 | ${r.macroF1.toFixed(4)} | |
| training time (wall, in the training worker thread, incl. its start-up) | ${r.trainingSeconds.toFixed(1)} s | < 120 s |
| \`understand()\` latency p50 / p99 | ${r.latencyMs.p50.toFixed(3)} / ${r.latencyMs.p99.toFixed(3)} ms (${r.latencyMs.runs} runs × all test queries pooled; median of per-run p99 ${r.latencyMs.medianRunP99.toFixed(3)} ms) | p99 < 5 ms |
| model size (JSON) | ${(r.modelBytes / 1e6).toFixed(1)} MB | |

Latency is measured on the main thread after training in a worker, as the appliance runs it;
the 1-minute load average when it started was ${r.machine.loadAverageAtLatencyRun.toFixed(2)} on ${r.machine.cpus} cores. On a shared
machine the p99 is dominated by preemption by other processes; the p50 is the stable figure.

For comparison (baselines measured on the same machine class, see the team NLU notes): node-nlp NeuralNlu reaches 0.766 after 664 s;
scikit-learn LinearSVC on similar features 0.913; fine-tuned BERT-Large 0.937.

### Out-of-scope detection

${o.heldOutIntents.length} intents are left out of training entirely (${o.heldOutIntents.join(', ')});
their test queries must come back \`outOfScope\`. The threshold is the model's default
(${o.threshold}), not tuned on these queries; the calibration learns how much mass "none of
these" deserves by hiding 10% of the *training* intents from a probe model.

| threshold | OOS recall | in-scope accuracy (correct and not flagged) |
| --- | --- | --- |
${o.sweep.map((s) => `| ${s.threshold.toFixed(1)}${s.threshold === o.threshold ? ' (default)' : ''} | ${s.oosRecall.toFixed(4)} | ${s.inScopeAccuracy.toFixed(4)} |`).join('\n')}

AUROC of the confidence, in-scope vs. out-of-scope: ${o.auroc.toFixed(4)}. At the default
threshold ${(o.inScopeFlagged * 100).toFixed(1)}% of in-scope queries are handed off.
Reference points (Larson et al. 2019, a different 150-intent benchmark): BERT 96.2% in-scope /
52.3% OOS recall, Rasa 90.9% / 31.2%, DialogFlow 90.8% / 26.7%.
<!-- nlu:end -->`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n\nFigures measured on the target class of machine; each section names the command that reproduces it.\n';
  const marked = /<!-- nlu:start -->[\s\S]*?<!-- nlu:end -->/;
  const next = marked.test(current) ? current.replace(marked, section) : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(path, next);
}

await main();
