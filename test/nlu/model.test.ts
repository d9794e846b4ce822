// Intent classification on a small bilingual corpus: right intent, sensible confidence,
// out-of-scope queries handed off, and a model that survives a JSON round trip unchanged.
import { describe, expect, it } from 'vitest';
import { loadModel, ModelFormatError, trainModel, type TrainingCorpus } from '../../src/nlu/index.ts';
import { bilingualCorpus } from './fixtures.ts';

const trainedAt = new Date('2024-05-18T08:00:00Z');
const model = trainModel(bilingualCorpus, {}, () => trainedAt);

describe('trainModel / understand', () => {
  it.each([
    ['I forgot my password again', 'password.reset'],
    ['my card got stolen', 'card.lost'],
    ['I need my money back', 'refund.request'],
    ['when do you open', 'opening.hours'],
    ['where is my parcel', 'order.status'],
    ['我密码忘了', 'password.reset'],
    ['卡被偷了', 'card.lost'],
    ['我要退钱', 'refund.request'],
    ['转人工客服', 'agent.request'],
    ['几点开门', 'opening.hours'],
    ['我的包裹到哪了', 'order.status'],
  ])('%s → %s', (text, intent) => {
    const u = model.understand(text);
    expect(u.intent).toBe(intent);
    expect(u.outOfScope).toBe(false);
    expect(u.confidence).toBeGreaterThan(0.5);
    expect(u.ranking[0]).toEqual({ intent, score: u.confidence });
  });

  it.each(["what's the weather on Mars", '火星上的天气怎么样', 'what is the capital of France', '今天股票涨了吗', 'tell me a joke please', ''])(
    'hands off out-of-scope "%s"',
    (text) => {
      const u = model.understand(text);
      expect(u.outOfScope).toBe(true);
      expect(u.intent).toBeNull();
      expect(u.confidence).toBeLessThan(0.5);
    },
  );

  it('gives confidence near 1 to a training sentence and a ranking that is calibrated and ordered', () => {
    const u = model.understand('I forgot my password');
    expect(u.confidence).toBeGreaterThan(0.95);
    expect(u.ranking).toHaveLength(5);
    const scores = u.ranking.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    expect(u.ranking.map((r) => r.intent)).not.toContain('none');
  });

  it('routes by detected language and fills in entities and language fields', () => {
    const u = model.understand('我的order号是 AB123, 到哪了', { referenceDate: trainedAt });
    expect(u.language).toBe('zh');
    expect(u.languageConfidence).toBeGreaterThan(0.5);
    expect(u.intent).toBe('order.status');
    expect(u.entities).toEqual([{ type: 'order_number', value: 'AB123', text: 'AB123', start: 10, end: 15 }]);
  });

  it('uses the language hint for text without letters', () => {
    expect(model.understand('12345678', { languageHint: 'zh' }).language).toBe('zh');
  });

  it('serves a language without training data from the other language', () => {
    const enOnly = trainModel({ intents: bilingualCorpus.intents.map((i) => ({ name: i.name, examples: { en: i.examples.en ?? [] } })) });
    expect(enOnly.understand('我忘记密码了').language).toBe('zh');
    expect(enOnly.understand('reset my password please').intent).toBe('password.reset');
  });

  it('lists the answerable intents without "none"', () => {
    expect(model.intents).toEqual(['agent.request', 'card.lost', 'opening.hours', 'order.status', 'password.reset', 'refund.request']);
  });
});

describe('model identity and persistence', () => {
  it('is deterministic: same corpus and options give the same version and answers', () => {
    const again = trainModel({ intents: [...bilingualCorpus.intents].reverse() }, {}, () => trainedAt);
    expect(again.version).toBe(model.version);
    expect(again.understand('where is my parcel')).toEqual(model.understand('where is my parcel'));
  });

  it('changes version when the corpus or the options change', () => {
    const corpus: TrainingCorpus = { intents: [...bilingualCorpus.intents, { name: 'extra', examples: { en: ['something else entirely'] } }] };
    expect(trainModel(corpus).version).not.toBe(model.version);
    expect(trainModel(bilingualCorpus, { svm: { C: 1 } }).version).not.toBe(model.version);
  });

  it('round-trips through JSON with identical answers', () => {
    const restored = loadModel(JSON.stringify(model.toJSON()));
    expect(restored.version).toBe(model.version);
    expect(restored.trainedAt).toBe('2024-05-18T08:00:00.000Z');
    for (const text of ['where is my parcel', '卡被偷了', "what's the weather on Mars"]) {
      expect(restored.understand(text)).toEqual(model.understand(text));
    }
  });

  it.each([
    ['not JSON', '{"format":'],
    ['wrong format', JSON.stringify({ format: 'something-else' })],
    ['truncated weights', JSON.stringify({ ...model.toJSON(), classifiers: { en: { ...model.toJSON().classifiers.en!, weights: 'AAAA' } } })],
  ])('rejects a model that is %s', (_, json) => {
    expect(() => loadModel(json)).toThrow(ModelFormatError);
  });
});

describe('messages that are only an identifier', () => {
  it('carry their entity but no intent', async () => {
    const { hasWordsBesides } = await import('../../src/nlu/model.ts');
    const { extractEntities } = await import('../../src/nlu/index.ts');
    for (const [text, lang] of [['13800138000', 'zh'], ['li.wei@example.com', 'en'], ['+86 138 0013 8000', 'en']] as const) {
      expect(hasWordsBesides(text, extractEntities(text, lang))).toBe(false);
    }
    expect(hasWordsBesides('my phone is 13800138000', extractEntities('my phone is 13800138000', 'en'))).toBe(true);
  });
});
