// The SQLite-backed knowledge base: articles with version history, bilingual full-text search,
// and all-or-nothing import/export. Every change records a domain event in its transaction.
import { AppError } from '../errors/index.ts';
import type { Language } from '../nlu/types.ts';
import { recordDomainEvent, type Db } from '../store/index.ts';
import { parseArticles, serializeArticles, toPortable } from './formats/index.ts';
import { articleIdFor, MAX_IMPORT_CHARS, validateRecords, type ValidArticle } from './import-validation.ts';
import { ArticleInput, ArticleListQuery, ArticlePatch, LanguageSchema, ArticleStatusSchema, parseOrThrow, SearchOptionsSchema } from './schemas.ts';
import { makeSnippet, toIndexText, toMatchExpression } from './search-text.ts';
import type {
  Article,
  ArticleListFilter,
  ArticleVersion,
  ImportOptions,
  ImportProblem,
  ImportResult,
  KnowledgeStore,
  ListQuery,
  SearchHit,
  SearchOptions,
  TransferFormat,
  WriteOptions,
} from './types.ts';

export interface KnowledgeBaseOptions {
  /** Injected so tests control timestamps. */
  clock?: () => Date;
}

/**
 * bm25 column weights in articles_fts column order (title, questions, body, tags): a title
 * hit says most about what the article answers; questions are customer phrasings, close behind.
 */
const BM25_WEIGHTS = '4.0, 2.5, 1.0, 2.0';

interface ArticleRow {
  id: string;
  doc_id: number;
  topic: string;
  language: string;
  category: string;
  title: string;
  body: string;
  tags: string;
  questions: string;
  status: string;
  version: number;
  created_at: string;
  updated_at: string;
}

interface VersionRow {
  article_id: string;
  version: number;
  change: string;
  topic: string;
  language: string;
  category: string;
  title: string;
  body: string;
  tags: string;
  questions: string;
  status: string;
  actor: string;
  created_at: string;
  recorded_at: string;
}

/** Rows were written by this class, but the file may have been edited by hand: check, don't cast. */
function stringArray(json: string, where: string): string[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new AppError('INTERNAL', `stored ${where} is not a list of strings`);
  }
  return value;
}

