// Speech concurrency on this machine: how many simultaneous real-time 8 kHz streams the
// appliance's speech stack (vosk-server WebSocket → recognizer pool → libvosk) sustains with
// partial-result latency p95 < 200 ms, its throughput against a single-process loop calling
// libvosk directly on the same audio (bar ≥ 0.8), and peak memory. Writes
// bench/results/speech-concurrency.json and the "Speech concurrency" section of docs/benchmarks.md.
//
// Usage: npx tsx bench/speech-concurrency.ts [--duration 15] [--model demo-en-8k]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';
import { silentLogger } from '../src/ops/index.ts';
import { SpeechConfigSchema, startSpeechServices, type SpeechServices } from '../src/speech/index.ts';
import { VoskModel, VoskRecognizer, setVoskLogLevel } from '../src/speech/libvosk.ts';
import type { CallConversations } from '../src/speech/voice-call.ts';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '15' },
    model: { type: 'string', default: 'demo-en-8k' },
    models: { type: 'string', default: join(repoRoot, 'models') },
    'no-write': { type: 'boolean', default: false },
  },
});
const DURATION_S = Number(args.duration);
const MODELS_DIR = args.models;
const MODEL = args.model;
const RATE = 8000;
const FRAME_MS = 100; // what vosk clients typically send; the AudioSocket path batches 20 ms frames to this
const FRAME_BYTES = (RATE * FRAME_MS * 2) / 1000;
const P95_BAR_MS = 200;

// ---- audio: synthesized caller utterances from the demo vocabulary, with pauses -------------
const UTTERANCES = ['agent', 'card stolen', 'one two three four five', 'balance', 'password reset', 'yes', 'no', 'operator', 'lost card', 'seven eight nine', 'open hours', 'goodbye'];
function synth(text: string, voice: string): Buffer {
  const e = spawnSync('espeak-ng', ['-v', voice, '-s', '150', '--stdout', text], { maxBuffer: 64 << 20 });
  const s = spawnSync('sox', ['-q', '-D', '-t', 'wav', '-', '-t', 'raw', '-r', String(RATE), '-e', 'signed-integer', '-b', '16', '-c', '1', '-L', '-'], { input: e.stdout, maxBuffer: 64 << 20 });
  if (s.status !== 0) throw new Error(`sox failed: ${s.stderr}`);
  return s.stdout;
}
const voices = ['en-us', 'en-gb', 'en-us+f3', 'en-gb-scotland'];
const corpus = Buffer.concat(UTTERANCES.flatMap((u, i) => [synth(u, voices[i % voices.length]!), Buffer.alloc((RATE * 2 * 700) / 1000)]));
const frames: Buffer[] = [];
for (let i = 0; i + FRAME_BYTES <= corpus.byteLength; i += FRAME_BYTES) frames.push(corpus.subarray(i, i + FRAME_BYTES));
const corpusSeconds = (frames.length * FRAME_MS) / 1000;

// ---- seeded randomness (stream start offsets) -------------------------------------------------
let seed = 20261125;
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

// ---- 1. baseline: one process, one loop, libvosk called directly --------------------------------
function baseline(passes: number): { audioSeconds: number; wallSeconds: number; xRealtime: number } {
  setVoskLogLevel(-2); // as in the recognizer processes: no per-result warnings
  const model = new VoskModel(join(MODELS_DIR, MODEL));
  const rec = new VoskRecognizer(model, { sampleRate: RATE, maxAlternatives: 1, words: false });
  const started = performance.now();
  for (let p = 0; p < passes; p++) {
    for (const f of frames) {
      if (rec.acceptWaveform(f)) rec.result();
      else rec.partialResult();
    }
    rec.finalResult();
  }
  const wallSeconds = (performance.now() - started) / 1000;
  rec.free();
  model.free();
  const audioSeconds = passes * corpusSeconds;
  return { audioSeconds, wallSeconds, xRealtime: audioSeconds / wallSeconds };
}

// ---- the stack under test ----------------------------------------------------------------------
const noConversations: CallConversations = {
  start: () => {
    throw new Error('not used: AudioSocket is off in this benchmark');
  },
  postMessage: () => {
    throw new Error('not used');
  },
  subscribe: () => () => undefined,
};

