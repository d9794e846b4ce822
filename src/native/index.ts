// The one module that knows where Switchboard's native pieces are: better-sqlite3's addon,
// koffi's addon and libvosk, plus (in a single executable) the unpacked app files. Inside a
// single executable (Node SEA) each embedded asset is unpacked once into a cache directory
// named by its sha256 and loaded from there; otherwise everything comes from node_modules.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import * as sea from 'node:sea';
import { resolveCacheDir } from './cache-dir.ts';
import { NativeError } from './errors.ts';
import { extractNative, extractTree, type AssetReader } from './extract.ts';
import { MANIFEST_KEY, parseManifest, type NativeAsset, type SeaManifest } from './manifest.ts';

export { CACHE_DIR_ENV, cacheDirCandidates, cacheDirProblem, mountOptionsOf, resolveCacheDir } from './cache-dir.ts';
export { NativeError, type NativeErrorCode } from './errors.ts';
export { extractNative, extractTree, type AssetReader } from './extract.ts';
export { MANIFEST_KEY, parseManifest, type AppTreeFile, type NativeAsset, type SeaManifest } from './manifest.ts';

export interface NativeLocations {
  mode: 'single-executable' | 'node_modules';
  betterSqlite3: string;
  koffi: string;
  /** null when this install has no libvosk for the platform; see libvoskMissingReason. */
  libvosk: string | null;
  libvoskMissingReason: string | null;
}

/** True inside the single executable built by scripts/binary/build.mjs. */
export function isSingleExecutable(): boolean {
  try {
    return typeof sea.isSea === 'function' && sea.isSea();
  } catch {
    return false;
  }
}

const readAsset: AssetReader = (key) => sea.getAsset(key);

// The SEA bootstrap and the app bundle it imports are separate bundles (separate module
// state); they share the chosen cache directory through the process-wide symbol registry.
const CACHE_DIR_SLOT = Symbol.for('switchboard.native.cacheDir');
type Slots = Record<symbol, string | undefined>;

let manifestMemo: SeaManifest | undefined;
let cacheDirMemo: string | undefined;
const pathMemo = new Map<string, string>();

function manifest(): SeaManifest {
  manifestMemo ??= parseManifest(sea.getAsset(MANIFEST_KEY, 'utf8'));
  return manifestMemo;
}

/** The cache directory in use (resolved once per process); null outside a single executable. */
export function cacheDir(): string | null {
  if (!isSingleExecutable()) return null;
  const slots = globalThis as unknown as Slots;
  cacheDirMemo ??= slots[CACHE_DIR_SLOT] ?? resolveCacheDir();
  slots[CACHE_DIR_SLOT] = cacheDirMemo;
  return cacheDirMemo;
}

function extracted(asset: NativeAsset): string {
  let path = pathMemo.get(asset.key);
  if (!path) {
    path = extractNative(cacheDir()!, asset, readAsset);
    pathMemo.set(asset.key, path);
  }
  return path;
}

/** The unpacked app tree (switchboard.mjs, workers, web/, models/); null outside a single executable. */
export function appTreeDir(): string | null {
  if (!isSingleExecutable()) return null;
  let dir = pathMemo.get('app');
  if (!dir) {
    const m = manifest();
    dir = extractTree(cacheDir()!, m.app.sha256, m.app.files, readAsset);
    pathMemo.set('app', dir);
  }
  return dir;
}

/** The demo models shipped inside the single executable (flows, intents, knowledge, demo speech models). */
export function embeddedModelsDir(): string | null {
  const dir = appTreeDir();
  return dir ? join(dir, 'models') : null;
}

/** A package's directory, found from its entry point (koffi does not export its package.json). */
function packageDir(name: string, from: NodeJS.Require): string {
  let dir = dirname(from.resolve(name));
  for (;;) {
    const manifestPath = join(dir, 'package.json');
    if (existsSync(manifestPath) && (JSON.parse(readFileSync(manifestPath, 'utf8')) as { name?: unknown }).name === name) return dir;
    const up = dirname(dir);
    if (up === dir) throw new NativeError('NATIVE_UNAVAILABLE', `cannot find the directory of the npm package ${name}`);
    dir = up;
  }
}

