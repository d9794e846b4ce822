// Fallback for messages the NLU could not place: a KB search answers only when its top hit is
// clearly the answer; otherwise the bot says what it can do.
import { describe, expect, it } from 'vitest';
import { clearlyRelevantArticle } from '../../src/dialog/fallback.ts';
import { ARTICLES, demoFlows, knowledgeStub, makeDeps, msg, runScript, type Script } from './fixtures.ts';

const Q_EN = 'is there a cash machine nearby';
const Q_ZH = '附近哪里能取钱';

const scripts: Script[] = [
  {
    name: 'clearly relevant top hit is answered with its citation (en)',
    deps: makeDeps({ search: { [Q_EN]: [['atm-locations.en', 16.97], ['opening-hours.en', 10.02]] } }),
    steps: [[msg(Q_EN, { intent: null }), { says: ['ATMs are in the lobby', 'anything else'], cites: ['atm-locations.en'], actions: [] }]],
  },
  {
    name: 'clearly relevant top hit is answered with its citation (zh)',
    deps: makeDeps({ search: { [Q_ZH]: [['atm-locations.zh', 15.04], ['opening-hours.zh', 9.1]] } }),
    steps: [[msg(Q_ZH, { intent: null }), { says: ['ATM位于大堂'], cites: ['atm-locations.zh'] }]],
  },
  {
    name: 'two close hits: no answer, a clarifying reply instead',
    deps: makeDeps({ search: { [Q_EN]: [['atm-locations.en', 5.17], ['opening-hours.en', 4.98]] } }),
    steps: [[msg(Q_EN, { intent: null }), { says: ["didn't quite understand", 'resetting your online banking password'], notSays: ['ATMs'], cites: [] }]],
  },
  {
    name: 'a weak single hit is not answered',
    deps: makeDeps({ search: { [Q_EN]: [['atm-locations.en', 6.78]] } }),
    steps: [[msg(Q_EN, { intent: null }), { notSays: ['ATMs'], says: ["didn't quite understand"] }]],
  },
  {
    name: 'a hit in the other language is not answered',
    deps: makeDeps({ search: { [Q_ZH]: [['atm-locations.en', 20]] } }),
    steps: [[msg(Q_ZH, { intent: null }), { notSays: ['ATMs'], says: ['抱歉，我没有完全理解'] }]],
  },
  {
    name: 'a kb intent whose article is missing falls back to the search',
    deps: makeDeps({ search: { 'how do I activate my new card': [['lost-card.en', 14.3]] } }),
    steps: [[msg('how do I activate my new card', { intent: 'kb.card-activation' }), { cites: ['lost-card.en'] }]],
  },
  {
    name: 'a KB answer counts as understood and resolved',
    deps: makeDeps({ search: { [Q_EN]: [['atm-locations.en', 12]] } }),
    steps: [
      [msg('blah', { intent: null }), { actions: [] }],
      [msg(Q_EN, { intent: null }), { cites: ['atm-locations.en'], actions: [] }],
      [msg('blah', { intent: null }), { actions: [] }],
      [msg('bye', { intent: 'goodbye' }), { outcome: 'resolved' }],
    ],
  },
];

describe('fallback', () => {
  it.each(scripts.map((s) => [s.name, s] as const))('%s', (_name, script) => {
    runScript(script);
  });

  it('the KB is not searched in the middle of a question: a wrong answer is re-asked', () => {
    const knowledge = knowledgeStub({ banana: [['atm-locations.en', 9]] });
    const deps = makeDeps({ knowledge });
    runScript({
      name: 'no-search-mid-flow',
      deps,
      steps: [
        [msg('reset my password', { intent: 'password.reset' }), {}],
        [msg('banana', { intent: null }), { notSays: ['ATMs'], says: ['e-mail address or your phone number'] }],
      ],
    });
    expect(knowledge.searches).toEqual([]);
  });
});

describe('score rule', () => {
  const en = ARTICLES.find((a) => a.id === 'atm-locations.en')!;
  const other = ARTICLES.find((a) => a.id === 'opening-hours.en')!;
  const hit = (article: typeof en, score: number) => ({ article, score, snippet: '' });
  const rule = demoFlows().settings.kbFallback;
  it.each([
    ['single strong hit', [hit(en, 14.15)], rule, true],
    ['exactly at the margin', [hit(en, 14), hit(other, 10)], rule, true],
    ['below the margin', [hit(en, 13.9), hit(other, 10)], rule, false],
    ['below the minimum score', [hit(en, 7.99)], rule, false],
    ['no hits', [], rule, false],
    ['disabled', [hit(en, 9)], { ...rule, enabled: false }, false],
  ] as const)('%s', (_name, hits, r, answers) => {
    expect(clearlyRelevantArticle(hits, 'en', r) !== null).toBe(answers);
  });
});
