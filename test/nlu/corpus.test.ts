// Training data sources: intent YAML files (validated) and published knowledge-base articles.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { corpusHash, IntentFileError, intentsFromArticles, loadIntentFiles } from '../../src/nlu/index.ts';
import type { Article } from '../../src/knowledge/types.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'nlu-intents-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadIntentFiles', () => {
  it('reads every YAML file in the folder', () => {
    writeFileSync(
      join(dir, 'account.yaml'),
      `intents:
  - name: password.reset
    examples:
      en: ["I forgot my password", "reset my password"]
      zh: ["我忘记密码了", "重置密码"]
`,
    );
    writeFileSync(join(dir, 'chatter.yml'), `intents:\n  - name: none\n    examples:\n      en: ["tell me a joke"]\n`);
    writeFileSync(join(dir, 'README.md'), 'not an intent file');
    expect(loadIntentFiles(dir)).toEqual([
      { name: 'password.reset', examples: { en: ['I forgot my password', 'reset my password'], zh: ['我忘记密码了', '重置密码'] } },
      { name: 'none', examples: { en: ['tell me a joke'] } },
    ]);
  });

  it.each([
    ['bad.yaml', 'intents:\n  - name: card.lost\n    examples:\n      en: []\n', /bad\.yaml, intent "card\.lost": .*no examples/],
    ['bad.yaml', 'intents:\n  - name: card.lost\n    examples:\n      fr: ["carte perdue"]\n', /bad\.yaml, intent "card\.lost": /],
    ['bad.yaml', 'intents:\n  - name: Card Lost\n    examples:\n      en: ["x"]\n', /bad\.yaml, intent "Card Lost": intent names/],
    ['bad.yaml', 'intents:\n  - examples:\n      en: ["x"]\n', /bad\.yaml, intent "#1": /],
    ['bad.yaml', 'intents: [unclosed\n', /bad\.yaml: not valid YAML/],
    ['bad.yaml', 'something: else\n', /bad\.yaml: .* at intents/],
  ])('rejects %s with an error naming the file and intent (%#)', (file, source, message) => {
    writeFileSync(join(dir, file), source);
    expect(() => loadIntentFiles(dir)).toThrow(IntentFileError);
    expect(() => loadIntentFiles(dir)).toThrow(message);
  });

  it('rejects an intent defined in two files', () => {
    writeFileSync(join(dir, 'a.yaml'), 'intents:\n  - name: x\n    examples:\n      en: ["a"]\n');
    writeFileSync(join(dir, 'b.yaml'), 'intents:\n  - name: x\n    examples:\n      en: ["b"]\n');
    expect(() => loadIntentFiles(dir)).toThrow(/b\.yaml, intent "x": already defined in a\.yaml/);
  });
});

function article(overrides: Partial<Article>): Article {
  return {
    id: 'lost-card.en',
    topic: 'lost-card',
    language: 'en',
    category: 'cards',
    title: 'What to do if you lose your card',
    body: 'Call us.',
    tags: [],
    questions: ['I lost my card', 'my card is missing'],
    status: 'published',
    version: 1,
    createdAt: '2024-05-18T00:00:00Z',
    updatedAt: '2024-05-18T00:00:00Z',
    ...overrides,
  };
}

describe('intentsFromArticles', () => {
  it('turns each published topic into a kb.<topic> intent with titles and questions per language', () => {
    const intents = intentsFromArticles([
      article({}),
      article({ id: 'lost-card.zh', language: 'zh', title: '银行卡丢失怎么办', questions: ['我的卡丢了'] }),
      article({ id: 'fees.en', topic: 'fees', title: 'Fees', questions: [], status: 'draft' }),
      article({ id: 'old.en', topic: 'old', status: 'archived' }),
    ]);
    expect(intents).toEqual([
      {
        name: 'kb.lost-card',
        examples: {
          en: ['What to do if you lose your card', 'I lost my card', 'my card is missing'],
          zh: ['银行卡丢失怎么办', '我的卡丢了'],
        },
      },
    ]);
  });
});

describe('corpusHash', () => {
  it('ignores file and example order but not content', () => {
    const a = { name: 'a', examples: { en: ['one', 'two'] } };
    const b = { name: 'b', examples: { zh: ['三'] } };
    expect(corpusHash({ intents: [a, b] })).toBe(corpusHash({ intents: [b, { name: 'a', examples: { en: ['two', 'one'] } }] }));
    expect(corpusHash({ intents: [a, b] })).not.toBe(corpusHash({ intents: [a] }));
  });
});
