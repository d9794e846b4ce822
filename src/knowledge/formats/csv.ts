// CSV transfer format: header id,topic,language,category,title,body,tags,questions,status;
// tags and questions are joined with "|" (the schemas forbid "|" inside them).
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { ImportProblem } from '../types.ts';
import { PORTABLE_FIELDS, toPortable, type ParsedFile, type PortableArticle, type SourceRecord } from './record.ts';

/** Columns a minimal spreadsheet must have; id, tags, questions and status may be left out. */
const REQUIRED_COLUMNS = ['topic', 'language', 'category', 'title', 'body'] as const;
const LIST_COLUMNS = new Set(['tags', 'questions']);
const OPTIONAL_WHEN_EMPTY = new Set(['id', 'status']);

interface CsvRow {
  record: string[];
  info: { lines: number };
}

/** csv-parse's typings do not model the `info: true` result shape; check it instead of casting. */
function isCsvRow(value: unknown): value is CsvRow {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { record?: unknown; info?: { lines?: unknown } };
  return Array.isArray(v.record) && v.record.every((c) => typeof c === 'string') && typeof v.info?.lines === 'number';
}

export function parseCsvArticles(text: string): ParsedFile {
  let rows: CsvRow[];
  try {
    const parsed: unknown[] = parse(text, { bom: true, skip_empty_lines: true, info: true, relax_column_count: false });
    rows = parsed.filter(isCsvRow);
    if (rows.length !== parsed.length) throw new Error('unexpected csv-parse result shape');
  } catch (err) {
    const line = typeof (err as { lines?: unknown }).lines === 'number' ? (err as { lines: number }).lines : undefined;
    const problem: ImportProblem = { record: 0, field: '(file)', reason: `not valid CSV: ${(err as Error).message}` };
    if (line !== undefined) problem.line = line;
    return { records: [], problems: [problem] };
  }
  const [header, ...data] = rows;
  if (!header) return { records: [], problems: [{ record: 0, line: 1, field: '(header)', reason: 'file is empty; expected a header row' }] };

  const columns = header.record.map((c) => c.trim().toLowerCase());
  const problems: ImportProblem[] = [];
  const known = new Set<string>(PORTABLE_FIELDS);
  for (const c of REQUIRED_COLUMNS) {
    if (!columns.includes(c)) problems.push({ record: 0, line: 1, field: c, reason: `missing column "${c}"` });
  }
  columns.forEach((c, i) => {
    if (!known.has(c)) problems.push({ record: 0, line: 1, field: c || `(column ${i + 1})`, reason: `unknown column "${c}"` });
    else if (columns.indexOf(c) !== i) problems.push({ record: 0, line: 1, field: c, reason: `column "${c}" appears twice` });
  });
  if (problems.length > 0) return { records: [], problems };

  const records: SourceRecord[] = data.map((row, i) => {
    const value: Record<string, unknown> = {};
    columns.forEach((c, j) => {
      const cell = row.record[j] ?? '';
      if (LIST_COLUMNS.has(c)) value[c] = cell.split('|').map((s) => s.trim()).filter((s) => s.length > 0);
      else if (OPTIONAL_WHEN_EMPTY.has(c) && cell.trim() === '') return;
      else value[c] = cell;
    });
    return { record: i + 1, line: row.info.lines, value };
  });
  return { records, problems: [] };
}

export function serializeCsvArticles(articles: readonly PortableArticle[]): string {
  const rows = articles.map(toPortable).map((a) => ({ ...a, tags: a.tags.join('|'), questions: a.questions.join('|') }));
  return stringify(rows, { header: true, columns: [...PORTABLE_FIELDS], record_delimiter: '\n' });
}
