// Builds what `npm start` runs: the server bundle (dist/switchboard.mjs), the NLU training
// worker beside it, and the kiosk page (dist/web). One bundle per entry, no CDN, offline.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

// CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
const banner = { js: "import { createRequire as __sbCreateRequire } from 'node:module'; const require = __sbCreateRequire(import.meta.url);" };

export async function buildServer({ minify = false } = {}) {
  await build({
    entryPoints: { switchboard: join(root, 'src/main.ts'), 'nlu-training-worker': join(root, 'src/nlu/training-worker.ts') },
    outdir: dist,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    minify,
    banner,
    // Native addon: loaded from node_modules at run time (the single executable embeds it later).
    external: ['better-sqlite3'],
    logLevel: 'warning',
  });
}

export async function buildWeb({ minify = true } = {}) {
  const out = join(dist, 'web');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { kiosk: join(root, 'src/web/kiosk/main.ts') },
    outdir: out,
    bundle: true,
    platform: 'browser',
    target: ['chrome100', 'firefox100', 'safari15'],
    format: 'esm',
    minify,
    sourcemap: true,
    loader: { '.css': 'css' },
    logLevel: 'warning',
  });
  cpSync(join(root, 'src/web/kiosk/index.html'), join(out, 'index.html'));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const started = Date.now();
  await Promise.all([buildServer(), buildWeb()]);
  console.log(`built dist/ in ${Date.now() - started} ms`);
}
