// Writes embedded assets into the cache once, as <cache>/<sha256>/…: everything goes into a
// private temp directory first and is renamed into place whole, so a directory that exists is
// complete, and two processes starting at once both end up using the same finished copy.
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NativeError } from './errors.ts';
import type { AppTreeFile, NativeAsset } from './manifest.ts';

/** Reads an embedded asset by key (sea.getAsset in a single executable, a map in tests). */
export type AssetReader = (key: string) => ArrayBuffer | Uint8Array;

interface PlannedFile {
  path: string;
  key: string;
  size: number;
  mode: number;
}

function isComplete(dir: string, files: readonly PlannedFile[]): boolean {
  if (!existsSync(dir)) return false;
  for (const f of files) {
    try {
      if (statSync(join(dir, f.path)).size !== f.size) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function readAsset(read: AssetReader, key: string): Uint8Array {
  let data: ArrayBuffer | Uint8Array;
  try {
    data = read(key);
  } catch (err) {
    throw new NativeError('NATIVE_ASSET_MISSING', `this executable has no embedded asset "${key}"; rebuild it with scripts/binary/build.mjs`, { cause: err });
  }
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

/** Materializes `files` as cacheDir/<sha256>/<path>; returns that directory. */
function extractInto(cacheDir: string, sha256: string, files: readonly PlannedFile[], read: AssetReader): string {
  const target = join(cacheDir, sha256);
  if (isComplete(target, files)) return target;
  if (existsSync(target)) {
    // Damaged (a file deleted or truncated by hand): move it aside whole, then rebuild.
    const aside = `${target}.damaged-${process.pid}-${Date.now()}`;
    try {
      renameSync(target, aside);
      rmSync(aside, { recursive: true, force: true });
    } catch {
      // another process is repairing it right now; fall through and race fairly
    }
  }
  const temp = `${target}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    for (const f of files) {
      const out = join(temp, f.path);
      mkdirSync(dirname(out), { recursive: true, mode: 0o700 });
      const bytes = readAsset(read, f.key);
      if (bytes.byteLength !== f.size) throw new NativeError('NATIVE_ASSET_MISSING', `embedded asset "${f.key}" has ${bytes.byteLength} bytes, the manifest says ${f.size}`);
      writeFileSync(out, bytes, { mode: f.mode });
      chmodSync(out, f.mode);
    }
    try {
      renameSync(temp, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Lost the race to another process: its copy is identical (same sha256).
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && isComplete(target, files)) return target;
      throw err;
    }
  } catch (err) {
    if (err instanceof NativeError) throw err;
    throw new NativeError('NATIVE_CACHE_UNUSABLE', `cannot unpack into ${cacheDir}: ${(err as Error).message}`, { cause: err });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  return target;
}

/** One native library → its absolute path in the cache. */
export function extractNative(cacheDir: string, asset: NativeAsset, read: AssetReader): string {
  const dir = extractInto(cacheDir, asset.sha256, [{ path: asset.name, key: asset.key, size: asset.size, mode: 0o500 }], read);
  return join(dir, asset.name);
}

/** The app tree (bundles, web pages, demo models) → its directory in the cache. */
export function extractTree(cacheDir: string, sha256: string, files: readonly AppTreeFile[], read: AssetReader): string {
  return extractInto(cacheDir, `app-${sha256}`, files.map((f) => ({ ...f, mode: 0o400 })), read);
}