function rowToArticle(r: ArticleRow): Article {
  return {
    id: r.id,
    topic: r.topic,
    language: LanguageSchema.parse(r.language),
    category: r.category,
    title: r.title,
    body: r.body,
    tags: stringArray(r.tags, `tags of ${r.id}`),
    questions: stringArray(r.questions, `questions of ${r.id}`),
    status: ArticleStatusSchema.parse(r.status),
    version: r.version,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

const CHANGES = ['created', 'updated', 'deleted'] as const;

function rowToVersion(r: VersionRow): ArticleVersion {
  const change = CHANGES.find((c) => c === r.change);
  if (!change) throw new AppError('INTERNAL', `unknown change "${r.change}" in history of ${r.article_id}`);
  return {
    id: r.article_id,
    version: r.version,
    change,
    topic: r.topic,
    language: LanguageSchema.parse(r.language),
    category: r.category,
    title: r.title,
    body: r.body,
    tags: stringArray(r.tags, `tags of ${r.article_id} v${r.version}`),
    questions: stringArray(r.questions, `questions of ${r.article_id} v${r.version}`),
    status: ArticleStatusSchema.parse(r.status),
    createdAt: r.created_at,
    updatedAt: r.recorded_at,
    actor: r.actor,
    recordedAt: r.recorded_at,
  };
}

type Content = Pick<Article, 'category' | 'title' | 'body' | 'tags' | 'questions' | 'status'>;

function sameContent(a: Content, b: Content): boolean {
  return (
    a.category === b.category &&
    a.title === b.title &&
    a.body === b.body &&
    a.status === b.status &&
    JSON.stringify(a.tags) === JSON.stringify(b.tags) &&
    JSON.stringify(a.questions) === JSON.stringify(b.questions)
  );
}

function changedFields(a: Content, b: Content): string[] {
  return (['category', 'title', 'body', 'tags', 'questions', 'status'] as const).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

type Source = 'api' | 'import';

/**
 * `remove` is a hard delete: the row and its index entry go, a final "deleted" version stays
 * in the history, and re-creating the id continues its version numbers. Hiding an article
 * while keeping it is `update(id, {status: 'archived'})`.
 */
export class KnowledgeBase implements KnowledgeStore {
  readonly #db: Db;
  readonly #clock: () => Date;

  constructor(db: Db, options: KnowledgeBaseOptions = {}) {
    this.#db = db;
    this.#clock = options.clock ?? (() => new Date());
  }

  create(input: ArticleInput, options: WriteOptions = {}): Article {
    const content = parseOrThrow(ArticleInput, input, 'article');
    const article = { ...content, id: articleIdFor(content) };
    return this.#db.transaction(() => {
      const clash = this.#clashFor(article);
      if (clash) throw new AppError('KB_ARTICLE_EXISTS', clash.message, { id: article.id, existingId: clash.existingId });
      return this.#insert(article, options.actor ?? 'system', 'api');
    })();
  }

  get(id: string): Article {
    const row = this.#row(id);
    if (!row) throw new AppError('KB_ARTICLE_NOT_FOUND', `no article "${id}"`, { id });
    return rowToArticle(row);
  }

  findByTopic(topic: string, language: Language): Article | null {
    const row = this.#db.prepare('SELECT * FROM articles WHERE topic = ? AND language = ?').get(topic, language) as ArticleRow | undefined;
    return row ? rowToArticle(row) : null;
  }

  list(query: ListQuery = {}): { items: Article[]; total: number } {
    const q = parseOrThrow(ArticleListQuery, query, 'list query');
    const { where, params } = this.#filterSql(q);
    const total = (this.#db.prepare(`SELECT count(*) AS n FROM articles a WHERE ${where}`).get(params) as { n: number }).n;
    const rows = this.#db
      .prepare(`SELECT * FROM articles a WHERE ${where} ORDER BY a.id LIMIT @limit OFFSET @offset`)
      .all({ ...params, limit: q.limit, offset: q.offset }) as ArticleRow[];
    return { items: rows.map(rowToArticle), total };
  }

  /** Number of articles currently stored, in any status. */
  count(): number {
    return (this.#db.prepare('SELECT count(*) AS n FROM articles').get() as { n: number }).n;
  }

  /** True when no article was ever stored here (not even one deleted since). */
  isPristine(): boolean {
    return this.count() === 0 && this.#db.prepare('SELECT 1 FROM article_versions LIMIT 1').get() === undefined;
  }

  /**
   * Applies a patch as a new version. A patch that changes nothing returns the article as is:
   * no new version, no event (re-saving an unchanged form is not an edit).
   */
  update(id: string, patch: ArticlePatch, options: WriteOptions & { expectedVersion?: number } = {}): Article {
    const p = parseOrThrow(ArticlePatch, patch, 'article patch');
    return this.#db.transaction(() => {
      const current = this.get(id);
      this.#checkVersion(current, options.expectedVersion);
      const next: Content = {
        category: p.category ?? current.category,
        title: p.title ?? current.title,
        body: p.body ?? current.body,
        tags: p.tags ?? current.tags,
        questions: p.questions ?? current.questions,
        status: p.status ?? current.status,
      };
      if (sameContent(current, next)) return current;
      return this.#applyUpdate(current, next, options.actor ?? 'system', 'api');
    })();
  }

  remove(id: string, options: WriteOptions & { expectedVersion?: number } = {}): void {
    this.#db.transaction(() => {
      const row = this.#row(id);
      if (!row) throw new AppError('KB_ARTICLE_NOT_FOUND', `no article "${id}"`, { id });
      const current = rowToArticle(row);
      this.#checkVersion(current, options.expectedVersion);
      const actor = options.actor ?? 'system';
      const now = this.#now();
      this.#db.prepare('DELETE FROM articles WHERE id = ?').run(id);
      this.#db.prepare('DELETE FROM articles_fts WHERE rowid = ?').run(row.doc_id);
      this.#recordVersion(current, current.version + 1, 'deleted', actor, now);
      recordDomainEvent(this.#db, {
        type: 'article.deleted',
        aggregate: 'article',
        aggregateId: id,
        actor,
        payload: { id, topic: current.topic, language: current.language, version: current.version },
        occurredAt: now,
      });
    })();
  }

  /** Every stored version, oldest first; still available after the article was deleted. */
  history(id: string): ArticleVersion[] {
    const rows = this.#db.prepare('SELECT * FROM article_versions WHERE article_id = ? ORDER BY version').all(id) as VersionRow[];
    if (rows.length === 0) throw new AppError('KB_ARTICLE_NOT_FOUND', `no article "${id}" and no history of one`, { id });
    return rows.map(rowToVersion);
  }

  /**
   * Best matches for what a customer typed, best first. The text is never FTS syntax; a query
   * with nothing searchable in it, or longer than MAX_QUERY_LENGTH, is KB_QUERY_INVALID.
   */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const o = parseOrThrow(SearchOptionsSchema, options, 'search options');
    if (typeof query !== 'string') throw new AppError('KB_QUERY_INVALID', 'query must be text', { field: 'query' });
    const { expression, terms } = toMatchExpression(query);
    let rows: (ArticleRow & { rank: number })[];
    try {
      rows = this.#db
        .prepare(
          `SELECT a.*, bm25(articles_fts, ${BM25_WEIGHTS}) AS rank
           FROM articles_fts JOIN articles a ON a.doc_id = articles_fts.rowid
           WHERE articles_fts MATCH @expression
             AND (@language IS NULL OR a.language = @language)
             AND (@category IS NULL OR a.category = @category)
             AND (@status = 'any' OR a.status = @status)
           ORDER BY rank, a.id
           LIMIT @limit`,
        )
        .all({ expression, language: o.language ?? null, category: o.category ?? null, status: o.status, limit: o.limit }) as (ArticleRow & { rank: number })[];
    } catch (err) {
      // toMatchExpression quotes every term, so this is a defect, but the customer still
      // gets a clean "could not search that" rather than a 500 carrying SQLite internals.
      if (err instanceof Error && err.message.startsWith('fts5:')) {
        throw new AppError('KB_QUERY_INVALID', 'query could not be searched', { field: 'query' }, { cause: err });
      }
      throw err;
    }
    return rows.map((r) => {
      const article = rowToArticle(r);
      return { article, score: -r.rank, snippet: makeSnippet(article.body, terms) };
    });
  }

  /**
   * Validates the whole file, then applies it in one transaction: either every record is
   * written or none is. Records identical to the stored article count as unchanged.
   */
  importArticles(format: TransferFormat, text: string, options: ImportOptions = {}): ImportResult {
    const mode = options.mode ?? 'upsert';
    if (text.length > MAX_IMPORT_CHARS) {
      throw new AppError('KB_IMPORT_INVALID', 'import file is too large', { problems: [{ record: 0, field: '(file)', reason: `larger than ${MAX_IMPORT_CHARS} characters` }] });
    }
    const { valid, problems } = validateRecords(parseArticles(format, text));
    if (problems.length > 0) throw importInvalid(problems);
    const actor = options.actor ?? 'system';

    return this.#db.transaction(() => {
      // Check every record against the stored articles before the first write.
      const plan: { article: ValidArticle; current: Article | null }[] = [];
      const conflicts: ImportProblem[] = [];
      for (const r of valid) {
        const at = (field: string, reason: string): ImportProblem =>
          r.line === undefined ? { record: r.record, id: r.article.id, field, reason } : { record: r.record, line: r.line, id: r.article.id, field, reason };
        const row = this.#row(r.article.id);
        const current = row ? rowToArticle(row) : null;
        if (current && (current.topic !== r.article.topic || current.language !== r.article.language)) {
          conflicts.push(at('topic', `article "${current.id}" exists with topic "${current.topic}" / language "${current.language}"`));
          continue;
        }
        if (!current) {
          const clash = this.#clashFor(r.article);
          if (clash) {
            conflicts.push(at('topic', clash.message));
            continue;
          }
        }
        if (mode === 'create-only' && current && !sameContent(current, r.article)) {
          conflicts.push(at('id', `article "${current.id}" already exists with different content (mode create-only)`));
          continue;
        }
        plan.push({ article: r.article, current });
      }
      if (conflicts.length > 0) throw importInvalid(conflicts);

      const result: ImportResult = { created: 0, updated: 0, unchanged: 0 };
      for (const { article, current } of plan) {
        if (!current) {
          this.#insert(article, actor, 'import');
          result.created++;
        } else if (sameContent(current, article)) {
          result.unchanged++;
        } else {
          this.#applyUpdate(current, article, actor, 'import');
          result.updated++;
        }
      }
      return result;
    })();
  }

  /** All articles matching the filter, ordered by id, in a format importArticles reads back. */
  exportArticles(format: TransferFormat, filter: ArticleListFilter = {}): string {
    const q = parseOrThrow(ArticleListQuery, { ...filter, limit: 1, offset: 0 }, 'export filter');
    const { where, params } = this.#filterSql(q);
    const rows = this.#db.prepare(`SELECT * FROM articles a WHERE ${where} ORDER BY a.id`).all(params) as ArticleRow[];
    return serializeArticles(format, rows.map((r) => toPortable(rowToArticle(r))));
  }

  /** Re-derives the search index from the articles table (after a restore or manual repair). */
  rebuildSearchIndex(): number {
    return this.#db.transaction(() => {
      this.#db.prepare(`INSERT INTO articles_fts(articles_fts) VALUES ('delete-all')`).run();
      const rows = this.#db.prepare('SELECT * FROM articles').all() as ArticleRow[];
      for (const r of rows) this.#index(r.doc_id, rowToArticle(r));
      return rows.length;
    })();
  }

  #now(): string {
    return this.#clock().toISOString();
  }

  #row(id: string): ArticleRow | undefined {
    return this.#db.prepare('SELECT * FROM articles WHERE id = ?').get(id) as ArticleRow | undefined;
  }

  /** Why `article` cannot be created: its id, or its topic in its language, is taken. */
  #clashFor(article: ValidArticle): { message: string; existingId: string } | null {
    if (this.#row(article.id)) return { message: `article "${article.id}" already exists`, existingId: article.id };
    const same = this.findByTopic(article.topic, article.language);
    if (same) return { message: `topic "${article.topic}" already has a ${article.language} article ("${same.id}")`, existingId: same.id };
    return null;
  }

  #checkVersion(current: Article, expected: number | undefined): void {
    if (expected !== undefined && expected !== current.version) {
      throw new AppError('KB_VERSION_CONFLICT', `article "${current.id}" is at version ${current.version}, not ${expected}; reload and retry`, {
        id: current.id,
        expectedVersion: expected,
        actualVersion: current.version,
      });
    }
  }

  #filterSql(q: ArticleListFilter): { where: string; params: Record<string, string | null> } {
    return {
      where: `(@language IS NULL OR a.language = @language)
        AND (@category IS NULL OR a.category = @category)
        AND (@status IS NULL OR a.status = @status)
        AND (@tag IS NULL OR EXISTS (SELECT 1 FROM json_each(a.tags) WHERE json_each.value = @tag))`,
      params: { language: q.language ?? null, category: q.category ?? null, status: q.status ?? null, tag: q.tag ?? null },
    };
  }

  #index(docId: number, a: Pick<Article, 'title' | 'questions' | 'body' | 'tags'>): void {
    this.#db
      .prepare('INSERT INTO articles_fts(rowid, title, questions, body, tags) VALUES (?, ?, ?, ?, ?)')
      .run(docId, toIndexText(a.title), toIndexText(a.questions.join('\n')), toIndexText(a.body), toIndexText(a.tags.join('\n')));
  }

  #insert(a: ValidArticle, actor: string, source: Source): Article {
    const now = this.#now();
    // A re-created id continues the version numbers of its deleted predecessor.
    const last = this.#db.prepare('SELECT max(version) AS v FROM article_versions WHERE article_id = ?').get(a.id) as { v: number | null };
    const version = (last.v ?? 0) + 1;
    const docId = (this.#db.prepare('SELECT coalesce(max(doc_id), 0) + 1 AS d FROM articles').get() as { d: number }).d;
    this.#db
      .prepare(
        `INSERT INTO articles (id, doc_id, topic, language, category, title, body, tags, questions, status, version, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(a.id, docId, a.topic, a.language, a.category, a.title, a.body, JSON.stringify(a.tags), JSON.stringify(a.questions), a.status, version, now, now);
    this.#index(docId, a);
    const article: Article = { ...toPortable(a), version, createdAt: now, updatedAt: now };
    this.#recordVersion(article, version, 'created', actor, now);
    recordDomainEvent(this.#db, { type: 'article.created', aggregate: 'article', aggregateId: a.id, actor, payload: { article, source }, occurredAt: now });
    return article;
  }

  #applyUpdate(current: Article, next: Content, actor: string, source: Source): Article {
    const now = this.#now();
    const version = current.version + 1;
    const row = this.#row(current.id);
    if (!row) throw new AppError('KB_ARTICLE_NOT_FOUND', `no article "${current.id}"`, { id: current.id });
    const changed = this.#db
      .prepare(
        `UPDATE articles SET category = ?, title = ?, body = ?, tags = ?, questions = ?, status = ?, version = ?, updated_at = ?
         WHERE id = ? AND version = ?`,
      )
      .run(next.category, next.title, next.body, JSON.stringify(next.tags), JSON.stringify(next.questions), next.status, version, now, current.id, current.version);
    if (changed.changes !== 1) {
      throw new AppError('KB_VERSION_CONFLICT', `article "${current.id}" changed while it was being updated`, { id: current.id, expectedVersion: current.version });
    }
    const article: Article = { ...current, ...next, tags: [...next.tags], questions: [...next.questions], version, updatedAt: now };
    this.#db.prepare('DELETE FROM articles_fts WHERE rowid = ?').run(row.doc_id);
    this.#index(row.doc_id, article);
    this.#recordVersion(article, version, 'updated', actor, now);
    recordDomainEvent(this.#db, {
      type: 'article.updated',
      aggregate: 'article',
      aggregateId: article.id,
      actor,
      payload: { article, previousVersion: current.version, changed: changedFields(current, next), source },
      occurredAt: now,
    });
    return article;
  }

  #recordVersion(a: Omit<Article, 'version' | 'updatedAt'>, version: number, change: ArticleVersion['change'], actor: string, at: string): void {
    this.#db
      .prepare(
        `INSERT INTO article_versions (article_id, version, change, topic, language, category, title, body, tags, questions, status, actor, created_at, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(a.id, version, change, a.topic, a.language, a.category, a.title, a.body, JSON.stringify(a.tags), JSON.stringify(a.questions), a.status, actor, a.createdAt, at);
  }
}

function importInvalid(problems: ImportProblem[]): AppError {
  const count = problems.length;
  return new AppError('KB_IMPORT_INVALID', `import refused: ${count} problem${count === 1 ? '' : 's'}; nothing was written`, { problems });
}