function nodeModulesLocations(): NativeLocations {
  const require = createRequire(import.meta.url);
  const betterSqlite3 = join(packageDir('better-sqlite3', require), 'build', 'Release', 'better_sqlite3.node');
  const koffiRequire = createRequire(join(packageDir('koffi', require), 'package.json'));
  const koffi = join(packageDir(`@koromix/koffi-linux-${process.arch}`, koffiRequire), `linux_${process.arch}`, 'koffi.node');
  let libvosk: string | null = null;
  let libvoskMissingReason: string | null = null;
  if (process.platform === 'linux' && process.arch === 'x64') {
    try {
      libvosk = join(packageDir('vosk', require), 'lib', 'linux-x86_64', 'libvosk.so');
    } catch {
      libvoskMissingReason = 'the npm package "vosk" is not installed';
    }
  } else {
    libvoskMissingReason = `npm vosk ships no libvosk for ${process.platform}-${process.arch}`;
  }
  return { mode: 'node_modules', betterSqlite3, koffi, libvosk, libvoskMissingReason };
}

/** Absolute paths of the native pieces (unpacking them first inside a single executable). */
export function nativeLocations(): NativeLocations {
  if (!isSingleExecutable()) return nodeModulesLocations();
  const m = manifest();
  return {
    mode: 'single-executable',
    betterSqlite3: extracted(m.natives.betterSqlite3),
    koffi: extracted(m.natives.koffi),
    libvosk: m.natives.libvosk ? extracted(m.natives.libvosk) : null,
    libvoskMissingReason: m.libvoskMissingReason,
  };
}

/** Path of the embedded libvosk, or null with the reason (e.g. an arm64 build without one). */
export function embeddedLibvosk(): { path: string; reason: null } | { path: null; reason: string } {
  const m = manifest();
  return m.natives.libvosk ? { path: extracted(m.natives.libvosk), reason: null } : { path: null, reason: m.libvoskMissingReason ?? 'not embedded' };
}

function dlopen(path: string, what: string): unknown {
  const module = { exports: {} as unknown };
  try {
    process.dlopen(module, path, constants.dlopen.RTLD_NOW);
  } catch (err) {
    throw new NativeError(
      'NATIVE_LOAD_FAILED',
      `cannot load ${what} from ${path}: ${(err as Error).message}. It needs glibc 2.34 or newer (Debian 12, Ubuntu 22.04) and a cache directory on a filesystem without noexec.`,
      { cause: err },
    );
  }
  return module.exports;
}

/** better-sqlite3's `nativeBinding` option: the unpacked addon's path in a single executable, undefined otherwise (its own lookup works). */
export function sqliteNativeBindingPath(): string | undefined {
  return isSingleExecutable() ? extracted(manifest().natives.betterSqlite3) : undefined;
}

let sqliteAddon: object | undefined;

/** The loaded SQLite addon in a single executable (for diagnostics), undefined otherwise. */
export function betterSqlite3Binding(): object | undefined {
  if (!isSingleExecutable()) return undefined;
  sqliteAddon ??= dlopen(extracted(manifest().natives.betterSqlite3), 'the SQLite addon (better-sqlite3)') as object;
  return sqliteAddon;
}

let koffiAddon: unknown;

/** koffi's native addon, for the single executable's stand-in of `@koromix/koffi-linux-<arch>`. */
export function loadKoffiAddon(): unknown {
  if (!isSingleExecutable()) {
    const path = nodeModulesLocations().koffi;
    if (!existsSync(path)) throw new NativeError('NATIVE_UNAVAILABLE', `koffi has no prebuilt addon at ${path}`);
    koffiAddon ??= dlopen(path, 'the FFI addon (koffi)');
    return koffiAddon;
  }
  koffiAddon ??= dlopen(extracted(manifest().natives.koffi), 'the FFI addon (koffi)');
  return koffiAddon;
}
