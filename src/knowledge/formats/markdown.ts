// Markdown transfer format: per article a YAML front matter block between "---" lines, then
// "# Title", then the body; articles are concatenated. Body lines that are exactly "---" are
// written as "\---" (and any "\…\---" gains one more backslash) so they cannot start a block.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { ImportProblem } from '../types.ts';
import { toPortable, type ParsedFile, type PortableArticle, type SourceRecord } from './record.ts';

const FENCE = '---';
const ESCAPED_FENCE = /^\\+---$/;

export function parseMarkdownArticles(text: string): ParsedFile {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const records: SourceRecord[] = [];
  const problems: ImportProblem[] = [];
  let i = 0;
  let record = 0;
  const skipBlank = () => {
    while (i < lines.length && lines[i]!.trim() === '') i++;
  };

  skipBlank();
  while (i < lines.length) {
    record++;
    const start = i + 1;
    if (lines[i] !== FENCE) {
      problems.push({ record, line: start, field: '(block)', reason: `expected "---" to open the front matter, found "${lines[i]!.slice(0, 40)}"` });
      break; // without a fence the rest of the file cannot be split into articles reliably
    }
    const close = lines.indexOf(FENCE, i + 1);
    if (close < 0) {
      problems.push({ record, line: start, field: '(front matter)', reason: 'front matter is not closed by "---"' });
      break;
    }
    const frontText = lines.slice(i + 1, close).join('\n');
    i = close + 1;
    skipBlank();
    const titleLine = lines[i];
    const hasTitle = titleLine !== undefined && titleLine.startsWith('# ');
    if (hasTitle) i++;
    const bodyStart = i;
    while (i < lines.length && lines[i] !== FENCE) i++;
    const body = lines
      .slice(bodyStart, i)
      .map((l) => (ESCAPED_FENCE.test(l) ? l.slice(1) : l))
      .join('\n')
      .trim();

    let front: unknown;
    try {
      front = parseYaml(frontText);
    } catch (err) {
      problems.push({ record, line: start, field: '(front matter)', reason: `invalid YAML: ${(err as Error).message.split('\n')[0]}` });
      continue;
    }
    if (front === null || typeof front !== 'object' || Array.isArray(front)) {
      problems.push({ record, line: start, field: '(front matter)', reason: 'front matter must be a mapping of fields' });
      continue;
    }
    const value = { ...(front as Record<string, unknown>) };
    if ('title' in value || 'body' in value) {
      problems.push({ record, line: start, field: 'title' in value ? 'title' : 'body', reason: 'title and body belong after the front matter, not in it' });
      continue;
    }
    if (!hasTitle) {
      problems.push({ record, line: start, field: 'title', reason: 'expected a "# Title" line after the front matter' });
      continue;
    }
    value.title = titleLine.slice(2);
    value.body = body;
    records.push({ record, line: start, value });
  }
  return { records, problems };
}

export function serializeMarkdownArticles(articles: readonly PortableArticle[]): string {
  return articles
    .map(toPortable)
    .map((a) => {
      const { title, body, ...front } = a;
      const escapedBody = body
        .split('\n')
        .map((l) => (l === FENCE || ESCAPED_FENCE.test(l) ? `\\${l}` : l))
        .join('\n');
      return `${FENCE}\n${stringifyYaml(front, { lineWidth: 0 })}${FENCE}\n# ${title}\n\n${escapedBody}\n`;
    })
    .join('\n');
}
