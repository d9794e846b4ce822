// The installer's subcommands against a real data directory: backup while the appliance
// runs, verified restore, knowledge import/export, profile validation, account creation.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, usage } from '../../src/cli/index.ts';
import { startTestAppliance, type TestAppliance } from '../support/appliance.ts';

function io(env: NodeJS.ProcessEnv) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env }, out, err };
}

let t: TestAppliance;
let env: NodeJS.ProcessEnv;
const work = mkdtempSync(join(tmpdir(), 'sb-cli-'));

beforeAll(async () => {
  t = await startTestAppliance();
  env = { SWITCHBOARD_DATA_DIR: t.dataDir, SWITCHBOARD_MODELS_DIR: join(import.meta.dirname, '..', '..', 'models') };
  const c = await t.request('/v1/conversations', { method: 'POST', token: t.tokens.kiosk, json: { language: 'en' } });
  const id = ((await c.json()) as { conversation: { id: string } }).conversation.id;
  await t.request(`/v1/conversations/${id}/messages`, { method: 'POST', token: t.tokens.kiosk, json: { text: 'What are your opening hours?' } });
});
afterAll(async () => {
  await t?.close();
});

describe('switchboard backup / verify-backup / restore', () => {
  it('backs up the live database consistently and restores it, keeping the previous file', async () => {
    const target = join(work, 'backup.db');
    const b = io(env);
    expect(await runCommand('backup', [target, '--json'], b.io)).toBe(0);
    const report = JSON.parse(b.out.join('\n')) as { counts: Record<string, number>; schemaVersion: number };
    expect(report.counts.conversations).toBe(1);
    expect(report.counts.articles).toBeGreaterThanOrEqual(68);

    // Changes after the backup are rolled back by the restore.
    const c = await t.request('/v1/conversations', { method: 'POST', token: t.tokens.kiosk, json: { language: 'zh' } });
    expect(c.status).toBe(201);
    await t.close();
    const r = io(env);
    expect(await runCommand('restore', [target], r.io)).toBe(0);
    expect(r.out.join()).toMatch(/before-restore/);
    t = await startTestAppliance({}, { dataDir: t.dataDir });
    const list = (await (await t.request('/v1/conversations', { token: t.tokens.supervisor })).json()) as { total: number };
    expect(list.total).toBe(1);
  });

  it('refuses to restore a damaged file and leaves the database alone', async () => {
    const bad = join(work, 'bad.db');
    writeFileSync(bad, 'this is not a database');
    const r = io(env);
    expect(await runCommand('restore', [bad], r.io)).toBe(2);
    expect(r.err.join()).toMatch(/VALIDATION_FAILED: .*(not a database|not a SQLite database|integrity)/);
    const v = io(env);
    expect(await runCommand('verify-backup', [bad], v.io)).toBe(2);
    // The live database was not touched.
    const list = (await (await t.request('/v1/conversations', { token: t.tokens.supervisor })).json()) as { total: number };
    expect(list.total).toBe(1);
  });
});

describe('switchboard kb', () => {
  it('exports and re-imports the knowledge base', async () => {
    const file = join(work, 'kb.csv');
    const e = io(env);
    expect(await runCommand('kb', ['export', file, '--language', 'zh'], e.io)).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('挂失');
    const i = io(env);
    expect(await runCommand('kb', ['import', file, '--json'], i.io)).toBe(0);
    expect(JSON.parse(i.out.join('\n'))).toMatchObject({ created: 0, updated: 0 });
  });

  it('reports a bad import file with the records at fault', async () => {
    const file = join(work, 'bad.json');
    writeFileSync(file, '[{"topic":"x","language":"fr","category":"fees","title":"","body":"b"}]');
    const i = io(env);
    expect(await runCommand('kb', ['import', file], i.io)).toBe(1);
    expect(i.err.join()).toMatch(/KB_IMPORT_INVALID/);
  });
});

describe('switchboard config and account', () => {
  it('validates the shipped profiles and names the line of a mistake', async () => {
    const ok = io({});
    expect(await runCommand('config', ['validate', join(import.meta.dirname, '..', '..', 'firmware-config', 'kiosk-branch.yaml')], ok.io)).toBe(0);
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, 'branchId: x\nport: 99999\n');
    const b = io({});
    expect(await runCommand('config', ['validate', bad], b.io)).toBe(1);
    expect(b.err.join()).toMatch(/port \(line 2\)/);
  });

  it('creates an account from a password file, refusing a weak password', async () => {
    const pw = join(work, 'pw');
    writeFileSync(pw, 'supervisor password 42\n');
    const a = io(env);
    expect(await runCommand('account', ['create', 'lin', '--role', 'supervisor', '--password-file', pw], a.io)).toBe(0);
    const login = await t.request('/v1/auth/login', { method: 'POST', json: { username: 'lin', password: 'supervisor password 42' } });
    expect(login.status).toBe(200);
    writeFileSync(pw, 'short\n');
    const w = io(env);
    expect(await runCommand('account', ['create', 'weak', '--role', 'agent', '--password-file', pw], w.io)).toBe(2);
  });

  it('lists every command in the help and answers --help per command', async () => {
    expect(usage()).toMatch(/backup[\s\S]*restore[\s\S]*kb[\s\S]*config[\s\S]*account/);
    const h = io({});
    expect(await runCommand('backup', ['--help'], h.io)).toBe(0);
    expect(h.out.join()).toMatch(/Usage: switchboard backup/);
    const u = io({});
    expect(await runCommand('nope', [], u.io)).toBe(2);
  });
});
