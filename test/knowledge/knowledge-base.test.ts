// Article lifecycle against a real SQLite file: create/read/list, versioned updates with
// optimistic concurrency, hard delete with kept history, validation, and the domain events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDomainEvents } from '../../src/store/index.ts';
import { catchAppError, lostCardEn, lostCardZh, openingHoursEn, openTestKb, passwordZh, type TestKb } from './helpers.ts';

let t: TestKb;
beforeEach(() => {
  t = openTestKb();
});
afterEach(() => t.cleanup());

describe('create and read', () => {
  it('derives the id from topic and language and stores version 1 with defaults', () => {
    const a = t.kb.create(openingHoursEn);
    expect(a).toMatchObject({ id: 'opening-hours.en', version: 1, status: 'published', tags: [], createdAt: '2025-03-01T08:00:00.000Z' });
    expect(t.kb.get('opening-hours.en')).toEqual(a);
    expect(t.kb.findByTopic('opening-hours', 'en')).toEqual(a);
    expect(t.kb.findByTopic('opening-hours', 'zh')).toBeNull();
  });

  it('keeps an explicit id and trims text fields', () => {
    const a = t.kb.create({ ...lostCardEn, id: 'faq-17', title: '  Lost or stolen card  ', body: 'Line one\r\nLine two\n' });
    expect(a.id).toBe('faq-17');
    expect(a.title).toBe('Lost or stolen card');
    expect(a.body).toBe('Line one\nLine two');
  });

  it('refuses a duplicate id or a second article for the same topic and language', () => {
    t.kb.create(lostCardEn);
    catchAppError(() => t.kb.create(lostCardEn), 'KB_ARTICLE_EXISTS');
    const err = catchAppError(() => t.kb.create({ ...lostCardEn, id: 'other-id' }), 'KB_ARTICLE_EXISTS');
    expect(err.details).toMatchObject({ existingId: 'lost-card.en' });
    expect(t.kb.list().total).toBe(1);
  });

  it('reports an unknown id as KB_ARTICLE_NOT_FOUND', () => {
    catchAppError(() => t.kb.get('nope.en'), 'KB_ARTICLE_NOT_FOUND');
    catchAppError(() => t.kb.update('nope.en', { title: 'x' }), 'KB_ARTICLE_NOT_FOUND');
    catchAppError(() => t.kb.remove('nope.en'), 'KB_ARTICLE_NOT_FOUND');
    catchAppError(() => t.kb.history('nope.en'), 'KB_ARTICLE_NOT_FOUND');
  });
});

describe('validation', () => {
  it.each([
    ['empty title', { ...lostCardEn, title: '   ' }, 'title'],
    ['empty body', { ...lostCardEn, body: '' }, 'body'],
    ['unknown language', { ...lostCardEn, language: 'fr' }, 'language'],
    ['non-string tag', { ...lostCardEn, tags: ['ok', 42] }, 'tags.1'],
    ['tag with the CSV separator', { ...lostCardEn, tags: ['a|b'] }, 'tags.0'],
    ['title over 200 characters', { ...lostCardEn, title: 'x'.repeat(201) }, 'title'],
    ['topic that is not a slug', { ...lostCardEn, topic: 'Lost Card' }, 'topic'],
    ['unknown field', { ...lostCardEn, titel: 'typo' }, '(record)'],
  ])('refuses %s with VALIDATION_FAILED naming the field', (_name, input, field) => {
    const err = catchAppError(() => t.kb.create(input as never), 'VALIDATION_FAILED');
    const issues = (err.details as { issues: { field: string }[] }).issues;
    expect(issues.map((i) => i.field)).toContain(field);
    expect(t.kb.list().total).toBe(0);
  });

  it('refuses an update patch that would empty the body', () => {
    t.kb.create(lostCardEn);
    const err = catchAppError(() => t.kb.update('lost-card.en', { body: '  ' }), 'VALIDATION_FAILED');
    expect(JSON.stringify(err.details)).toContain('body');
    expect(t.kb.get('lost-card.en').version).toBe(1);
  });
});

