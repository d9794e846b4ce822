// The shape every import/export format carries: an article's content without the
// bookkeeping (version, timestamps) that belongs to the knowledge base holding it.
import type { Article, ImportProblem } from '../types.ts';

export const PORTABLE_FIELDS = ['id', 'topic', 'language', 'category', 'title', 'body', 'tags', 'questions', 'status'] as const;

export type PortableArticle = Pick<Article, (typeof PORTABLE_FIELDS)[number]>;

export function toPortable(a: PortableArticle): PortableArticle {
  return {
    id: a.id,
    topic: a.topic,
    language: a.language,
    category: a.category,
    title: a.title,
    body: a.body,
    tags: [...a.tags],
    questions: [...a.questions],
    status: a.status,
  };
}

/** One article as found in a file, not yet validated. */
export interface SourceRecord {
  /** 1-based position of the article in the file. */
  record: number;
  line?: number;
  value: Record<string, unknown>;
}

/** What a format parser yields: the records it could read, and what it could not. */
export interface ParsedFile {
  records: SourceRecord[];
  problems: ImportProblem[];
}
