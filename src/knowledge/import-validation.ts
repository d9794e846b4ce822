// Validates every record of an import file before anything is written, so a refused import
// reports all its problems at once and leaves the knowledge base untouched.
import { ArticleInput, describeIssues, type ArticleContent } from './schemas.ts';
import type { ParsedFile } from './formats/index.ts';
import type { ImportProblem } from './types.ts';

/** Bounds an import to what one synchronous transaction handles without stalling the appliance. */
export const MAX_IMPORT_ARTICLES = 10_000;
export const MAX_IMPORT_CHARS = 20_000_000;

export type ValidArticle = ArticleContent & { id: string };

export interface ValidRecord {
  record: number;
  line?: number;
  article: ValidArticle;
}

export function articleIdFor(content: Pick<ArticleContent, 'id' | 'topic' | 'language'>): string {
  return content.id ?? `${content.topic}.${content.language}`;
}

export function validateRecords(parsed: ParsedFile): { valid: ValidRecord[]; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [...parsed.problems];
  const valid: ValidRecord[] = [];
  if (parsed.records.length > MAX_IMPORT_ARTICLES) {
    problems.push({ record: 0, field: '(file)', reason: `more than ${MAX_IMPORT_ARTICLES} articles; split the file` });
    return { valid, problems };
  }
  const seenIds = new Map<string, number>();
  const seenTopics = new Map<string, number>();
  for (const r of parsed.records) {
    const at = (p: Omit<ImportProblem, 'record' | 'line'>): ImportProblem => (r.line === undefined ? { record: r.record, ...p } : { record: r.record, line: r.line, ...p });
    const result = ArticleInput.safeParse(r.value);
    if (!result.success) {
      const rawId = typeof r.value.id === 'string' ? r.value.id : undefined;
      for (const issue of describeIssues(result.error)) problems.push(at(rawId === undefined ? issue : { id: rawId, ...issue }));
      continue;
    }
    const id = articleIdFor(result.data);
    const topicKey = `${result.data.topic}\u0000${result.data.language}`;
    const firstId = seenIds.get(id);
    const firstTopic = seenTopics.get(topicKey);
    if (firstId !== undefined) {
      problems.push(at({ id, field: 'id', reason: `duplicate id "${id}" (first in record ${firstId})` }));
      continue;
    }
    if (firstTopic !== undefined) {
      problems.push(at({ id, field: 'topic', reason: `topic "${result.data.topic}" in language "${result.data.language}" already appears in record ${firstTopic}` }));
      continue;
    }
    seenIds.set(id, r.record);
    seenTopics.set(topicKey, r.record);
    valid.push(r.line === undefined ? { record: r.record, article: { ...result.data, id } } : { record: r.record, line: r.line, article: { ...result.data, id } });
  }
  return { valid, problems };
}
