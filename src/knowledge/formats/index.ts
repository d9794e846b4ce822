// Pure parse/serialize functions for the three transfer formats, selected by name.
import type { TransferFormat } from '../types.ts';
import { parseCsvArticles, serializeCsvArticles } from './csv.ts';
import { parseJsonArticles, serializeJsonArticles } from './json.ts';
import { parseMarkdownArticles, serializeMarkdownArticles } from './markdown.ts';
import type { ParsedFile, PortableArticle } from './record.ts';

export { parseCsvArticles, serializeCsvArticles, parseJsonArticles, serializeJsonArticles, parseMarkdownArticles, serializeMarkdownArticles };
export { PORTABLE_FIELDS, toPortable, type ParsedFile, type PortableArticle, type SourceRecord } from './record.ts';

export function parseArticles(format: TransferFormat, text: string): ParsedFile {
  switch (format) {
    case 'json':
      return parseJsonArticles(text);
    case 'csv':
      return parseCsvArticles(text);
    case 'markdown':
      return parseMarkdownArticles(text);
  }
}

export function serializeArticles(format: TransferFormat, articles: readonly PortableArticle[]): string {
  switch (format) {
    case 'json':
      return serializeJsonArticles(articles);
    case 'csv':
      return serializeCsvArticles(articles);
    case 'markdown':
      return serializeMarkdownArticles(articles);
  }
}
