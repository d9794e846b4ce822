// The installer's selftest on a provisioned data directory: real espeak-ng, real libvosk with
// the demo model, the real NLU model and knowledge base — in both languages.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../src/cli/index.ts';
import { containsInOrder } from '../../src/cli/selftest.ts';
import { startTestAppliance } from '../support/appliance.ts';

describe('switchboard selftest', () => {
  it.each(['en', 'zh'])('passes every check in %s and says what it heard', async (language) => {
    const t = await startTestAppliance();
    await t.close(); // provisioned: database, demo knowledge, trained model on disk
    const out: string[] = [];
    const code = await runCommand('selftest', ['--language', language, '--json'], { out: (l) => out.push(l), err: (l) => out.push(l), env: { SWITCHBOARD_DATA_DIR: t.dataDir } });
    const report = JSON.parse(out.join('\n')) as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    expect(report.checks.filter((c) => !c.ok)).toEqual([]);
    expect(code).toBe(0);
    expect(report.checks.map((c) => c.name)).toEqual(['database', 'knowledge', 'speech synthesis', 'speech recognition', 'understanding', 'answer']);
    expect(report.checks.find((c) => c.name === 'answer')?.detail).toContain(`opening-hours.${language}`);
  }, 120_000);

  it('fails with a clear reason when the speech model is missing, and exits non-zero', async () => {
    const t = await startTestAppliance();
    await t.close();
    const out: string[] = [];
    const emptyModels = mkdtempSync(join(tmpdir(), 'sb-nomodels-'));
    const code = await runCommand('selftest', [], { out: (l) => out.push(l), err: (l) => out.push(l), env: { SWITCHBOARD_DATA_DIR: t.dataDir, SWITCHBOARD_SPEECH__MODELS_DIR: emptyModels } });
    expect(code).toBe(1);
    const text = out.join('\n');
    expect(text).toMatch(/FAIL\s+speech recognition/);
    expect(text).toMatch(/selftest FAILED/);
  }, 120_000);
});

describe('selftest transcript check', () => {
  it('accepts the expected words in order with other words between, and nothing else', () => {
    expect(containsInOrder('open hours', 'open hours')).toBe(true);
    expect(containsInOrder('open nine hours', 'open hours')).toBe(true);
    expect(containsInOrder('yes open hours goodbye', 'open hours')).toBe(true);
    expect(containsInOrder('hours open', 'open hours')).toBe(false);
    expect(containsInOrder('open', 'open hours')).toBe(false);
    expect(containsInOrder('opening hours', 'open hours')).toBe(false);
    expect(containsInOrder('', 'open hours')).toBe(false);
    expect(containsInOrder('anything', '')).toBe(false);
    // Hanzi compare by character: the transcript joins Chinese words without spaces
    expect(containsInOrder('营业时间', '营业时间')).toBe(true);
    expect(containsInOrder('是营业一时间', '营业时间')).toBe(true);
    expect(containsInOrder('营业', '营业时间')).toBe(false);
  });
});
