// JSON transfer format: one array of article objects (the same shape as the demo KB file).
import type { ParsedFile, PortableArticle, SourceRecord } from './record.ts';
import { toPortable } from './record.ts';

export function parseJsonArticles(text: string): ParsedFile {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { records: [], problems: [{ record: 0, field: '(file)', reason: `not valid JSON: ${(err as Error).message}` }] };
  }
  if (!Array.isArray(data)) {
    return { records: [], problems: [{ record: 0, field: '(file)', reason: 'expected a JSON array of articles' }] };
  }
  const records: SourceRecord[] = [];
  const problems: ParsedFile['problems'] = [];
  data.forEach((item: unknown, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.push({ record: i + 1, field: '(record)', reason: 'expected an object' });
    } else {
      records.push({ record: i + 1, value: item as Record<string, unknown> });
    }
  });
  return { records, problems };
}

export function serializeJsonArticles(articles: readonly PortableArticle[]): string {
  return `${JSON.stringify(articles.map(toPortable), null, 2)}\n`;
}
