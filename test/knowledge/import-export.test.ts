// Import/export in JSON, CSV and Markdown: lossless round trips, upsert semantics, and
// all-or-nothing refusal of bad files with a problem list that names each bad record.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article, ImportProblem, TransferFormat } from '../../src/knowledge/index.ts';
import { listDomainEvents } from '../../src/store/index.ts';
import { catchAppError, lostCardEn, lostCardZh, openingHoursEn, openTestKb, passwordZh, type TestKb } from './helpers.ts';

const FORMATS: TransferFormat[] = ['json', 'csv', 'markdown'];

/** What must survive a round trip; version and timestamps belong to the receiving KB. */
function content(a: Article) {
  const { version: _v, createdAt: _c, updatedAt: _u, ...rest } = a;
  return rest;
}

let kbs: TestKb[] = [];
function fresh(): TestKb {
  const t = openTestKb();
  kbs.push(t);
  return t;
}
afterEach(() => {
  for (const t of kbs) t.cleanup();
  kbs = [];
});

function problemsOf(fn: () => unknown): ImportProblem[] {
  const err = catchAppError(fn, 'KB_IMPORT_INVALID');
  return (err.details as { problems: ImportProblem[] }).problems;
}

/** Articles chosen to break naive serialisers: separators, quotes, fences, headings, CJK, empty lists. */
function seedAwkwardArticles(t: TestKb): void {
  t.kb.create(lostCardEn);
  t.kb.create(lostCardZh);
  t.kb.create({ ...passwordZh, status: 'draft' });
  t.kb.create({
    id: 'faq-7',
    topic: 'tricky',
    language: 'en',
    category: 'fees',
    title: '# "Quoted", with commas; and: colons',
    body: 'First line, with "quotes"\n---\n\\---\n# not a title\n\nid: not front matter\n  indented line',
    tags: ['a, b', 'yes', 'no', '123'],
    questions: ["What's 'this'?", 'null', '- dash start'],
    status: 'archived',
  });
  t.kb.create({ ...openingHoursEn, questions: [], tags: [] });
}

describe.each(FORMATS)('%s round trip', (format) => {
  it('exports and re-imports into an empty KB with identical articles', () => {
    const source = fresh();
    seedAwkwardArticles(source);
    const text = source.kb.exportArticles(format);

    const target = fresh();
    expect(target.kb.importArticles(format, text)).toEqual({ created: 5, updated: 0, unchanged: 0 });
    const before = source.kb.list().items.map(content);
    const after = target.kb.list().items.map(content);
    expect(after).toEqual(before);
    expect(target.kb.exportArticles(format)).toBe(text);
  });

  it('round-trips the whole demo KB', () => {
    const source = fresh();
    source.kb.importArticles('json', readFileSync('models/knowledge/demo-kb.json', 'utf8'));
    const target = fresh();
    target.kb.importArticles(format, source.kb.exportArticles(format));
    expect(target.kb.list({ limit: 500 }).items.map(content)).toEqual(source.kb.list({ limit: 500 }).items.map(content));
  });

  it('re-importing the same file changes nothing and records no events', () => {
    const t = fresh();
    seedAwkwardArticles(t);
    const eventsBefore = listDomainEvents(t.db).length;
    expect(t.kb.importArticles(format, t.kb.exportArticles(format))).toEqual({ created: 0, updated: 0, unchanged: 5 });
    expect(listDomainEvents(t.db)).toHaveLength(eventsBefore);
    expect(t.kb.get('lost-card.en').version).toBe(1);
  });

  it('exports only what the filter selects', () => {
    const source = fresh();
    seedAwkwardArticles(source);
    const target = fresh();
    target.kb.importArticles(format, source.kb.exportArticles(format, { language: 'zh' }));
    expect(target.kb.list().items.map((a) => a.id)).toEqual(['lost-card.zh', 'password-reset.zh']);
  });
});

describe('upsert and create-only', () => {
  let t: TestKb;
  beforeEach(() => {
    t = fresh();
    t.kb.create(lostCardEn);
  });

  const file = (title: string) => JSON.stringify([{ ...lostCardEn, title }, openingHoursEn]);

  it('upsert updates changed articles as a new version and creates new ones, with events', () => {
    expect(t.kb.importArticles('json', file('Card lost?'), { actor: 'crm' })).toEqual({ created: 1, updated: 1, unchanged: 0 });
    expect(t.kb.get('lost-card.en')).toMatchObject({ title: 'Card lost?', version: 2 });
    expect(t.kb.history('lost-card.en').map((h) => h.change)).toEqual(['created', 'updated']);
    const types = listDomainEvents(t.db).map((e) => [e.type, e.aggregateId, e.actor]);
    expect(types).toEqual([
      ['article.created', 'lost-card.en', 'system'],
      ['article.updated', 'lost-card.en', 'crm'],
      ['article.created', 'opening-hours.en', 'crm'],
    ]);
  });

  it('create-only refuses to change an existing article and writes nothing', () => {
    const problems = problemsOf(() => t.kb.importArticles('json', file('Card lost?'), { mode: 'create-only' }));
    expect(problems).toEqual([expect.objectContaining({ record: 1, id: 'lost-card.en', field: 'id' })]);
    expect(t.kb.get('lost-card.en').title).toBe(lostCardEn.title);
    catchAppError(() => t.kb.get('opening-hours.en'), 'KB_ARTICLE_NOT_FOUND');
  });

  it('create-only accepts an identical existing article as unchanged', () => {
    expect(t.kb.importArticles('json', file(lostCardEn.title as string), { mode: 'create-only' })).toEqual({ created: 1, updated: 0, unchanged: 1 });
  });

  it('refuses a record whose topic and language belong to another stored id', () => {
    const problems = problemsOf(() => t.kb.importArticles('json', JSON.stringify([{ ...lostCardEn, id: 'other' }])));
    expect(problems[0]).toMatchObject({ record: 1, id: 'other', field: 'topic' });
  });
});

