// Flow data is validated at load: every problem is an AppError FLOW_INVALID naming file and path.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCatalog, loadFlows, type CatalogInput } from '../../src/dialog/index.ts';
import { AppError } from '../../src/errors/index.ts';
import { FLOWS_DIR } from './fixtures.ts';

const L = (en: string, zh = '中文') => ({ en, zh });

function validFlow(): Record<string, unknown> {
  return {
    id: 'demo',
    version: 1,
    title: L('a demo'),
    trigger: { intents: ['demo.start'] },
    slots: [
      { name: 'account', entity: 'account_number', prompt: L('Account?'), reprompt: L('Account number please') },
      { name: 'when', entity: 'date', prompt: L('When for {account:last4}?'), reprompt: L('A date please') },
    ],
    confirm: L('Go ahead for {account} on {when}?'),
    complete: { reply: L('Done for {account:last4}.'), ticket: { subject: 'Demo {account}', priority: 'high' } },
  };
}

/** Applies an edit to a fresh valid flow and returns the FLOW_INVALID error's problems. */
function problemsOf(edit: (flow: Record<string, unknown>) => void, extra: Partial<CatalogInput> = {}): { file: string; path: string; message: string }[] {
  const flow = validFlow();
  edit(flow);
  try {
    buildCatalog({ flows: [{ file: 'demo.yaml', content: flow }], ...extra });
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('FLOW_INVALID');
    return ((err as AppError).details as { problems: { file: string; path: string; message: string }[] }).problems;
  }
  throw new Error('expected FLOW_INVALID');
}

const slots = (f: Record<string, unknown>) => f['slots'] as Record<string, unknown>[];
const slot0 = (f: Record<string, unknown>) => slots(f)[0]!;

