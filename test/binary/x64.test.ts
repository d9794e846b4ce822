// The x64 single executable on this machine: CLI, config validation, and `serve` answering
// /readyz and the kiosk page with everything (SQLite, NLU worker, speech processes) unpacked
// from the binary into a private cache.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBinary, repoRoot, serveEnv, startServe, type RunningAppliance } from './binary-helpers.ts';

describe.runIf(process.platform === 'linux' && process.arch === 'x64')('single executable (linux-x64)', () => {
  let bin: string;
  let work: string;

  beforeAll(() => {
    bin = ensureBinary('x64');
    work = mkdtempSync(join(tmpdir(), 'sb-binary-x64-'));
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Runs the binary outside the repository, with a cache of its own and nothing of Node's on PATH. */
  const run = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(bin, args, { cwd: work, encoding: 'utf8', timeout: 30_000, env: { PATH: '/usr/bin:/bin', XDG_CACHE_HOME: join(work, 'cache'), ...env } });

  it('prints the CLI help', () => {
    const r = run(['--help']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: switchboard <command>/);
    expect(r.stdout).toContain('serve');
  });

  it('validates a device profile', () => {
    const r = run(['config', 'validate', join(repoRoot, 'firmware-config', 'lab.yaml')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('lab.yaml is valid (branch lab-01');
  });

  it('reports an invalid profile with its line', () => {
    const profile = join(work, 'bad.yaml');
    writeFileSync(profile, 'branchId: x\nport: nope\n');
    const r = run(['config', 'validate', profile]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/CONFIG_INVALID: .*port \(line 2\)/);
  });

  it('loads every native piece from its cache, named by sha256', () => {
    const r = run(['--native-check', '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { ok: boolean; checks: Array<{ name: string; ok: boolean; detail: string }> };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(['runtime', 'sqlite', 'ffi', 'speech']);
    expect(report.checks.find((c) => c.name === 'speech')!.detail).toMatch(/^libvosk \/.*\/[0-9a-f]{64}\/libvosk\.so$/);
    const cache = join(work, 'cache', 'switchboard');
    const entries = readdirSync(cache);
    expect(entries.filter((e) => /^[0-9a-f]{64}$/.test(e))).toHaveLength(3);
    expect(entries.filter((e) => /^app-[0-9a-f]{64}$/.test(e))).toHaveLength(1);
    expect(entries.filter((e) => e.includes('.tmp-'))).toEqual([]);
    // A second start reuses the unpacked files instead of writing them again.
    const lib = join(cache, report.checks.find((c) => c.name === 'sqlite')!.detail.split('/').at(-2)!, 'better_sqlite3.node');
    const before = statSync(lib).mtimeMs;
    expect(run(['--native-check']).status).toBe(0);
    expect(statSync(lib).mtimeMs).toBe(before);
  });

  it('says clearly when the chosen cache directory cannot be used', () => {
    writeFileSync(join(work, 'a-file'), '');
    const r = run(['--help'], { SWITCHBOARD_CACHE_DIR: join(work, 'a-file', 'cache') });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/NATIVE_CACHE_UNUSABLE: SWITCHBOARD_CACHE_DIR=.*a-file\/cache cannot be used .*: cannot create it \(ENOTDIR\)\. Point SWITCHBOARD_CACHE_DIR at/);
  });

  describe('serve', () => {
    let app: RunningAppliance;

    beforeAll(async () => {
      const env = { ...serveEnv(join(work, 'data')), XDG_CACHE_HOME: join(work, 'cache') };
      app = await startServe(bin, ['serve'], env, 60_000);
    }, 90_000);

    afterAll(async () => {
      await app?.stop();
    });

    it('is ready: database, NLU model trained in its worker, speech processes with the embedded models', async () => {
      const res = await fetch(`${app.url}/readyz`);
      const body = (await res.json()) as { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> };
      expect(res.status).toBe(200);
      expect(body.ready).toBe(true);
      expect(body.checks.database?.ok).toBe(true);
      expect(body.checks.nlu?.ok).toBe(true);
      expect(body.checks.speech?.detail).toMatch(/recognizer process(es)? ready/);
    });

    it('serves the kiosk page and its script from the embedded web assets', async () => {
      const page = await fetch(`${app.url}/`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<title>Switchboard</title>');
      const script = /src="\/?([^"]+\.js)"/.exec(html)?.[1];
      expect(script).toBeDefined();
      const js = await fetch(`${app.url}/${script}`);
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toContain('javascript');
    });
  });
});
