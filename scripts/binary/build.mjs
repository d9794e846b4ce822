// Builds the single executables dist/switchboard-linux-x64 and dist/switchboard-linux-arm64
// (Node single-executable applications). Usage: node scripts/binary/build.mjs [--arch x64|arm64|all]
//
// Layout of one binary: the pinned official Node runtime (scripts/binary/pins.json) + a SEA blob
// whose main script is src/native/bootstrap.ts and whose assets are the native libraries
// (better-sqlite3 13 prebuilt, koffi, libvosk) and the app tree (ESM bundles, web pages, demo
// models). At run time src/native unpacks them once into a cache keyed by sha256.
// libvosk for arm64 is not on npm: SWITCHBOARD_LIBVOSK_ARM64=/path/libvosk.so (optionally with
// SWITCHBOARD_LIBVOSK_ARM64_SHA256) embeds one; without it the arm64 binary reports speech as
// unavailable.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { arch as hostArch } from 'node:process';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { buildWeb } from '../build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = join(root, 'dist');
const require = createRequire(join(root, 'package.json'));
const PINS = JSON.parse(readFileSync(join(root, 'scripts', 'binary', 'pins.json'), 'utf8'));
const CACHE = process.env.SWITCHBOARD_BUILD_CACHE || join(root, 'node_modules', '.cache', 'switchboard-binary');
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const MANIFEST_KEY = 'switchboard/manifest.json'; // = src/native/manifest.ts MANIFEST_KEY
export const ARCHES = ['x64', 'arm64'];

/** Directories of models/ the appliance reads at run time (others, e.g. training sources, stay out). */
const MODEL_DIRS = ['flows', 'nlu/intents', 'knowledge'];
const DEMO_SPEECH_MODEL = /^demo-[a-z]+-8k$/;

const log = (msg) => console.log(`[binary] ${msg}`);

/** A package's directory, found from its entry point (some packages do not export package.json). */
function packageDir(name, from = require) {
  let dir = dirname(from.resolve(name));
  while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== name) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the directory of package ${name}`);
    dir = up;
  }
  return dir;
}

function sha256(buf) {
  return createHash('sha256').update(buf).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// Pinned pieces: fetched with npm's own client (cache-first, works offline once cached) and
// checked against the integrity in pins.json before use.

function fetchPackage(name, version, integrity) {
  const dir = join(CACHE, 'pkgs', `${name.replace('/', '+')}@${version}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  const dl = join(CACHE, 'dl');
  mkdirSync(dl, { recursive: true });
  const tgz = join(dl, `${name.replace('@', '').replace('/', '-')}-${version}.tgz`);
  if (!existsSync(tgz)) {
    log(`fetching ${name}@${version} with npm pack`);
    execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', dl, '--prefer-offline', '--silent'], { stdio: ['ignore', 'ignore', 'inherit'], cwd: dl });
  }
  const [algo, expected] = integrity.split('-');
  const actual = createHash(algo).update(readFileSync(tgz)).digest('base64');
  if (actual !== expected) {
    rmSync(tgz, { force: true });
    throw new Error(`${name}@${version}: integrity mismatch (expected ${integrity}, got ${algo}-${actual}); refusing to build with it`);
  }
  const temp = `${dir}.tmp-${process.pid}`;
  rmSync(temp, { recursive: true, force: true });
  mkdirSync(temp, { recursive: true });
  execFileSync('tar', ['xzf', tgz, '-C', temp, '--strip-components=1']);
  writeFileSync(join(temp, '.complete'), integrity);
  rmSync(dir, { recursive: true, force: true });
  renameSync(temp, dir);
  return dir;
}

function nodeRuntime(arch) {
  const pin = PINS.node[arch];
  const dir = fetchPackage(pin.package, PINS.node.version, pin.integrity);
  return join(dir, 'bin', 'node');
}

function betterSqlite3Package() {
  return fetchPackage('better-sqlite3', PINS['better-sqlite3'].version, PINS['better-sqlite3'].integrity);
}

function koffiNative(arch) {
  const koffiDir = packageDir('koffi');
  const koffiVersion = JSON.parse(readFileSync(join(koffiDir, 'package.json'), 'utf8')).version;
  if (koffiVersion !== PINS['koffi-native'].version) {
    throw new Error(`node_modules/koffi is ${koffiVersion} but scripts/binary/pins.json pins koffi-native ${PINS['koffi-native'].version}; update the pin (version and integrity)`);
  }
  const local = join(koffiDir, '..', '@koromix', `koffi-linux-${arch}`);
  const dir = existsSync(join(local, 'package.json')) ? local : fetchPackage(PINS['koffi-native'][arch].package, koffiVersion, PINS['koffi-native'][arch].integrity);
  return join(dir, `linux_${arch}`, 'koffi.node');
}

