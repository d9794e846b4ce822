// Where training data comes from: intent files (models/nlu/intents/*.yaml) and published
// knowledge-base articles. Also the canonical form and hash that decide whether a persisted
// model still matches its corpus.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { Article } from '../knowledge/types.ts';
import { LANGUAGES, type IntentDefinition, type Language, type TrainingCorpus } from './types.ts';

/** Examples of chatter the bot must not answer; trains the out-of-scope class. */
export const NONE_INTENT = 'none';

const INTENT_NAME = /^[a-z0-9][a-z0-9_.-]*$/;
const utteranceList = z.array(z.string().trim().min(1, 'empty example')).min(1, 'no examples');
const intentFileSchema = z.object({
  intents: z.array(
    z
      .object({
        name: z.string().regex(INTENT_NAME, 'intent names are lower-case letters, digits, ".", "_" or "-"'),
        examples: z.object({ en: utteranceList.optional(), zh: utteranceList.optional() }).strict(),
      })
      .strict(),
  ),
});

export class IntentFileError extends Error {
  constructor(
    readonly file: string,
    readonly intent: string | null,
    detail: string,
  ) {
    super(`${file}${intent ? `, intent "${intent}"` : ''}: ${detail}`);
    this.name = 'IntentFileError';
  }
}

/** Reads every *.yaml / *.yml file in `dir` (sorted by name); throws IntentFileError naming the
 * file and intent of the first problem. An intent defined in two files is an error too. */
export function loadIntentFiles(dir: string): IntentDefinition[] {
  const files = readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort();
  const intents: IntentDefinition[] = [];
  const seenIn = new Map<string, string>();
  for (const file of files) {
    for (const intent of parseIntentFile(file, readFileSync(join(dir, file), 'utf8'))) {
      const other = seenIn.get(intent.name);
      if (other) throw new IntentFileError(file, intent.name, `already defined in ${other}`);
      seenIn.set(intent.name, file);
      intents.push(intent);
    }
  }
  return intents;
}

export function parseIntentFile(file: string, source: string): IntentDefinition[] {
  let data: unknown;
  try {
    data = parseYaml(source);
  } catch (err) {
    throw new IntentFileError(file, null, `not valid YAML: ${(err as Error).message}`);
  }
  const parsed = intentFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new IntentFileError(file, intentNameAt(data, issue.path), `${issue.message} at ${issue.path.join('.') || '(root)'}`);
  }
  return parsed.data.intents.map(({ name, examples }) => ({ name, examples: { ...examples } }));
}

/** The name of the intent an error path points into, when the file got that far. */
function intentNameAt(data: unknown, path: readonly PropertyKey[]): string | null {
  if (path[0] !== 'intents' || typeof path[1] !== 'number') return null;
  const intents = (data as { intents?: unknown }).intents;
  const entry = Array.isArray(intents) ? (intents[path[1]] as { name?: unknown } | undefined) : undefined;
  return typeof entry?.name === 'string' ? entry.name : `#${path[1] + 1}`;
}

/** One intent per article topic ("kb.<topic>"): title and questions of each published
 * language version are its examples. */
export function intentsFromArticles(articles: readonly Pick<Article, 'topic' | 'language' | 'title' | 'questions' | 'status'>[]): IntentDefinition[] {
  const byTopic = new Map<string, IntentDefinition>();
  for (const article of articles) {
    if (article.status !== 'published') continue;
    const name = `kb.${article.topic}`;
    const intent = byTopic.get(name) ?? { name, examples: {} };
    const examples = [article.title, ...article.questions].map((q) => q.trim()).filter(Boolean);
    intent.examples[article.language] = [...(intent.examples[article.language] ?? []), ...examples];
    byTopic.set(name, intent);
  }
  return [...byTopic.values()];
}

/**
 * Intents sorted by name, same-named intents merged, examples trimmed, de-duplicated and
 * sorted: two corpora that differ only in file order train the identical model.
 */
export function canonicalCorpus(corpus: TrainingCorpus): TrainingCorpus {
  const merged = new Map<string, Map<Language, Set<string>>>();
  for (const intent of corpus.intents) {
    const perLanguage = merged.get(intent.name) ?? new Map<Language, Set<string>>();
    for (const language of LANGUAGES) {
      const examples = intent.examples[language] ?? [];
      const set = perLanguage.get(language) ?? new Set<string>();
      for (const example of examples) if (example.trim()) set.add(example.trim());
      if (set.size > 0) perLanguage.set(language, set);
    }
    merged.set(intent.name, perLanguage);
  }
  const intents = [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, perLanguage]) => {
      const examples: IntentDefinition['examples'] = {};
      for (const language of LANGUAGES) {
        const set = perLanguage.get(language);
        if (set) examples[language] = [...set].sort();
      }
      return { name, examples };
    });
  return { intents };
}

export function corpusHash(corpus: TrainingCorpus): string {
  return createHash('sha256').update(JSON.stringify(canonicalCorpus(corpus))).digest('hex');
}
