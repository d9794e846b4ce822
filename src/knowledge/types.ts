// Knowledge-base article shapes shared by the store, search, import/export and the dialog.
import type { Language } from '../nlu/types.ts';
import type { ArticleInput, ArticlePatch } from './schemas.ts';

export type ArticleStatus = 'draft' | 'published' | 'archived';

export interface Article {
  /** Stable id, unique per language version, e.g. "lost-card.en". */
  id: string;
  /** Groups the translations of one topic, e.g. "lost-card". */
  topic: string;
  language: Language;
  category: string;
  title: string;
  /** The answer text the bot says (plain text; may contain line breaks). */
  body: string;
  tags: string[];
  /** Alternative phrasings customers use; they train the NLU. */
  questions: string[];
  status: ArticleStatus;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SearchHit {
  article: Article;
  /**
   * Higher is better: the negated, column-weighted bm25 rank (always > 0). Comparable between
   * hits of one query, not across queries (it grows with the number of matched terms).
   */
  score: number;
  /** Short excerpt of where the query matched. */
  snippet: string;
}

/**
 * One stored version of an article: the article as it was at that version (so it can be shown
 * or restored like any article), plus what happened. A deletion is recorded as a final
 * "deleted" version carrying the last content.
 */
export interface ArticleVersion extends Article {
  change: 'created' | 'updated' | 'deleted';
  /** Who made the change: "system", "account:<id>", "crm", … */
  actor: string;
  recordedAt: string;
}

export type TransferFormat = 'json' | 'csv' | 'markdown';
export const TRANSFER_FORMATS: readonly TransferFormat[] = ['json', 'csv', 'markdown'];

/** "upsert" creates new and updates changed articles; "create-only" refuses to change existing ones. */
export type ImportMode = 'upsert' | 'create-only';

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

/** One reason an import was refused; `record` is 1-based (0 for the file as a whole). */
export interface ImportProblem {
  record: number;
  /** Source line (Markdown: the block's first line; CSV: the line the row ends on). */
  line?: number;
  id?: string;
  field: string;
  reason: string;
}

export interface ArticleListFilter {
  language?: Language;
  category?: string;
  status?: ArticleStatus;
  tag?: string;
}

export interface SearchOptions {
  language?: Language;
  category?: string;
  /** At most 50; default 5. */
  limit?: number;
  /** Default "published": customers never see drafts or archived answers. "any" is for admins. */
  status?: ArticleStatus | 'any';
}

/**
 * What the dialog engine, the HTTP layer and the CRM sync need from a knowledge base.
 * The SQLite-backed KnowledgeBase implements it; test/knowledge runs its suite against it.
 */
export interface KnowledgeStore {
  create(input: ArticleInput, options?: WriteOptions): Article;
  get(id: string): Article;
  findByTopic(topic: string, language: Language): Article | null;
  list(query?: ListQuery): { items: Article[]; total: number };
  update(id: string, patch: ArticlePatch, options?: WriteOptions & { expectedVersion?: number }): Article;
  remove(id: string, options?: WriteOptions & { expectedVersion?: number }): void;
  history(id: string): ArticleVersion[];
  search(query: string, options?: SearchOptions): SearchHit[];
  importArticles(format: TransferFormat, text: string, options?: ImportOptions): ImportResult;
  exportArticles(format: TransferFormat, filter?: ArticleListFilter): string;
}

export interface WriteOptions {
  /** Recorded on the version and the domain event; default "system". */
  actor?: string;
}

export interface ImportOptions extends WriteOptions {
  mode?: ImportMode;
}

export interface ListQuery extends ArticleListFilter {
  /** 1..500, default 50. */
  limit?: number;
  offset?: number;
}