/** libvosk for `arch`, or the reason there is none. */
function libvosk(arch) {
  if (arch === 'x64') {
    const path = join(packageDir('vosk'), 'lib', 'linux-x86_64', 'libvosk.so');
    if (!existsSync(path)) throw new Error(`npm vosk has no ${path}; run npm ci`);
    return { path, reason: null };
  }
  const path = process.env.SWITCHBOARD_LIBVOSK_ARM64;
  if (!path) return { path: null, reason: 'this arm64 build has no libvosk (npm vosk ships none for linux-aarch64; the build embeds one given SWITCHBOARD_LIBVOSK_ARM64)' };
  if (!existsSync(path)) throw new Error(`SWITCHBOARD_LIBVOSK_ARM64=${path} does not exist`);
  const want = process.env.SWITCHBOARD_LIBVOSK_ARM64_SHA256;
  if (want && sha256(readFileSync(path)) !== want.toLowerCase()) throw new Error(`SWITCHBOARD_LIBVOSK_ARM64=${path} does not match SWITCHBOARD_LIBVOSK_ARM64_SHA256`);
  const machine = readFileSync(path).readUInt16LE(18);
  if (machine !== 0xb7) throw new Error(`SWITCHBOARD_LIBVOSK_ARM64=${path} is not an aarch64 ELF library`);
  return { path, reason: null };
}

// ---------------------------------------------------------------------------------------------
// Bundles. One app tree serves both architectures: natives are found at run time by src/native.

const ABSENT_OPTIONAL = /^(bufferutil|utf-8-validate|supports-color)$/;

function seaPlugin(bs13) {
  const nativeIndex = join(root, 'src', 'native', 'index.ts');
  return {
    name: 'switchboard-sea',
    setup(b) {
      // Every `better-sqlite3` import gets the stand-in that defaults nativeBinding to the unpacked addon.
      b.onResolve({ filter: /^better-sqlite3$/ }, () => ({ path: join(root, 'src', 'native', 'better-sqlite3-sea.ts') }));
      b.onResolve({ filter: /^better-sqlite3-real$/ }, () => ({ path: join(bs13, 'lib', 'index.js') }));
      // koffi's CommonJS build calls require('@koromix/koffi-<platform>'), which esbuild can see and replace.
      b.onResolve({ filter: /^koffi$/ }, () => ({ path: join(packageDir('koffi'), 'index.cjs') }));
      b.onResolve({ filter: /^@koromix\/koffi-/ }, () => ({ path: 'koffi-addon', namespace: 'sea-native' }));
      b.onLoad({ filter: /.*/, namespace: 'sea-native' }, () => ({
        contents: `module.exports = require(${JSON.stringify(nativeIndex)}).loadKoffiAddon();`,
        resolveDir: root,
        loader: 'js',
      }));
      // Optional speed-ups of ws/debug that are native or absent: make their try/require fail fast.
      b.onResolve({ filter: ABSENT_OPTIONAL }, (args) => ({ path: args.path, namespace: 'sea-absent' }));
      b.onLoad({ filter: /.*/, namespace: 'sea-absent' }, (args) => ({ contents: `throw new Error(${JSON.stringify(`${args.path} is not part of the single executable`)});`, loader: 'js' }));
    },
  };
}

const BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:sea', 'node:sqlite', 'node:test']);

/** Fails on a non-builtin require() left in a bundle: inside the binary it could only fail at run time. */
function checkNoStrayRequires(file) {
  const text = readFileSync(file, 'utf8');
  const stray = new Set();
  for (const m of text.matchAll(/\b(?:__require|require)\(\s*"([^"]+)"\s*\)/g)) {
    if (!BUILTINS.has(m[1]) && !m[1].startsWith('.')) stray.add(m[1]);
  }
  for (const m of text.matchAll(/^import .* from "([^"]+)";$/gm)) {
    if (!BUILTINS.has(m[1])) stray.add(m[1]);
  }
  if (stray.size > 0) throw new Error(`${relative(root, file)} still requires ${[...stray].join(', ')} at run time; bundle or alias them in scripts/binary/build.mjs`);
}