describe('versioning', () => {
  it('bumps the version on each change and keeps every version in the history', () => {
    t.kb.create(lostCardEn);
    t.tick();
    const v2 = t.kb.update('lost-card.en', { title: 'Lost card' }, { actor: 'account:ann' });
    t.tick();
    const v3 = t.kb.update('lost-card.en', { status: 'archived' }, { expectedVersion: 2 });
    expect(v2.version).toBe(2);
    expect(v3).toMatchObject({ version: 3, title: 'Lost card', status: 'archived', createdAt: '2025-03-01T08:00:00.000Z', updatedAt: '2025-03-01T08:00:02.000Z' });

    const history = t.kb.history('lost-card.en');
    expect(history.map((h) => [h.version, h.change, h.title, h.status])).toEqual([
      [1, 'created', 'Lost or stolen card', 'published'],
      [2, 'updated', 'Lost card', 'published'],
      [3, 'updated', 'Lost card', 'archived'],
    ]);
    expect(history[1]!.actor).toBe('account:ann');
  });

  it('refuses a stale expectedVersion and leaves the article unchanged', () => {
    t.kb.create(lostCardEn);
    t.kb.update('lost-card.en', { title: 'Edited by Ann' }, { expectedVersion: 1 });
    const err = catchAppError(() => t.kb.update('lost-card.en', { title: 'Edited by Bob' }, { expectedVersion: 1 }), 'KB_VERSION_CONFLICT');
    expect(err.details).toMatchObject({ expectedVersion: 1, actualVersion: 2 });
    expect(t.kb.get('lost-card.en')).toMatchObject({ title: 'Edited by Ann', version: 2 });
    catchAppError(() => t.kb.remove('lost-card.en', { expectedVersion: 1 }), 'KB_VERSION_CONFLICT');
    expect(t.kb.get('lost-card.en').version).toBe(2);
  });

  it('does not create a version for a patch that changes nothing', () => {
    t.kb.create(lostCardEn);
    const same = t.kb.update('lost-card.en', { title: lostCardEn.title });
    expect(same.version).toBe(1);
    expect(t.kb.history('lost-card.en')).toHaveLength(1);
  });

  it('updates the search index with the new text', () => {
    t.kb.create(openingHoursEn);
    expect(t.kb.search('weekend', { language: 'en' })).toEqual([]);
    t.kb.update('opening-hours.en', { body: 'We are also open at the weekend from 10:00.' });
    expect(t.kb.search('weekend', { language: 'en' }).map((h) => h.article.id)).toEqual(['opening-hours.en']);
    expect(t.kb.search('Friday', { language: 'en' })).toEqual([]);
  });
});

describe('remove', () => {
  it('hard-deletes the article, drops it from search and keeps its history with a deleted version', () => {
    t.kb.create(lostCardEn);
    t.kb.update('lost-card.en', { title: 'Lost card' });
    t.kb.remove('lost-card.en');
    catchAppError(() => t.kb.get('lost-card.en'), 'KB_ARTICLE_NOT_FOUND');
    expect(t.kb.search('lost card', { language: 'en' })).toEqual([]);
    expect(t.kb.history('lost-card.en').map((h) => [h.version, h.change])).toEqual([
      [1, 'created'],
      [2, 'updated'],
      [3, 'deleted'],
    ]);
  });

  it('continues the version numbers when a deleted id is created again', () => {
    t.kb.create(lostCardEn);
    t.kb.remove('lost-card.en');
    const again = t.kb.create(lostCardEn);
    expect(again.version).toBe(3);
    expect(t.kb.search('stolen', { language: 'en' }).map((h) => h.article.id)).toEqual(['lost-card.en']);
  });
});

describe('list', () => {
  beforeEach(() => {
    t.kb.create(lostCardEn);
    t.kb.create(lostCardZh);
    t.kb.create(openingHoursEn);
    t.kb.create({ ...passwordZh, status: 'draft' });
  });

  it('filters by language, category, status and tag, and counts the total beyond the page', () => {
    expect(t.kb.list({ language: 'zh' }).items.map((a) => a.id)).toEqual(['lost-card.zh', 'password-reset.zh']);
    expect(t.kb.list({ category: 'lost-card' }).total).toBe(2);
    expect(t.kb.list({ status: 'draft' }).items.map((a) => a.id)).toEqual(['password-reset.zh']);
    expect(t.kb.list({ tag: 'urgent' }).items.map((a) => a.id)).toEqual(['lost-card.en']);
    const page = t.kb.list({ limit: 2, offset: 2 });
    expect(page.total).toBe(4);
    expect(page.items.map((a) => a.id)).toEqual(['opening-hours.en', 'password-reset.zh']);
  });

  it('refuses an out-of-range limit', () => {
    catchAppError(() => t.kb.list({ limit: 0 }), 'VALIDATION_FAILED');
  });
});

describe('domain events', () => {
  it('records one event per create, update and delete, in the same order', () => {
    t.kb.create(lostCardEn, { actor: 'account:ann' });
    t.kb.update('lost-card.en', { title: 'Lost card' }, { actor: 'account:bob' });
    t.kb.update('lost-card.en', { title: 'Lost card' }); // no change → no event
    t.kb.remove('lost-card.en', { actor: 'account:ann' });
    const events = listDomainEvents(t.db, { aggregateId: 'lost-card.en' });
    expect(events.map((e) => [e.type, e.aggregate, e.actor])).toEqual([
      ['article.created', 'article', 'account:ann'],
      ['article.updated', 'article', 'account:bob'],
      ['article.deleted', 'article', 'account:ann'],
    ]);
    expect(events[1]!.payload).toMatchObject({ article: { title: 'Lost card', version: 2 }, changed: ['title'] });
  });

  it('records no event when a write is refused', () => {
    t.kb.create(lostCardEn);
    catchAppError(() => t.kb.create(lostCardEn), 'KB_ARTICLE_EXISTS');
    catchAppError(() => t.kb.update('lost-card.en', { title: 'x' }, { expectedVersion: 9 }), 'KB_VERSION_CONFLICT');
    expect(listDomainEvents(t.db, { aggregateId: 'lost-card.en' })).toHaveLength(1);
  });
});
