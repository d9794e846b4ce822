// The bundled demo KB: it must load, cover every required topic in both languages, give the
// NLU enough distinct phrasings per topic, and seed an empty KB exactly once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDemoArticles, seedKnowledgeBase, type ImportProblem } from '../../src/knowledge/index.ts';
import { listDomainEvents } from '../../src/store/index.ts';
import { catchAppError, lostCardEn, openTestKb, type TestKb } from './helpers.ts';

const DEMO = 'models/knowledge/demo-kb.json';
const REQUIRED_TOPICS = [
  'opening-hours', 'holiday-hours', 'branch-location', 'lost-card', 'card-activation', 'card-pin-reset', 'card-fees',
  'credit-card-application', 'debit-card-replacement', 'password-reset', 'account-opening', 'account-closing',
  'account-documents', 'balance-inquiry', 'statement-request', 'transfer-limits', 'international-transfer',
  'foreign-exchange', 'loan-application', 'mortgage-rates', 'personal-loan-eligibility', 'loan-repayment',
  'atm-locations', 'atm-card-retained', 'fees-overview', 'overdraft', 'mobile-app', 'internet-banking-locked',
  'fraud-report', 'change-address', 'change-phone', 'appointment-booking', 'safe-deposit-box',
];
const CATEGORIES = ['accounts', 'cards', 'loans', 'opening-hours', 'password-reset', 'lost-card', 'fees', 'branch-services', 'digital-banking', 'payments'];

describe('demo knowledge base file', () => {
  const articles = loadDemoArticles(DEMO);

  it('has at least 64 articles, every required topic in both zh and en', () => {
    expect(articles.length).toBeGreaterThanOrEqual(64);
    const byTopic = new Map<string, string[]>();
    for (const a of articles) byTopic.set(a.topic, [...(byTopic.get(a.topic) ?? []), a.language]);
    for (const topic of REQUIRED_TOPICS) expect(byTopic.get(topic)?.sort(), topic).toEqual(['en', 'zh']);
    for (const [topic, langs] of byTopic) expect(langs.sort(), topic).toEqual(['en', 'zh']);
    expect(byTopic.size).toBeGreaterThanOrEqual(32);
  });

  it('uses only the agreed categories, each at least once, with 3–6 distinct questions per article', () => {
    expect(new Set(articles.map((a) => a.category))).toEqual(new Set(CATEGORIES));
    for (const a of articles) {
      expect(a.questions.length, a.id).toBeGreaterThanOrEqual(3);
      expect(a.questions.length, a.id).toBeLessThanOrEqual(6);
      expect(a.status, a.id).toBe('published');
    }
    // A phrasing used by two topics would train two intents on the same example.
    const owner = new Map<string, string>();
    for (const a of articles) {
      for (const q of a.questions) {
        const key = q.toLowerCase().replace(/[\s?？!！,，.。]/g, '');
        expect(owner.get(key), `"${q}" in ${a.id} and ${owner.get(key)}`).toBeUndefined();
        owner.set(key, a.id);
      }
    }
  });

  it('keeps answers kiosk-sized and in the article language', () => {
    for (const a of articles) {
      expect(a.body.length, a.id).toBeLessThanOrEqual(a.language === 'zh' ? 200 : 500);
      const cjk = (a.body.match(/\p{Script=Han}/gu) ?? []).length;
      if (a.language === 'zh') expect(cjk, a.id).toBeGreaterThan(a.body.length / 3);
      else expect(cjk, a.id).toBe(0);
    }
  });
});

describe('loadDemoArticles', () => {
  let t: TestKb;
  beforeEach(() => {
    t = openTestKb();
  });
  afterEach(() => t.cleanup());

  it('refuses an invalid file with KB_IMPORT_INVALID naming the record', () => {
    const path = join(t.dir, 'bad.json');
    writeFileSync(path, JSON.stringify([lostCardEn, { ...lostCardEn, topic: 'x', language: 'xx' }]));
    const err = catchAppError(() => loadDemoArticles(path), 'KB_IMPORT_INVALID');
    expect((err.details as { problems: ImportProblem[] }).problems).toEqual([expect.objectContaining({ record: 2, field: 'language' })]);
  });

  it('refuses a missing file with KB_IMPORT_INVALID', () => {
    catchAppError(() => loadDemoArticles(join(t.dir, 'absent.json')), 'KB_IMPORT_INVALID');
  });
});

describe('seedKnowledgeBase', () => {
  let t: TestKb;
  beforeEach(() => {
    t = openTestKb();
  });
  afterEach(() => t.cleanup());

  it('seeds an empty KB once and records an event per article', () => {
    const articles = loadDemoArticles(DEMO);
    expect(seedKnowledgeBase(t.kb, articles)).toEqual({ created: articles.length, updated: 0, unchanged: 0 });
    expect(t.kb.list().total).toBe(articles.length);
    expect(listDomainEvents(t.db, { limit: 10_000 }).filter((e) => e.type === 'article.created')).toHaveLength(articles.length);
    expect(seedKnowledgeBase(t.kb, articles)).toBeNull();
    expect(t.kb.list().total).toBe(articles.length);
  });

  it('does nothing when the KB already has, or ever had, articles', () => {
    const articles = loadDemoArticles(DEMO);
    t.kb.create(lostCardEn);
    expect(seedKnowledgeBase(t.kb, articles)).toBeNull();
    expect(t.kb.list().total).toBe(1);
    t.kb.remove('lost-card.en');
    expect(seedKnowledgeBase(t.kb, articles)).toBeNull();
    expect(t.kb.list().total).toBe(0);
  });
});
