// Demo content for a fresh appliance: loads the bundled bilingual branch KB and seeds it into
// an empty knowledge base on first start.
import { readFileSync } from 'node:fs';
import { AppError } from '../errors/index.ts';
import { parseJsonArticles, serializeJsonArticles } from './formats/index.ts';
import { validateRecords, type ValidArticle } from './import-validation.ts';
import type { KnowledgeBase } from './knowledge-base.ts';
import type { ImportResult, WriteOptions } from './types.ts';

/** Where the demo KB lives, relative to the installation root. */
export const DEMO_KB_PATH = 'models/knowledge/demo-kb.json';

/** Reads and validates a JSON article file; any bad record is KB_IMPORT_INVALID naming it. */
export function loadDemoArticles(path: string = DEMO_KB_PATH): ValidArticle[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new AppError('KB_IMPORT_INVALID', `cannot read demo knowledge base ${path}`, { problems: [{ record: 0, field: '(file)', reason: (err as Error).message }] }, { cause: err });
  }
  const { valid, problems } = validateRecords(parseJsonArticles(text));
  if (problems.length > 0) throw new AppError('KB_IMPORT_INVALID', `demo knowledge base ${path} is invalid`, { path, problems });
  return valid.map((r) => r.article);
}

/**
 * Seeds `articles` only into a knowledge base that has never held an article, so restarting
 * the appliance — or an admin deleting every demo article — never brings them back.
 * Returns null when it did nothing.
 */
export function seedKnowledgeBase(kb: KnowledgeBase, articles: readonly ValidArticle[], options: WriteOptions = {}): ImportResult | null {
  if (!kb.isPristine()) return null;
  return kb.importArticles('json', serializeJsonArticles(articles), { mode: 'create-only', actor: options.actor ?? 'system' });
}