async function buildAppBundles(outdir, bs13) {
  const entryPoints = {
    switchboard: join(root, 'src', 'main.ts'),
    'nlu-training-worker': join(root, 'src', 'nlu', 'training-worker.ts'),
  };
  const recognizer = join(root, 'src', 'speech', 'recognizer-process.ts');
  if (existsSync(recognizer)) entryPoints['speech-recognizer'] = recognizer;
  await build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: `node${PINS.node.version.split('.')[0]}`,
    format: 'esm',
    // CommonJS code inside the ESM bundle (koffi, better-sqlite3) uses require, __filename and __dirname.
    banner: {
      js: [
        "import { createRequire as __sbCreateRequire } from 'node:module';",
        "import { fileURLToPath as __sbFileURLToPath } from 'node:url';",
        'const require = __sbCreateRequire(import.meta.url);',
        'const __sbFilename = __sbFileURLToPath(import.meta.url);',
        "const __sbDirname = __sbFileURLToPath(new URL('.', import.meta.url));",
      ].join(' '),
    },
    define: { __filename: '__sbFilename', __dirname: '__sbDirname' },
    plugins: [seaPlugin(bs13)],
    legalComments: 'none',
    logLevel: 'error',
  });
  for (const name of Object.keys(entryPoints)) checkNoStrayRequires(join(outdir, `${name}.mjs`));
  return Object.keys(entryPoints);
}

async function buildBootstrap(outfile) {
  await build({
    entryPoints: [join(root, 'src', 'native', 'bootstrap.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: `node${PINS.node.version.split('.')[0]}`,
    format: 'cjs',
    // Only nodeModulesLocations() reads import.meta.url, and never inside the binary.
    define: { 'import.meta.url': '"file:///switchboard-sea-bootstrap.cjs"' },
    legalComments: 'none',
    logLevel: 'error',
  });
  checkNoStrayRequires(outfile);
}

function listFiles(dir, rel = '') {
  const out = [];
  for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, r));
    else if (entry.isFile()) out.push(r);
  }
  return out.sort();
}

/** Copies what the appliance reads at run time into `appDir`: web pages (no source maps) and models. */
function stageRuntimeFiles(appDir) {
  for (const file of listFiles(join(dist, 'web'))) {
    if (file.endsWith('.map')) continue;
    mkdirSync(dirname(join(appDir, 'web', file)), { recursive: true });
    copyFileSync(join(dist, 'web', file), join(appDir, 'web', file));
  }
  const models = join(root, 'models');
  const dirs = [...MODEL_DIRS];
  for (const entry of readdirSync(models, { withFileTypes: true })) if (entry.isDirectory() && DEMO_SPEECH_MODEL.test(entry.name)) dirs.push(entry.name);
  for (const d of dirs) {
    if (!existsSync(join(models, d))) continue;
    for (const file of listFiles(join(models, d))) {
      mkdirSync(dirname(join(appDir, 'models', d, file)), { recursive: true });
      copyFileSync(join(models, d, file), join(appDir, 'models', d, file));
    }
  }
  return dirs;
}

// ---------------------------------------------------------------------------------------------
// Assembly: manifest + SEA config → blob (generated by the pinned Node itself) → injected into
// a copy of the pinned Node for the target architecture.

function nativeAsset(key, name, path) {
  const buf = readFileSync(path);
  return { asset: { key, name, sha256: sha256(buf), size: buf.length }, path };
}

function stripTool(arch) {
  const tool = arch === 'x64' ? 'strip' : 'aarch64-linux-gnu-strip';
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return tool;
  } catch {
    return null;
  }
}