async function startStack(processes: number): Promise<SpeechServices> {
  const config = SpeechConfigSchema.parse({
    host: '127.0.0.1',
    modelsDir: MODELS_DIR,
    voskServer: { port: 0 },
    audioSocket: { enabled: false },
    pool: { processes, maxStreams: 10_000, maxPendingFramesPerStream: 1000 },
  });
  return startSpeechServices({ config, conversations: noConversations, logger: silentLogger, modelsDir: MODELS_DIR });
}

interface Client {
  ws: WebSocket;
  waiting: Array<(msg: Record<string, unknown>) => void>;
}

async function connect(port: number): Promise<Client> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  const client: Client = { ws, waiting: [] };
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as Record<string, unknown>;
    client.waiting.shift()?.(msg);
  });
  await new Promise<void>((r, j) => {
    ws.once('open', () => r());
    ws.once('error', j);
  });
  ws.send(JSON.stringify({ config: { sample_rate: RATE, model: MODEL } }));
  return client;
}

function ask(c: Client, frame: Buffer): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    c.waiting.push(resolve);
    c.ws.send(frame);
  });
}

/** Peak resident memory of the appliance process plus its recognizer processes (MB). */
function peakMemoryMb(speech: SpeechServices): { mainMb: number; childrenMb: number; totalMb: number } {
  const mainMb = process.resourceUsage().maxRSS / 1024;
  let childrenMb = 0;
  for (const p of speech.status().processes) {
    if (!p.pid || !existsSync(`/proc/${p.pid}/status`)) continue;
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
    childrenMb += Number(hwm?.[1] ?? 0) / 1024;
  }
  return { mainMb, childrenMb, totalMb: mainMb + childrenMb };
}

// ---- 2. throughput: streams fed as fast as they are answered -----------------------------------
async function throughput(processes: number, streams: number, passes: number) {
  const speech = await startStack(processes);
  const clients = await Promise.all(Array.from({ length: streams }, () => connect(speech.voskPort!)));
  const started = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      for (let p = 0; p < passes; p++) for (const f of frames) await ask(c, f);
    }),
  );
  const wallSeconds = (performance.now() - started) / 1000;
  for (const c of clients) c.ws.close();
  await speech.close();
  const audioSeconds = streams * passes * corpusSeconds;
  return { processes, streams, audioSeconds, wallSeconds, xRealtime: audioSeconds / wallSeconds };
}

// ---- 3. real-time streams: N callers talking at once -------------------------------------------
async function realtime(speech: SpeechServices, n: number) {
  const clients = await Promise.all(Array.from({ length: n }, () => connect(speech.voskPort!)));
  const partialMs: number[] = [];
  const allMs: number[] = [];
  let errors = 0;
  let late = 0;
  const t0 = performance.now() + 200;
  await Promise.all(
    clients.map(async (c, i) => {
      const offset = random() * FRAME_MS; // callers do not speak in lockstep
      let k = Math.floor(random() * frames.length);
      const total = Math.floor((DURATION_S * 1000) / FRAME_MS);
      for (let j = 0; j < total; j++) {
        const due = t0 + offset + j * FRAME_MS;
        await sleep(due - performance.now());
        const sent = performance.now();
        const answer = await ask(c, frames[k++ % frames.length]!);
        const ms = performance.now() - sent;
        if ('error' in answer) {
          errors++;
          return;
        }
        allMs.push(ms);
        if ('partial' in answer) partialMs.push(ms);
        // An answer later than the next frame means this caller fell behind real time.
        if (performance.now() > due + FRAME_MS) late++;
      }
      void i;
    }),
  );
  for (const c of clients) c.ws.close();
  return {
    streams: n,
    answers: allMs.length,
    errors,
    lateFrames: late,
    partialP50Ms: percentile(partialMs, 50),
    partialP95Ms: percentile(partialMs, 95),
    partialP99Ms: percentile(partialMs, 99),
    allP95Ms: percentile(allMs, 95),
    memory: peakMemoryMb(speech),
  };
}

