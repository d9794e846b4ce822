// Builds what `npm start` runs: the server bundle (dist/switchboard.mjs), the NLU training
// worker beside it, and the web pages (dist/web): the kiosk at /, the agent desktop at
// /agent/ and the supervisor console at /supervisor/. One bundle per entry, no CDN, offline.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

// CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
const banner = { js: "import { createRequire as __sbCreateRequire } from 'node:module'; const require = __sbCreateRequire(import.meta.url);" };

export async function buildServer({ minify = false } = {}) {
  await build({
    entryPoints: {
      switchboard: join(root, 'src/main.ts'),
      'nlu-training-worker': join(root, 'src/nlu/training-worker.ts'),
      'speech-recognizer': join(root, 'src/speech/recognizer-process.ts'),
    },
    outdir: dist,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    minify,
    banner,
    // Native addons: loaded from node_modules at run time (the single executable embeds them).
    external: ['better-sqlite3', 'koffi'],
    logLevel: 'warning',
  });
}

/** Page entry → its HTML, served at dist/web/<html path>. */
const PAGES = {
  kiosk: { entry: 'src/web/kiosk/main.ts', html: 'src/web/kiosk/index.html', to: 'index.html' },
  agent: { entry: 'src/web/agent/main.ts', html: 'src/web/agent/index.html', to: 'agent/index.html' },
  supervisor: { entry: 'src/web/supervisor/main.ts', html: 'src/web/supervisor/index.html', to: 'supervisor/index.html' },
};

export async function buildWeb({ minify = true } = {}) {
  const out = join(dist, 'web');
  // Build beside dist/web and swap file by file: an appliance (or a parallel test) loading
  // dist/web meanwhile never finds it empty.
  const staging = join(dist, `web.${process.pid}.${Date.now()}.tmp`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await build({
      entryPoints: Object.fromEntries(Object.entries(PAGES).map(([name, p]) => [name, join(root, p.entry)])),
      outdir: staging,
      bundle: true,
      platform: 'browser',
      target: ['chrome100', 'firefox100', 'safari15'],
      format: 'esm',
      minify,
      sourcemap: true,
      loader: { '.css': 'css' },
      logLevel: 'warning',
    });
    for (const p of Object.values(PAGES)) {
      mkdirSync(dirname(join(staging, p.to)), { recursive: true });
      cpSync(join(root, p.html), join(staging, p.to));
    }
    mkdirSync(out, { recursive: true });
    swapInto(staging, out);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Moves every file of `from` into `to` (rename is atomic per file) and drops files `to` no longer has. */
function swapInto(from, to) {
  const fresh = new Set();
  const walk = (dir, rel) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        mkdirSync(join(to, r), { recursive: true });
        walk(join(dir, entry.name), r);
      } else {
        fresh.add(r);
        renameSync(join(dir, entry.name), join(to, r));
      }
    }
  };
  walk(from, '');
  const prune = (dir, rel) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) prune(join(dir, entry.name), r);
      else if (!fresh.has(r)) rmSync(join(dir, entry.name), { force: true });
    }
  };
  prune(to, '');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  await Promise.all([buildServer(), buildWeb()]);
  console.log(`built dist/ in ${Date.now() - started} ms`);
}
