// Provisioning a box from a profile: data directory and database ready, first admin created
// from a file, a TLS certificate made and written into the installed profile (0600), and the
// speech models and broker files the profile names checked.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/index.ts';
import { loadConfig } from '../../src/config/index.ts';

const repoModels = join(import.meta.dirname, '..', '..', 'models');

function setup(profileBody: string) {
  const work = mkdtempSync(join(tmpdir(), 'sb-provision-'));
  const profile = join(work, 'profile.yaml');
  writeFileSync(profile, `branchId: sh-01\ntenant: acme\ndataDir: ${join(work, 'data')}\nmodelsDir: ${repoModels}\n${profileBody}`);
  const pw = join(work, 'admin.pw');
  writeFileSync(pw, 'first admin password 1\n');
  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), env: {} };
  return { work, profile, pw, out, io };
}

describe('switchboard provision', () => {
  it('prepares the box and installs the profile with TLS filled in', async () => {
    const s = setup('speech:\n  enabled: true\n');
    const installTo = join(s.work, 'etc', 'profile.yaml');
    const code = await runCommand('provision', ['--profile', s.profile, '--install-to', installTo, '--admin-user', 'root', '--admin-password-file', s.pw, '--tls-host', 'localhost', '--json'], s.io);
    const report = JSON.parse(s.out.join('\n')) as { ok: boolean; steps: { step: string; ok: boolean; detail: string }[] };
    expect(report.steps.filter((x) => !x.ok)).toEqual([]);
    expect(code).toBe(0);
    expect(report.steps.map((x) => x.step)).toEqual(expect.arrayContaining(['profile', 'data directory', 'knowledge base', 'administrator', 'tls', 'speech model (en)', 'speech model (zh)', 'sync', 'profile installed']));
    expect(statSync(installTo).mode & 0o777).toBe(0o600);
    expect(statSync(join(s.work, 'data')).mode & 0o777).toBe(0o700);
    const installed = loadConfig({ profilePath: installTo, env: {} });
    expect(installed.tls.certFile).toBe(join(s.work, 'data', 'tls', 'cert.pem'));
    expect(readFileSync(installTo, 'utf8')).toContain('branchId: sh-01');
    expect(report.steps.find((x) => x.step === 'tls')?.detail).toMatch(/SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
    // Running it again changes nothing that exists.
    const again = await runCommand('provision', ['--profile', installTo, '--admin-user', 'root', '--admin-password-file', s.pw], { ...s.io, out: () => undefined });
    expect(again).toBe(0);
  });

  it('reports what is missing: a speech model not installed, a broker key file absent; tightens a readable password file', async () => {
    const s = setup('');
    const pwFile = join(s.work, 'broker.pw');
    writeFileSync(pwFile, 'secret\n', { mode: 0o644 });
    writeFileSync(s.profile, `${readFileSync(s.profile, 'utf8')}speech:\n  models:\n    en: no-such-model\nsync:\n  brokerUrl: mqtts://broker.invalid:8883\n  passwordFile: ${pwFile}\n  keyFile: ${join(s.work, 'missing.key')}\n`);
    const code = await runCommand('provision', ['--profile', s.profile], s.io);
    expect(code).toBe(1);
    const text = s.out.join('\n');
    expect(text).toMatch(/FAIL\s+speech model \(en\)\s+no-such-model is not installed/);
    expect(text).toMatch(/FAIL\s+sync keyFile/);
    expect(text).toMatch(/permissions tightened from 644 to 600/);
    expect(statSync(pwFile).mode & 0o777).toBe(0o600);
  });

  it('refuses an invalid profile with the line of the mistake', async () => {
    const s = setup('port: 99999\n');
    expect(await runCommand('provision', ['--profile', s.profile], s.io)).toBe(1);
    expect(s.out.join('\n')).toMatch(/port \(line 5\)/);
  });
});