// ---- run -----------------------------------------------------------------------------------------
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}`;
const loadAtStart = loadavg()[0]!;
console.log(`corpus: ${UTTERANCES.length} utterances, ${corpusSeconds.toFixed(1)} s of 8 kHz audio in ${FRAME_MS} ms frames; machine: ${machine}; load ${loadAtStart.toFixed(2)}`);

// The machine is shared: interleave the direct loop and the appliance runs and take medians, so a
// burst of someone else's load does not land on one side only.
const ROUNDS = 5;
const median = <T extends { xRealtime: number }>(xs: T[]): T => [...xs].sort((a, b) => a.xRealtime - b.xRealtime)[Math.floor(xs.length / 2)]!;
const bases = [];
const tp1s = [];
const tps = [];
for (let r = 0; r < ROUNDS; r++) {
  bases.push(baseline(2));
  tp1s.push(await throughput(1, 4, 1));
  tps.push(await throughput(2, 16, 1));
}
const base = median(bases);
const tp1 = median(tp1s);
const tp = median(tps);
const ratio = tp.xRealtime / base.xRealtime;
console.log(`baseline (one process, direct libvosk loop): ${base.xRealtime.toFixed(1)}x real time (median of ${ROUNDS}: ${bases.map((b) => b.xRealtime.toFixed(0)).join(', ')})`);
console.log(`appliance, 1 recognizer process, 4 streams as fast as answered: ${tp1.xRealtime.toFixed(1)}x real time (ratio ${(tp1.xRealtime / base.xRealtime).toFixed(2)}; runs ${tp1s.map((b) => b.xRealtime.toFixed(0)).join(', ')})`);
console.log(`appliance, 2 recognizer processes, 16 streams as fast as answered: ${tp.xRealtime.toFixed(1)}x real time (runs ${tps.map((b) => b.xRealtime.toFixed(0)).join(', ')})`);
console.log(`throughput ratio: ${ratio.toFixed(2)}`);

const speech = await startStack(2);
const runs = [];
let best: Awaited<ReturnType<typeof realtime>> | null = null;
let n = 8;
let failedAt = Infinity;
// Grow the load until p95 breaks the bar, then bisect between the last good and the first bad.
for (let step = 0; step < 12; step++) {
  const r = await realtime(speech, n);
  runs.push(r);
  const ok = r.errors === 0 && r.partialP95Ms < P95_BAR_MS;
  console.log(`  ${String(n).padStart(4)} streams: partial p50 ${r.partialP50Ms.toFixed(1)} ms, p95 ${r.partialP95Ms.toFixed(1)} ms, p99 ${r.partialP99Ms.toFixed(1)} ms, errors ${r.errors}, late ${r.lateFrames}, peak memory ${r.memory.totalMb.toFixed(0)} MB ${ok ? 'ok' : 'over the bar'}`);
  if (ok) best = r;
  else failedAt = Math.min(failedAt, n);
  const good = best?.streams ?? 0;
  if (failedAt === Infinity) n = n * 2;
  else if (failedAt - good <= Math.max(2, Math.ceil(good * 0.1))) break;
  else n = Math.floor((good + failedAt) / 2);
  await sleep(500);
}
const memory = peakMemoryMb(speech);
await speech.close();

console.log(`max real-time streams with partial p95 < ${P95_BAR_MS} ms: ${best?.streams ?? 0}`);
console.log(`peak memory: ${memory.totalMb.toFixed(0)} MB (appliance process ${memory.mainMb.toFixed(0)} MB + recognizer processes ${memory.childrenMb.toFixed(0)} MB)`);

const result = {
  measuredAt: new Date().toISOString(),
  machine,
  loadAverageAtStart: loadAtStart,
  model: MODEL,
  frameMs: FRAME_MS,
  corpusSeconds,
  baseline: base,
  throughput: { rounds: ROUNDS, oneProcess: tp1, twoProcesses: tp, ratio, baselineRuns: bases, oneProcessRuns: tp1s, twoProcessRuns: tps },
  realtime: { p95BarMs: P95_BAR_MS, durationSeconds: DURATION_S, maxStreams: best?.streams ?? 0, runs },
  peakMemoryMb: memory,
};
if (args['no-write']) process.exit(0);
mkdirSync(join(repoRoot, 'bench', 'results'), { recursive: true });
writeFileSync(join(repoRoot, 'bench', 'results', 'speech-concurrency.json'), JSON.stringify(result, null, 2) + '\n');

// ---- docs/benchmarks.md: replace only this section -------------------------------------------------
const START = '<!-- speech-concurrency:start -->';
const END = '<!-- speech-concurrency:end -->';
const b = best;
const section = `${START}
## Speech concurrency

