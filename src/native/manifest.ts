// What a single executable carries besides its code: the manifest (itself a SEA asset) lists
// each native library and each file of the app tree (bundles, web pages, demo models) by the
// asset key it is stored under, its size and its sha256. scripts/binary/build.mjs writes it.

/** SEA asset key of the manifest. */
export const MANIFEST_KEY = 'switchboard/manifest.json';

/** One native shared object embedded whole (loaded with process.dlopen or koffi.load). */
export interface NativeAsset {
  key: string;
  /** File name it is extracted as (a .node addon keeps its extension). */
  name: string;
  sha256: string;
  size: number;
}

export interface AppTreeFile {
  /** Path inside the app tree, '/'-separated, e.g. "web/index.html". */
  path: string;
  key: string;
  size: number;
}

export interface SeaManifest {
  version: 1;
  arch: 'x64' | 'arm64';
  nodeVersion: string;
  natives: {
    betterSqlite3: NativeAsset;
    koffi: NativeAsset;
    /** null when the build had no libvosk for this architecture. */
    libvosk: NativeAsset | null;
  };
  /** Why speech recognition cannot work in this build (set exactly when libvosk is null). */
  libvoskMissingReason: string | null;
  /** Bundles, web pages and demo models, extracted together as one directory named by sha256. */
  app: { sha256: string; files: AppTreeFile[] };
}

function fail(what: string): never {
  throw new Error(`corrupt single-executable manifest: ${what}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const SHA256 = /^[0-9a-f]{64}$/;

function parseNative(v: unknown, field: string): NativeAsset {
  if (!isObject(v)) fail(`${field} missing`);
  const { key, name, sha256, size } = v;
  if (typeof key !== 'string' || typeof name !== 'string' || /[/\\]/.test(name) || typeof sha256 !== 'string' || !SHA256.test(sha256) || typeof size !== 'number') {
    fail(`${field} malformed`);
  }
  return { key, name, sha256, size };
}

/** Validates the manifest text; the paths it names are later joined onto the cache dir, so no ".." escapes. */
export function parseManifest(text: string): SeaManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail('not JSON');
  }
  if (!isObject(raw) || raw.version !== 1) fail('unknown version');
  if (raw.arch !== 'x64' && raw.arch !== 'arm64') fail('arch');
  if (typeof raw.nodeVersion !== 'string') fail('nodeVersion');
  const natives = raw.natives;
  if (!isObject(natives)) fail('natives');
  const app = raw.app;
  if (!isObject(app) || typeof app.sha256 !== 'string' || !SHA256.test(app.sha256) || !Array.isArray(app.files)) fail('app');
  const files: AppTreeFile[] = app.files.map((f: unknown, i: number) => {
    if (!isObject(f) || typeof f.path !== 'string' || typeof f.key !== 'string' || typeof f.size !== 'number') fail(`app.files[${i}]`);
    if (f.path.split('/').some((part) => part === '..' || part === '' || part === '.') || f.path.startsWith('/')) fail(`app.files[${i}].path ${f.path}`);
    return { path: f.path, key: f.key, size: f.size };
  });
  const libvosk = natives.libvosk === null ? null : parseNative(natives.libvosk, 'natives.libvosk');
  const reason = raw.libvoskMissingReason;
  if (libvosk === null && typeof reason !== 'string') fail('libvoskMissingReason');
  return {
    version: 1,
    arch: raw.arch,
    nodeVersion: raw.nodeVersion,
    natives: { betterSqlite3: parseNative(natives.betterSqlite3, 'natives.betterSqlite3'), koffi: parseNative(natives.koffi, 'natives.koffi'), libvosk },
    libvoskMissingReason: libvosk === null ? (reason as string) : null,
    app: { sha256: app.sha256, files },
  };
}
