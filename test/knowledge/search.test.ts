// Search as customers use it: realistic English and Chinese questions against the demo branch
// KB must put the right article first; anything they type must be safe plain text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoArticles, seedKnowledgeBase } from '../../src/knowledge/index.ts';
import { catchAppError, lostCardEn, openingHoursEn, openTestKb, type TestKb } from './helpers.ts';

const DEMO = 'models/knowledge/demo-kb.json';

describe('search over the demo branch KB', () => {
  let t: TestKb;
  beforeAll(() => {
    t = openTestKb();
    seedKnowledgeBase(t.kb, loadDemoArticles(DEMO));
  });
  afterAll(() => t.cleanup());

  it.each([
    ['I lost my card', 'lost-card.en'],
    ['what time do you open', 'opening-hours.en'],
    ['opening hours', 'opening-hours.en'],
    ['the ATM swallowed my card', 'atm-card-retained.en'],
    ['forgot my online banking password', 'password-reset.en'],
    ['send money abroad', 'international-transfer.en'],
    ['safe deposit box price', 'safe-deposit-box.en'],
  ])('English "%s" → %s first', (query, expected) => {
    const hits = t.kb.search(query, { language: 'en' });
    expect(hits[0]?.article.id).toBe(expected);
  });

  it.each([
    ['挂失', 'lost-card.zh'],
    ['我的卡丢了怎么办', 'lost-card.zh'],
    ['几点开门', 'opening-hours.zh'],
    ['ATM吞卡了', 'atm-card-retained.zh'],
    ['换外币', 'foreign-exchange.zh'],
    ['保险箱', 'safe-deposit-box.zh'],
  ])('Chinese "%s" → %s first', (query, expected) => {
    const hits = t.kb.search(query, { language: 'zh' });
    expect(hits[0]?.article.id).toBe(expected);
  });

  it('finds two-character Chinese words that a trigram index alone would miss', () => {
    const password = t.kb.search('密码', { language: 'zh' });
    expect(password[0]?.article.category).toBe('password-reset');
    expect(password.map((h) => h.article.id)).toEqual(expect.arrayContaining(['password-reset.zh', 'card-pin-reset.zh']));
    const loans = t.kb.search('贷款', { language: 'zh' });
    expect(loans[0]?.article.category).toBe('loans');
  });

  it('ranks best first with positive scores and a snippet from the answer', () => {
    const hits = t.kb.search('I lost my card', { language: 'en', limit: 5 });
    expect(hits.length).toBeGreaterThan(1);
    const scores = hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((s) => s > 0)).toBe(true);
    expect(hits[0]!.snippet).toMatch(/card/i);
    expect(hits[0]!.snippet.length).toBeLessThanOrEqual(130);
  });

  it('keeps to the requested language and category', () => {
    expect(t.kb.search('card', { language: 'zh' })).toEqual([]);
    const hits = t.kb.search('card', { language: 'en', category: 'fees', limit: 50 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.article.category === 'fees' && h.article.language === 'en')).toBe(true);
  });
});

describe('search matching rules', () => {
  let t: TestKb;
  beforeAll(() => {
    t = openTestKb();
    t.kb.create({ ...lostCardEn, body: 'Block the card at once in the app.', tags: [], questions: [] });
    t.kb.create(openingHoursEn);
    t.kb.create({ topic: 'loan-help', language: 'zh', category: 'loans', title: '贷款咨询', body: '个人贷款请找客户经理。' });
    t.kb.create({ topic: 'draft-topic', language: 'en', category: 'cards', title: 'Draft card news', body: 'Not yet public.', status: 'draft' });
  });
  afterAll(() => t.cleanup());

  it('stems English: "cards" finds an article that only says "card", "opened" finds "opening"', () => {
    expect(t.kb.search('cards', { language: 'en' }).map((h) => h.article.id)).toEqual(['lost-card.en']);
    expect(t.kb.search('opened', { language: 'en' }).map((h) => h.article.id)).toEqual(['opening-hours.en']);
  });

  it('matches a single Chinese character and full-width Latin', () => {
    expect(t.kb.search('贷', { language: 'zh' }).map((h) => h.article.id)).toEqual(['loan-help.zh']);
    expect(t.kb.search('ＣＡＲＤ').map((h) => h.article.id)).toEqual(['lost-card.en']);
  });

  it('returns only published articles unless asked for another status', () => {
    expect(t.kb.search('draft', { language: 'en' })).toEqual([]);
    expect(t.kb.search('draft', { status: 'draft' }).map((h) => h.article.id)).toEqual(['draft-topic.en']);
    expect(t.kb.search('draft', { status: 'any' }).map((h) => h.article.id)).toEqual(['draft-topic.en']);
  });

  it('returns nothing (not an error) for a query that matches no article', () => {
    expect(t.kb.search('zebra crossing')).toEqual([]);
  });

  it.each([
    ['"'],
    ['AND ('],
    ['title:foo'],
    ['*'],
    ['NEAR('],
    ['card" OR body:*'],
    ["'; DROP TABLE articles; --"],
    ['card AND (lost'],
    ['NEAR(card lost, 2)'],
    ['^card'],
    ['lost -card +block'],
    ['{title body}: card'],
    ['😀💳'],
    ['卡"丢了'],
  ])('treats %j as plain text: results or KB_QUERY_INVALID, never an SQLite error', (query) => {
    let hits: unknown[] | undefined;
    try {
      hits = t.kb.search(query);
    } catch (err) {
      expect(err).toMatchObject({ name: 'AppError', code: 'KB_QUERY_INVALID' });
    }
    if (hits) expect(Array.isArray(hits)).toBe(true);
    // The articles table survived whatever was typed.
    expect(t.kb.get('lost-card.en').id).toBe('lost-card.en');
  });

  it('searches the words inside FTS-looking input as words', () => {
    expect(t.kb.search('card" OR body:*', { language: 'en' })[0]?.article.id).toBe('lost-card.en');
    expect(t.kb.search('NEAR(block card)', { language: 'en' })[0]?.article.id).toBe('lost-card.en');
    expect(t.kb.search('title:opening', { language: 'en' })[0]?.article.id).toBe('opening-hours.en');
  });

  it.each([[''], ['   '], ['*'], ['"'], ['?!…'], ['😀💳'], ['-- ;']])('refuses %j, which has nothing searchable, with KB_QUERY_INVALID', (query) => {
    catchAppError(() => t.kb.search(query), 'KB_QUERY_INVALID');
  });

  it('refuses an overly long query with KB_QUERY_INVALID', () => {
    catchAppError(() => t.kb.search('card '.repeat(200)), 'KB_QUERY_INVALID');
  });

  it('refuses out-of-range options with VALIDATION_FAILED', () => {
    catchAppError(() => t.kb.search('card', { limit: 500 }), 'VALIDATION_FAILED');
  });
});