How many callers the speech stack serves at once on this machine: vosk-server WebSocket
clients on 127.0.0.1 → the appliance's speech services → the supervised pool of 2 recognizer
processes → libvosk with \`models/${MODEL}\`. Every caller sends 8 kHz PCM16 in ${FRAME_MS} ms
frames in real time (start offsets seeded, callers not in lockstep) for ${DURATION_S} s; the
latency of a partial result is from sending a frame to receiving its answer, measured in the
client, which runs in the appliance's own process (so it is pessimistic). The load grows until
p95 breaks ${P95_BAR_MS} ms, then bisects.

Command: \`npx tsx bench/speech-concurrency.ts\`. Raw figures: \`bench/results/speech-concurrency.json\`.
Measured ${result.measuredAt.slice(0, 10)} on ${machine} (shared machine; 1-minute load ${loadAtStart.toFixed(2)} at start).

| metric | value | bar |
| --- | --- | --- |
| simultaneous real-time 8 kHz streams with partial p95 < ${P95_BAR_MS} ms | ${b?.streams ?? 0} (p50 ${b?.partialP50Ms.toFixed(1) ?? '-'} ms, p95 ${b?.partialP95Ms.toFixed(1) ?? '-'} ms, p99 ${b?.partialP99Ms.toFixed(1) ?? '-'} ms) | |
| throughput, 2 processes, 16 streams fed as fast as answered (median of ${ROUNDS}) | ${tp.xRealtime.toFixed(1)}× real time | |
| single-process loop calling libvosk directly, same audio and frames (median of ${ROUNDS}, interleaved) | ${base.xRealtime.toFixed(1)}× real time | |
| throughput ratio (appliance / direct loop) | ${ratio.toFixed(2)} | ≥ 0.8 |
| same with 1 recognizer process, 4 streams (IPC + WebSocket overhead alone) | ${tp1.xRealtime.toFixed(1)}× (ratio ${(tp1.xRealtime / base.xRealtime).toFixed(2)}) | |
| peak memory (appliance process + recognizer processes, RSS high-water marks) | ${memory.totalMb.toFixed(0)} MB (${memory.mainMb.toFixed(0)} + ${memory.childrenMb.toFixed(0)}) | |

${ratio < 0.8 ? `**Below the throughput bar.** The demo model decodes a 100 ms frame in about ${(100 / base.xRealtime).toFixed(2)} ms, so the
fixed per-frame cost of the path (WebSocket in and out, both ends in this one process, plus
the pipe to a recognizer process and back) is of the same size as the recognition itself, and
the recognizer processes compete for the 2 cores with the clients and with other work on this
shared machine. With a real Vosk model (several ms per frame) that fixed cost is a small
fraction. Not yet done: clients in a separate process, more than one frame in flight per
stream, a measurement on an idle machine.
` : ''}
Runs:

| streams | partial p50 | partial p95 | partial p99 | errors | late answers |
| --- | --- | --- | --- | --- | --- |
${runs.map((r) => `| ${r.streams} | ${r.partialP50Ms.toFixed(1)} ms | ${r.partialP95Ms.toFixed(1)} ms | ${r.partialP99Ms.toFixed(1)} ms | ${r.errors} | ${r.lateFrames} |`).join('\n')}

The default \`speech.pool.maxStreams\` should stay at or below the sustained figure, so the
${(b?.streams ?? 0) + 1}th caller gets \`SPEECH_BUSY\` rather than every caller getting slow answers.
${END}`;
const docPath = join(repoRoot, 'docs', 'benchmarks.md');
const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n';
const marked = new RegExp(`${START}[\\s\\S]*?${END}`);
writeFileSync(docPath, marked.test(doc) ? doc.replace(marked, section) : `${doc.trimEnd()}\n\n${section}\n`);
console.log('wrote bench/results/speech-concurrency.json and docs/benchmarks.md (Speech concurrency section)');
