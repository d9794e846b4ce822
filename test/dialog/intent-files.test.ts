// The demo intent files: the exact format the NLU loader reads, every intent the dialog needs,
// enough varied examples per language, and no example claimed by two intents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/dialog/index.ts';
import { FLOWS_DIR, INTENTS_DIR } from './fixtures.ts';

const intentFile = z.strictObject({
  intents: z.array(
    z.strictObject({
      name: z.string().regex(/^[a-z][a-z.-]*$/),
      examples: z.strictObject({ en: z.array(z.string().min(1)), zh: z.array(z.string().min(1)) }),
    }),
  ),
});

function loadIntentFiles() {
  return readdirSync(INTENTS_DIR)
    .filter((n) => n.endsWith('.yaml'))
    .flatMap((n) => intentFile.parse(parse(readFileSync(join(INTENTS_DIR, n), 'utf8'))).intents);
}

const REQUIRED = [
  'greet', 'thanks', 'goodbye', 'affirm', 'deny', 'cancel', 'repeat', 'agent.request', 'none',
  'password.reset', 'card.lost', 'balance.inquiry', 'appointment.book', 'statement.request',
];

describe('demo intent files', () => {
  const intents = loadIntentFiles();

  it('define every intent the dialog handles, once', () => {
    const names = intents.map((i) => i.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.sort()).toEqual([...REQUIRED].sort());
  });

  it.each(REQUIRED)('%s has 15–30 examples per language (none: at least 30)', (name) => {
    const intent = intents.find((i) => i.name === name)!;
    for (const lang of ['en', 'zh'] as const) {
      const n = intent.examples[lang].length;
      if (name === 'none') expect(n).toBeGreaterThanOrEqual(30);
      else {
        expect(n, `${name}/${lang}`).toBeGreaterThanOrEqual(15);
        expect(n, `${name}/${lang}`).toBeLessThanOrEqual(30);
      }
    }
  });

  it('no example belongs to two intents', () => {
    const seen = new Map<string, string>();
    for (const intent of intents) {
      for (const text of [...intent.examples.en, ...intent.examples.zh]) {
        const key = text.toLowerCase().replace(/[\p{P}\s]+/gu, '');
        expect(seen.get(key) ?? intent.name, `"${text}"`).toBe(intent.name);
        seen.set(key, intent.name);
      }
    }
  });

  it('every flow trigger (other than kb topics) is an intent from these files', () => {
    expect(() => loadFlows(FLOWS_DIR, { knownIntents: intents.map((i) => i.name) })).not.toThrow();
  });
});
