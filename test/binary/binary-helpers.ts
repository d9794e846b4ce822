// Shared by the single-executable tests: (re)builds dist/switchboard-linux-<arch> only when it is
// older than its inputs (one build at a time across test files), and starts `serve` from it.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const ROOTFS_CACHE = '/var/cache/switchboard-test-rootfs';

export function binaryPath(arch: 'x64' | 'arm64'): string {
  return join(repoRoot, 'dist', `switchboard-linux-${arch}`);
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Everything the binary is made of; a newer file than the binary means rebuild. */
const INPUTS = ['src', 'scripts/binary', 'scripts/build.mjs', 'models/flows', 'models/nlu/intents', 'models/knowledge', 'models/demo-en-8k', 'models/demo-zh-8k', 'package-lock.json'];

function isFresh(arch: 'x64' | 'arm64'): boolean {
  const bin = binaryPath(arch);
  if (!existsSync(bin) || !existsSync(`${bin}.json`)) return false;
  const built = statSync(bin).mtimeMs;
  return INPUTS.every((p) => newestMtime(join(repoRoot, p)) <= built);
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds the binary unless it is newer than all its inputs. Serialized by a lock directory. */
export function ensureBinary(arch: 'x64' | 'arm64'): string {
  const lock = join(repoRoot, 'dist', '.binary-build.lock');
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // a build older than 10 minutes is a crashed one
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another binary build');
      sleepMs(500);
    }
  }
  try {
    if (!isFresh(arch)) {
      execFileSync(process.execPath, [join(repoRoot, 'scripts', 'binary', 'build.mjs'), '--arch', arch], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'], timeout: 5 * 60_000 });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
  return binaryPath(arch);
}

export function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Environment for the appliance under test: loopback only, any free ports. */
export function serveEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    SWITCHBOARD_HOST: '127.0.0.1',
    SWITCHBOARD_PORT: '0',
    SWITCHBOARD_DATA_DIR: dataDir,
    SWITCHBOARD_LOG_LEVEL: 'info',
    SWITCHBOARD_SPEECH__HOST: '127.0.0.1',
    SWITCHBOARD_SPEECH__VOSK_SERVER__PORT: '0',
    SWITCHBOARD_SPEECH__AUDIO_SOCKET__PORT: '0',
    ...extra,
  };
}

export interface RunningAppliance {
  url: string;
  proc: ChildProcess;
  /** Milliseconds from spawn to "Switchboard is ready" on the log. */
  readyAfterMs: number;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `command args` and resolves when the log says the appliance is ready (with its URL). */
export function startServe(command: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<RunningAppliance> {
  const started = Date.now();
  const proc = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const stop = async (): Promise<void> => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`appliance not ready after ${timeoutMs} ms:\n${out.slice(-4000)}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /"url":"(https?:\/\/[^"]+)"[^\n]*"msg":"Switchboard is ready"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveReady({ url: m[1]!, proc, readyAfterMs: Date.now() - started, output: () => out, stop });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`appliance exited (${code ?? signal}) before ready:\n${out.slice(-4000)}`));
    });
  });
}
