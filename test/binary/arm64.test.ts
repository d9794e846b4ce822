// Smoke test of the arm64 binary under qemu-user, with an arm64 Debian root as sysroot. It
// builds in seconds (prebuilt natives, cross-injected blob), so CI checks it on every run.
// Function only: emulation is 10-30x slower. Without an embedded libvosk the binary must say
// that speech is unavailable, and the rest must work.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandExists, ensureBinary, serveEnv, startServe } from './binary-helpers.ts';
import { ensureRootfs, rootfsUnavailable } from './rootfs.ts';

const QEMU = 'qemu-aarch64-static';
const unavailable = rootfsUnavailable() ?? (commandExists(QEMU) ? null : 'Debian package qemu-user-static is not installed (scripts/test.sh installs it)');
if (unavailable) console.warn(`SKIPPED arm64 single executable under qemu: ${unavailable}`);

describe.skipIf(unavailable !== null)('single executable (linux-arm64) under qemu-user', () => {
  let bin: string;
  let sysroot: string;
  let work: string;

  beforeAll(() => {
    bin = ensureBinary('arm64');
    sysroot = ensureRootfs('arm64');
    work = mkdtempSync(join(tmpdir(), 'sb-binary-arm64-'));
  }, 20 * 60_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const qemu = (args: string[]) =>
    spawnSync(QEMU, ['-L', sysroot, bin, ...args], { cwd: work, encoding: 'utf8', timeout: 120_000, env: { PATH: '/usr/bin:/bin', XDG_CACHE_HOME: join(work, 'cache') } });

  it('is an aarch64 executable', () => {
    const header = readFileSync(bin).subarray(0, 20);
    expect(header.readUInt16LE(18)).toBe(0xb7); // EM_AARCH64
  });

  it('prints the CLI help', () => {
    const r = qemu(['--help']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: switchboard <command>/);
  });

  it('loads SQLite and koffi for arm64 and reports speech as unavailable with the way to enable it', () => {
    const info = JSON.parse(readFileSync(`${bin}.json`, 'utf8')) as { libvosk: string | null };
    const r = qemu(['--native-check', '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> };
    const check = (name: string) => report.checks.find((c) => c.name === name)!;
    expect(check('runtime').detail).toContain('linux-arm64');
    expect(check('sqlite').ok).toBe(true);
    expect(check('ffi').ok).toBe(true);
    if (info.libvosk === null) expect(check('speech').detail).toMatch(/^unavailable: .*no libvosk.*set SWITCHBOARD_LIBVOSK_PATH/);
    else expect(check('speech').detail).toMatch(/^libvosk /);
  });

  it('serves /readyz and the kiosk page (speech off: qemu-user cannot exec the forked recognizers)', async () => {
    const env = { ...serveEnv(join(work, 'data'), { SWITCHBOARD_SPEECH__ENABLED: 'false' }), XDG_CACHE_HOME: join(work, 'cache') };
    const app = await startServe(QEMU, ['-L', sysroot, bin, 'serve'], env, 150_000);
    try {
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
      expect(body.ready).toBe(true);
      expect(body.checks.database?.ok).toBe(true);
      expect(body.checks.nlu?.ok).toBe(true);
      const page = await fetch(`${app.url}/`);
      expect(page.status).toBe(200);
    } finally {
      await app.stop();
    }
  }, 180_000);
});