describe('spreadsheet CSV', () => {
  it('accepts a minimal Excel-style file (BOM, CRLF, only the required columns, columns in any order)', () => {
    const t = fresh();
    const csv = '\uFEFFlanguage,topic,title,category,body\r\nzh,opening-hours,营业时间,opening-hours,"周一至周五 9:00–17:00\r\n周末 9:30–16:00"\r\n';
    expect(t.kb.importArticles('csv', csv)).toEqual({ created: 1, updated: 0, unchanged: 0 });
    expect(t.kb.get('opening-hours.zh')).toMatchObject({ title: '营业时间', body: '周一至周五 9:00–17:00\n周末 9:30–16:00', tags: [], questions: [], status: 'published' });
  });
});

describe('bad imports are refused whole', () => {
  let t: TestKb;
  let eventsBefore: number;
  beforeEach(() => {
    t = fresh();
    t.kb.create(lostCardEn);
    eventsBefore = listDomainEvents(t.db).length;
  });
  afterEach(() => {
    // Nothing partially written: the one pre-existing article, untouched, and no new events.
    expect(t.kb.list().items.map((a) => [a.id, a.version, a.title])).toEqual([['lost-card.en', 1, lostCardEn.title]]);
    expect(listDomainEvents(t.db)).toHaveLength(eventsBefore);
  });

  const good = { ...openingHoursEn };
  const updatedLostCard = { ...lostCardEn, title: 'Changed' };

  it('bad JSON', () => {
    const problems = problemsOf(() => t.kb.importArticles('json', '[{"topic": "x",'));
    expect(problems[0]).toMatchObject({ record: 0, field: '(file)' });
    expect(problems[0]!.reason).toMatch(/JSON/);
  });

  it('JSON that is not an array, or has non-object records', () => {
    expect(problemsOf(() => t.kb.importArticles('json', '{"articles": []}'))[0]).toMatchObject({ record: 0 });
    expect(problemsOf(() => t.kb.importArticles('json', JSON.stringify([good, 'oops'])))).toEqual([expect.objectContaining({ record: 2, field: '(record)' })]);
  });

  it('CSV with a missing column', () => {
    const csv = 'id,topic,language,category,body\nx.en,x,en,fees,Some body\n';
    const problems = problemsOf(() => t.kb.importArticles('csv', csv));
    expect(problems).toEqual([expect.objectContaining({ record: 0, line: 1, field: 'title' })]);
  });

  it('CSV with an unknown column or a row of the wrong length', () => {
    expect(problemsOf(() => t.kb.importArticles('csv', 'topic,language,category,title,body,colour\nx,en,fees,T,B,red\n'))[0]).toMatchObject({ field: 'colour' });
    expect(problemsOf(() => t.kb.importArticles('csv', 'topic,language,category,title,body\nx,en,fees,T\n'))[0]).toMatchObject({ record: 0, line: 2 });
  });

  it('invalid language, reported with CSV row and line', () => {
    const csv = 'topic,language,category,title,body\nopening-hours,en,opening-hours,Hours,Open 9-5\nlost-card,fr,lost-card,Carte perdue,Bloquez la carte\n';
    const problems = problemsOf(() => t.kb.importArticles('csv', csv));
    expect(problems).toEqual([expect.objectContaining({ record: 2, line: 3, field: 'language' })]);
  });

  it('empty title, reported with the Markdown block line', () => {
    const md = '---\ntopic: opening-hours\nlanguage: en\ncategory: opening-hours\n---\n# Hours\n\nOpen 9-5\n\n---\ntopic: x\nlanguage: en\ncategory: fees\n---\n#  \n\nBody\n';
    const problems = problemsOf(() => t.kb.importArticles('markdown', md));
    expect(problems).toEqual([expect.objectContaining({ record: 2, line: 10, field: 'title' })]);
  });

  it('Markdown without a title heading or with broken YAML', () => {
    expect(problemsOf(() => t.kb.importArticles('markdown', '---\ntopic: x\nlanguage: en\ncategory: fees\n---\nno heading here\n'))[0]).toMatchObject({ record: 1, field: 'title' });
    expect(problemsOf(() => t.kb.importArticles('markdown', '---\ntopic: [unclosed\n---\n# T\n\nB\n'))[0]).toMatchObject({ record: 1, field: '(front matter)' });
    expect(problemsOf(() => t.kb.importArticles('markdown', 'just text\n'))[0]).toMatchObject({ record: 1, line: 1 });
  });

  it('duplicate id in the file', () => {
    const problems = problemsOf(() => t.kb.importArticles('json', JSON.stringify([good, updatedLostCard, { ...good, title: 'Again' }])));
    expect(problems).toEqual([expect.objectContaining({ record: 3, id: 'opening-hours.en', field: 'id' })]);
  });

  it('lists every bad record at once, even when others are valid', () => {
    const file = [good, { ...lostCardEn, title: '' }, { ...lostCardZh, language: 'de' }, { ...passwordZh, tags: 'not-a-list' }, updatedLostCard];
    const problems = problemsOf(() => t.kb.importArticles('json', JSON.stringify(file)));
    expect(problems.map((p) => [p.record, p.field])).toEqual([
      [2, 'title'],
      [3, 'language'],
      [4, 'tags'],
    ]);
  });
});
