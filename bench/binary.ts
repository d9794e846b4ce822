// bench:binary — size, cold start to ready and idle RSS of the single executables.
// Cold start = spawn → "Switchboard is ready" with an empty data dir (so it includes NLU training
// and starting the speech recognizer processes) and the cache already unpacked; the very first
// start (empty cache, unpacking included) is reported separately. Idle RSS is read from /proc
// after 5 s of idling with the demo speech models loaded, for the appliance and its recognizer
// processes. arm64 runs under qemu-user: its timing shows function only, not speed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBinary, serveEnv, startServe } from '../test/binary/binary-helpers.ts';
import { ensureRootfs } from '../test/binary/rootfs.ts';
import { machine, percentile, writeDocsSection, writeResults } from './report.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : 0;
}

function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) kids.push(Number(name));
    } catch {
      // exited meanwhile
    }
  }
  return kids;
}

const mb = (bytes: number) => Math.round((bytes / 1e6) * 10) / 10;

async function x64(): Promise<Record<string, unknown>> {
  const bin = ensureBinary('x64');
  const work = mkdtempSync(join(tmpdir(), 'sb-bench-binary-'));
  const cache = join(work, 'cache');
  try {
    const first = await startServe(bin, ['serve'], { ...serveEnv(join(work, 'data-first')), XDG_CACHE_HOME: cache }, 60_000);
    await first.stop();
    const times: number[] = [];
    const firstBoots: number[] = [];
    let idle = { mainMB: 0, recognizersMB: 0, recognizers: 0 };
    for (let i = 0; i < RUNS; i++) {
      // A fresh data dir (first boot: seeds the KB, trains NLU) ...
      const fresh = await startServe(bin, ['serve'], { ...serveEnv(join(work, `data-${i}`)), XDG_CACHE_HOME: cache }, 60_000);
      firstBoots.push(fresh.readyAfterMs);
      await fresh.stop();
      // ... then a restart on it (the appliance after a reboot or an upgrade: model on disk).
      const app = await startServe(bin, ['serve'], { ...serveEnv(join(work, `data-${i}`)), XDG_CACHE_HOME: cache }, 60_000);
      times.push(app.readyAfterMs);
      if (i === RUNS - 1) {
        await new Promise((r) => setTimeout(r, 5000));
        const pid = app.proc.pid!;
        const kids = childrenOf(pid);
        idle = { mainMB: Math.round(rssKiB(pid) / 1024), recognizersMB: Math.round(kids.reduce((s, k) => s + rssKiB(k), 0) / 1024), recognizers: kids.length };
      }
      await app.stop();
    }
    const sorted = [...times].sort((a, b) => a - b);
    const boots = [...firstBoots].sort((a, b) => a - b);
    return {
      bytes: statSync(bin).size,
      firstStartMs: first.readyAfterMs,
      coldStartMs: { p50: percentile(sorted, 50), min: sorted[0], max: sorted.at(-1), runs: times },
      firstBootMs: { p50: percentile(boots, 50), min: boots[0], max: boots.at(-1), runs: firstBoots },
      idleRss: idle,
      loadAverage: loadavg(),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function arm64(): Promise<Record<string, unknown> | null> {
  const bin = ensureBinary('arm64');
  if (spawnSync('sh', ['-c', 'command -v qemu-aarch64-static'], { stdio: 'ignore' }).status !== 0) return { bytes: statSync(bin).size, readyUnderQemuMs: null };
  const sysroot = ensureRootfs('arm64');
  const work = mkdtempSync(join(tmpdir(), 'sb-bench-binary-arm64-'));
  try {
    const env = { ...serveEnv(join(work, 'data'), { SWITCHBOARD_SPEECH__ENABLED: 'false' }), XDG_CACHE_HOME: join(work, 'cache') };
    const app = await startServe('qemu-aarch64-static', ['-L', sysroot, bin, 'serve'], env, 180_000);
    await app.stop();
    const info = JSON.parse(readFileSync(`${bin}.json`, 'utf8')) as { libvosk: string | null };
    return { bytes: statSync(bin).size, readyUnderQemuMs: app.readyAfterMs, libvosk: info.libvosk !== null };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const node = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'scripts', 'binary', 'pins.json'), 'utf8')) as { node: { version: string } };
const resultX64 = await x64();
const resultArm64 = existsSync('/var/cache/switchboard-test-rootfs') || process.getuid?.() === 0 ? await arm64() : null;
const results = { machine: machine(), runtime: `Node ${node.node.version}`, x64: resultX64, arm64: resultArm64, measuredAt: new Date().toISOString() };
writeResults('binary', results);

const cold = resultX64.coldStartMs as { p50: number; min: number; max: number };
const boot = resultX64.firstBootMs as { p50: number; min: number; max: number };
const load = (resultX64.loadAverage as number[]).map((l) => l.toFixed(1)).join(' / ');
const idle = resultX64.idleRss as { mainMB: number; recognizersMB: number; recognizers: number };
const m = machine();
writeDocsSection(
  'binary',
  `## Single executable

\`npm run bench:binary\` (bench/binary.ts) on ${m.cpus} × ${m.cpuModel}; binaries from \`npm run build:binary\`, runtime ${results.runtime} embedded.

| | linux-x64 | linux-arm64 |
|---|---|---|
| Binary size | ${mb(resultX64.bytes as number)} MB | ${resultArm64 ? `${mb(resultArm64.bytes as number)} MB${resultArm64.libvosk ? '' : ' (no libvosk embedded)'}` : 'not built'} |
| Cold start to ready, provisioned data dir (p50 / min / max of ${RUNS}) | **${cold.p50} ms** / ${cold.min} / ${cold.max} ms | ${resultArm64?.readyUnderQemuMs ? `${resultArm64.readyUnderQemuMs} ms under qemu-user (function only, speech off, first boot)` : 'n/a'} |
| First boot, empty data dir: seeds KB, trains NLU (p50 / min / max) | ${boot.p50} ms / ${boot.min} / ${boot.max} ms | — |
| Very first start (empty cache: unpacks ~38 MB) | ${resultX64.firstStartMs} ms | — |
| Idle RSS, appliance process | **${idle.mainMB} MB** | — |
| Idle RSS, ${idle.recognizers} recognizer processes with the demo models | ${idle.recognizersMB} MB | — |

Targets: cold start under 1.5 s on x64 (${cold.p50 < 1500 ? 'met' : 'NOT met'} at p50, ${cold.min < 1500 ? 'met' : 'not met'} at min), idle RSS under 250 MB (${idle.mainMB < 250 ? 'met' : 'NOT met'} for the appliance process; ${idle.mainMB + idle.recognizersMB < 250 ? 'met' : 'not met'} including the recognizer processes, ${idle.mainMB + idle.recognizersMB} MB).
Cold start counts from process spawn to the "Switchboard is ready" log line: Node boot, the bundle (V8 compile cache warm after the first start), SQLite, loading the NLU model and starting the speech recognizer processes with the demo models. First boot additionally seeds the demo knowledge base and trains the NLU model. Load average during the run: ${load} on ${m.cpus} cores (other work shared the machine; figures on an idle box are lower). Raw figures: bench/results/binary.json.`,
);
console.log(JSON.stringify(results, null, 2));
