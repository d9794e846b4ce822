// Entry of the single executable (the SEA "main" script, bundled as CommonJS): unpacks the app
// tree once into the cache, then imports the real entry from there, so import.meta.url, the
// web pages, the worker bundles and the demo models all sit where the normal dist/ layout puts
// them. A forked child (the speech recognizer) re-enters here with its script as argument.
import * as nodeModule from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MODELS_DIR_ENV, modelsDirChosen, sidecarScript } from './entry-args.ts';
import { appTreeDir, cacheDir, embeddedLibvosk, isSingleExecutable, loadKoffiAddon, NativeError, nativeLocations, betterSqlite3Binding } from './index.ts';

const LIBVOSK_PATH_ENV = 'SWITCHBOARD_LIBVOSK_PATH';

interface CheckLine {
  name: string;
  ok: boolean;
  detail: string;
}

/** `switchboard --native-check [--json]`: loads each native piece and says which work. */
function nativeCheck(json: boolean): number {
  const lines: CheckLine[] = [];
  const dir = cacheDir();
  lines.push({ name: 'runtime', ok: true, detail: `Node ${process.version} ${process.platform}-${process.arch}, cache ${dir ?? '(none)'}` });
  const locations = nativeLocations();
  try {
    const addon = betterSqlite3Binding() as { Database?: unknown } | undefined;
    lines.push({ name: 'sqlite', ok: typeof addon?.Database === 'function', detail: locations.betterSqlite3 });
  } catch (err) {
    lines.push({ name: 'sqlite', ok: false, detail: (err as Error).message });
  }
  let koffi: { version?: string; load?: (path: string) => { func(decl: string): (...args: unknown[]) => unknown } } | undefined;
  try {
    koffi = loadKoffiAddon() as typeof koffi;
    lines.push({ name: 'ffi', ok: typeof koffi?.version === 'string', detail: `koffi ${koffi?.version ?? '?'} ${locations.koffi}` });
  } catch (err) {
    lines.push({ name: 'ffi', ok: false, detail: (err as Error).message });
  }
  const vosk = embeddedLibvosk();
  const override = process.env[LIBVOSK_PATH_ENV];
  const voskPath = override || vosk.path;
  if (!voskPath) {
    // Not a failure of the binary: this build has no speech engine. Say so, and how to add one.
    lines.push({ name: 'speech', ok: true, detail: `unavailable: ${vosk.reason}; set ${LIBVOSK_PATH_ENV} to a libvosk.so for linux-${process.arch} to enable speech recognition` });
  } else {
    try {
      const lib = koffi!.load!(voskPath);
      lib.func('void vosk_set_log_level(int level)')(-1);
      lines.push({ name: 'speech', ok: true, detail: `libvosk ${voskPath}` });
    } catch (err) {
      lines.push({ name: 'speech', ok: false, detail: `libvosk at ${voskPath} does not load: ${(err as Error).message}` });
    }
  }
  const ok = lines.every((l) => l.ok);
  if (json) console.log(JSON.stringify({ ok, checks: lines }, null, 2));
  else for (const l of lines) console.log(`${l.ok ? 'ok  ' : 'FAIL'} ${l.name.padEnd(8)} ${l.detail}`);
  return ok ? 0 : 1;
}

function enableCompileCache(dir: string): void {
  // Node >= 22.1: V8 code cache for the app bundle, kept beside the unpacked files (cuts cold start).
  const enable = (nodeModule as { enableCompileCache?: (dir: string) => unknown }).enableCompileCache;
  if (typeof enable === 'function') {
    try {
      enable(join(dir, 'compile-cache'));
    } catch {
      // a cache is an optimization; starting without it is correct
    }
  }
}

async function run(): Promise<void> {
  if (!isSingleExecutable()) throw new Error('src/native/bootstrap.ts is the entry of the single executable only');
  const dir = cacheDir()!;
  const app = appTreeDir()!;
  enableCompileCache(dir);
  // SEA argv is [binary, invoked-as, ...args]; a forked child gets [binary, binary, script, ...args].
  const args = process.argv.slice(2);
  if (args[0] === '--native-check') {
    process.exit(nativeCheck(args.includes('--json')));
  }

  const sidecar = sidecarScript(app, args);
  if (sidecar) {
    // A child process the app forked with one of its own bundles (e.g. speech-recognizer.mjs).
    const vosk = embeddedLibvosk();
    if (!process.env[LIBVOSK_PATH_ENV] && vosk.path) process.env[LIBVOSK_PATH_ENV] = vosk.path;
    process.argv = [process.argv[0]!, sidecar, ...args.slice(1)];
    await import(pathToFileURL(sidecar).href);
    return;
  }

  if (!modelsDirChosen(args, process.env)) process.env[MODELS_DIR_ENV] = join(app, 'models');
  await import(pathToFileURL(join(app, 'switchboard.mjs')).href);
}

run().catch((err: unknown) => {
  if (err instanceof NativeError) console.error(`switchboard: ${err.code}: ${err.message}`);
  else console.error('switchboard: failed to start:', err);
  process.exit(1);
});
