// Proof that the x64 binary needs no Node: it runs `--help` and `serve` inside a bare Debian
// root (debootstrap minbase) that has no node, no node_modules and no repository.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBinary, serveEnv, startServe } from './binary-helpers.ts';
import { ensureRootfs, rootfsUnavailable } from './rootfs.ts';

const unavailable = process.arch === 'x64' ? rootfsUnavailable() : 'the bare root is amd64';
if (unavailable) console.warn(`SKIPPED single executable in a bare Debian root: ${unavailable}`);

describe.skipIf(unavailable !== null)('single executable in a bare Debian root without Node', () => {
  let root: string;
  const inside = `/opt/switchboard-test-${process.pid}`;

  beforeAll(() => {
    const bin = ensureBinary('x64');
    root = ensureRootfs('amd64');
    mkdirSync(join(root, inside.slice(1)), { recursive: true });
    copyFileSync(bin, join(root, inside.slice(1), 'switchboard'));
  }, 20 * 60_000);

  afterAll(() => {
    if (root) rmSync(join(root, inside.slice(1)), { recursive: true, force: true });
  });

  const chroot = (command: string[], env: Record<string, string> = {}) =>
    spawnSync('/usr/sbin/chroot', [root, ...command], { encoding: 'utf8', timeout: 60_000, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', XDG_CACHE_HOME: `${inside}/cache`, ...env } });

  it('has no Node in the root', () => {
    const r = chroot(['/bin/sh', '-c', 'command -v node nodejs; ls /usr/lib/node_modules /usr/local/lib/node_modules 2>/dev/null; true']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('');
  });

  it('prints the CLI help', () => {
    const r = chroot([`${inside}/switchboard`, '--help']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: switchboard <command>/);
  });

  it('serves /readyz and the kiosk page over the loopback', async () => {
    const env = { ...serveEnv(`${inside}/data`), XDG_CACHE_HOME: `${inside}/cache` };
    const app = await startServe('/usr/sbin/chroot', [root, `${inside}/switchboard`, 'serve'], env, 60_000);
    try {
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { ready: boolean }).ready).toBe(true);
      const page = await fetch(`${app.url}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Switchboard</title>');
    } finally {
      await app.stop();
    }
  }, 90_000);
});