async function assemble(arch, stage, appDir, bs13) {
  const archDir = join(stage, arch);
  mkdirSync(archDir, { recursive: true });
  const natives = {
    betterSqlite3: nativeAsset(`natives/${arch}/better_sqlite3.node`, 'better_sqlite3.node', join(bs13, 'prebuilds', `linux-${arch}.node`)),
    koffi: nativeAsset(`natives/${arch}/koffi.node`, 'koffi.node', koffiNative(arch)),
  };
  const vosk = libvosk(arch);
  if (vosk.path) natives.libvosk = nativeAsset(`natives/${arch}/libvosk.so`, 'libvosk.so', vosk.path);

  const assets = {};
  const treeHash = createHash('sha256');
  const files = listFiles(appDir).map((path) => {
    const key = `app/${path}`;
    const buf = readFileSync(join(appDir, path));
    treeHash.update(`${path}\0${buf.length}\0`).update(buf);
    assets[key] = join(appDir, ...path.split('/'));
    return { path, key, size: buf.length };
  });
  for (const n of Object.values(natives)) assets[n.asset.key] = n.path;
  const manifest = {
    version: 1,
    arch,
    nodeVersion: PINS.node.version,
    natives: { betterSqlite3: natives.betterSqlite3.asset, koffi: natives.koffi.asset, libvosk: natives.libvosk?.asset ?? null },
    libvoskMissingReason: vosk.reason,
    app: { sha256: treeHash.digest('hex'), files },
  };
  writeFileSync(join(archDir, 'manifest.json'), JSON.stringify(manifest));
  assets[MANIFEST_KEY] = join(archDir, 'manifest.json');

  const blob = join(archDir, 'sea.blob');
  const config = {
    main: join(stage, 'bootstrap.cjs'),
    output: blob,
    disableExperimentalSEAWarning: true,
    // The main script only unpacks and imports; the app bundle gets V8's compile cache at run
    // time instead (module.enableCompileCache), which also works for the cross-built arm64 binary.
    useCodeCache: false,
    useSnapshot: false,
    assets,
  };
  writeFileSync(join(archDir, 'sea-config.json'), JSON.stringify(config, null, 2));
  // The blob format belongs to the Node version, not the CPU: the pinned runtime for this host makes it.
  execFileSync(nodeRuntime(hostArch), ['--experimental-sea-config', join(archDir, 'sea-config.json')], { stdio: ['ignore', 'ignore', 'inherit'] });

  const out = join(dist, `switchboard-linux-${arch}`);
  const temp = `${out}.tmp-${process.pid}`;
  copyFileSync(nodeRuntime(arch), temp);
  chmodSync(temp, 0o755);
  const strip = stripTool(arch);
  if (strip) execFileSync(strip, ['--strip-all', temp]);
  else log(`no strip tool for ${arch} (binutils-aarch64-linux-gnu): the binary keeps Node's debug symbols`);
  const { inject } = require('postject');
  const quiet = console.warn;
  console.warn = () => undefined; // postject warns about ELF note names it does not need
  try {
    await inject(temp, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SENTINEL_FUSE });
  } finally {
    console.warn = quiet;
  }
  renameSync(temp, out);
  const info = {
    arch,
    node: PINS.node.version,
    bytes: statSync(out).size,
    stripped: Boolean(strip),
    libvosk: natives.libvosk ? natives.libvosk.asset.sha256 : null,
    libvoskMissingReason: vosk.reason,
    appSha256: manifest.app.sha256,
    builtAt: new Date().toISOString(),
  };
  writeFileSync(`${out}.json`, `${JSON.stringify(info, null, 2)}\n`);
  log(`${relative(root, out)}: ${(info.bytes / 1e6).toFixed(1)} MB${vosk.path ? '' : ' (speech unavailable: no libvosk)'}`);
  return info;
}

export async function buildBinaries(arches) {
  const started = Date.now();
  const stage = join(dist, '.binary');
  rmSync(stage, { recursive: true, force: true });
  const appDir = join(stage, 'app');
  mkdirSync(appDir, { recursive: true });
  const bs13 = betterSqlite3Package();
  for (const arch of arches) nodeRuntime(arch); // fetch everything first: fail before the slow part
  nodeRuntime(hostArch);
  await buildWeb();
  const [entries] = await Promise.all([buildAppBundles(appDir, bs13), buildBootstrap(join(stage, 'bootstrap.cjs'))]);
  const modelDirs = stageRuntimeFiles(appDir);
  log(`app tree: ${entries.join(', ')} + web + models (${modelDirs.join(', ')})`);
  const infos = [];
  for (const arch of arches) infos.push(await assemble(arch, stage, appDir, bs13));
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return infos;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { arch: { type: 'string', default: 'all' }, help: { type: 'boolean' } } });
  if (values.help) {
    console.log('Usage: node scripts/binary/build.mjs [--arch x64|arm64|all]\n\nEnvironment: SWITCHBOARD_LIBVOSK_ARM64 (+ _SHA256) embeds an aarch64 libvosk; SWITCHBOARD_BUILD_CACHE moves the download cache.');
    process.exit(0);
  }
  const arches = values.arch === 'all' ? ARCHES : [values.arch];
  if (!arches.every((a) => ARCHES.includes(a))) {
    console.error(`--arch must be x64, arm64 or all (got ${values.arch})`);
    process.exit(2);
  }
  if (hostArch !== 'x64' && hostArch !== 'arm64') {
    console.error(`building needs an x64 or arm64 Linux host (this is ${hostArch})`);
    process.exit(2);
  }
  await buildBinaries(arches);
}