describe('flow validation', () => {
  it('accepts the valid base flow and the demo flows', () => {
    expect(buildCatalog({ flows: [{ file: 'demo.yaml', content: validFlow() }] }).flows.get('demo')?.defaultVersion).toBe(1);
    expect([...loadFlows(FLOWS_DIR).flows.keys()].sort()).toEqual(['appointment-booking', 'balance-inquiry', 'lost-card', 'password-reset', 'statement-request']);
  });

  it.each([
    ['unknown slot in the completion template', (f: Record<string, unknown>) => { f['complete'] = { reply: L('Done for {acount}.') }; }, 'complete.reply.en', 'placeholder {acount}'],
    ['unknown slot in the confirmation', (f: Record<string, unknown>) => { f['confirm'] = L('ok?', '好吗{nope}'); }, 'confirm.zh', 'placeholder {nope}'],
    ['a prompt naming a later slot', (f: Record<string, unknown>) => { slot0(f)['prompt'] = L('Account for {when}?'); }, 'slots.0.prompt.en', 'earlier slot'],
    ['an unknown template filter', (f: Record<string, unknown>) => { f['confirm'] = L('{account:first4}?'); }, 'confirm.en', 'unknown filter'],
    ['a ticket naming an unknown slot', (f: Record<string, unknown>) => { f['complete'] = { reply: L('x'), ticket: { subject: 'S {who}' } }; }, 'complete.ticket.subject', 'placeholder {who}'],
    ['a prompt missing its Chinese text', (f: Record<string, unknown>) => { slot0(f)['prompt'] = { en: 'Account?' }; }, 'slots.0.prompt.zh', ''],
    ['a slot with both entity and choices', (f: Record<string, unknown>) => { slot0(f)['choices'] = [{ value: 'a', label: L('a'), synonyms: {} }, { value: 'b', label: L('b'), synonyms: {} }]; }, 'slots.0', 'exactly one of'],
    ['an unknown entity type', (f: Record<string, unknown>) => { slot0(f)['entity'] = 'iban'; }, 'slots.0.entity', ''],
    ['fromSlot naming a non-choice slot', (f: Record<string, unknown>) => { slots(f)[1]!['entity'] = { fromSlot: 'account' }; }, 'slots.1.entity.fromSlot', 'choice slot'],
    ['a duplicate slot name', (f: Record<string, unknown>) => { slots(f)[1]!['name'] = 'account'; }, 'slots.1.name', 'duplicate'],
    ['a date constraint on a non-date slot', (f: Record<string, unknown>) => { slot0(f)['constraint'] = 'future'; }, 'slots.0.constraint', 'dates'],
    ['a broken pattern', (f: Record<string, unknown>) => { slot0(f)['pattern'] = '(\\d{4'; }, 'slots.0.pattern', 'regular expression'],
    ['a reserved intent as trigger', (f: Record<string, unknown>) => { f['trigger'] = { intents: ['affirm'] }; }, 'trigger.intents.0', 'engine'],
    ['an unknown field (typo)', (f: Record<string, unknown>) => { f['confrim'] = L('x'); }, '', 'confrim'],
    ['a bad priority', (f: Record<string, unknown>) => { f['complete'] = { reply: L('x'), ticket: { subject: 's', priority: 'asap' } }; }, 'complete.ticket.priority', ''],
  ])('%s', (_name, edit, path, text) => {
    const problems = problemsOf(edit);
    const problem = problems.find((p) => p.path === path);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.file).toBe('demo.yaml');
    expect(`${problem?.message} ${JSON.stringify(problems)}`).toContain(text);
  });

  it('rejects an unknown trigger intent when the intent names are known, but not kb topics', () => {
    const problems = problemsOf((f) => { f['trigger'] = { intents: ['demo.strat', 'kb.anything'] }; }, { knownIntents: ['demo.start'] });
    expect(problems).toEqual([expect.objectContaining({ path: 'trigger.intents.0', message: 'unknown intent "demo.strat"' })]);
  });

  it('rejects two flows on one intent and a duplicated version, naming both files', () => {
    const other = { ...validFlow(), id: 'other' };
    const err = (() => {
      try {
        buildCatalog({ flows: [{ file: 'a.yaml', content: validFlow() }, { file: 'b.yaml', content: other }, { file: 'c.yaml', content: validFlow() }] });
      } catch (e) {
        return e as AppError;
      }
      return null;
    })();
    expect(err?.code).toBe('FLOW_INVALID');
    expect(err?.message).toContain('b.yaml: trigger.intents.0: intent "demo.start" already starts flow "demo" (a.yaml)');
    expect(err?.message).toContain('c.yaml: version: flow "demo" version 1 is defined twice');
  });

  it('rejects experiments that name unknown flows or versions, and unknown message overrides', () => {
    const exp = (content: unknown) => ({ experiments: { file: 'experiments.yaml', content } });
    const variants = [{ id: 'a', weight: 1 }, { id: 'b', weight: 1, flowVersion: 9 }];
    expect(problemsOf(() => {}, exp({ experiments: [{ id: 'x', flow: 'demo', variants }] }))).toEqual([
      expect.objectContaining({ file: 'experiments.yaml', path: 'experiments.0.variants.1.flowVersion' }),
    ]);
    expect(problemsOf(() => {}, exp({ experiments: [{ id: 'x', flow: 'nope', variants }] }))[0]).toMatchObject({ path: 'experiments.0.flow' });
    expect(problemsOf(() => {}, exp({ experiments: [{ id: 'x', flow: 'demo', variants: [{ id: 'a', weight: 0 }, { id: 'b', weight: 0 }] }] }))[0]?.message).toContain('positive weight');
    expect(problemsOf(() => {}, { settings: { file: 'settings.yaml', content: { messages: { greting: L('hi') } } } })[0]).toMatchObject({ file: 'settings.yaml', path: 'messages.greting' });
  });

  it('every KB topic a demo flow cites exists in the demo KB in both languages', () => {
    const kb = JSON.parse(readFileSync(join(FLOWS_DIR, '..', 'knowledge', 'demo-kb.json'), 'utf8')) as { topic: string; language: string }[];
    for (const family of loadFlows(FLOWS_DIR).flows.values()) {
      for (const flow of family.versions.values()) {
        if (!flow.complete.cite) continue;
        const languages = kb.filter((a) => a.topic === flow.complete.cite).map((a) => a.language).sort();
        expect(languages, `${flow.id} cites ${flow.complete.cite}`).toEqual(['en', 'zh']);
      }
    }
  });

  it('loadFlows names the file for YAML syntax errors and schema errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flows-'));
    writeFileSync(join(dir, 'broken.yaml'), 'id: [unclosed\n');
    expect(() => loadFlows(dir)).toThrow(/broken\.yaml: \(root\): not valid YAML/);
    const dir2 = mkdtempSync(join(tmpdir(), 'flows-'));
    writeFileSync(join(dir2, 'bad.yaml'), 'id: Bad Id\nversion: 1\n');
    expect(() => loadFlows(dir2)).toThrow(/bad\.yaml: id: flow ids are kebab-case/);
  });
});
