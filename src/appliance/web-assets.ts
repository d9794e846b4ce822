// Loads the built kiosk page (dist/web, made by scripts/build.mjs) into memory once, so
// serving it needs no file access and works from a single executable later.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.wav': 'audio/wav',
};

/** dist/web beside the bundle, or the repo's dist/web when running from source. */
export function defaultWebDir(): string {
  const here = fileURLToPath(import.meta.url);
  return here.endsWith('.ts') ? join(here, '..', '..', '..', 'dist', 'web') : join(here, '..', 'web');
}

export function loadWebAssets(dir: string): Map<string, { body: Uint8Array; contentType: string }> {
  const assets = new Map<string, { body: Uint8Array; contentType: string }>();
  if (!existsSync(dir)) return assets;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else assets.set(`/${relative(dir, full).split(sep).join('/')}`, { body: readFileSync(full), contentType: TYPES[extname(name)] ?? 'application/octet-stream' });
    }
  };
  walk(dir);
  return assets;
}
