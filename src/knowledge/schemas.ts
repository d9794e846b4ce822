// Runtime validators for article input, shared by the KnowledgeBase, every import format and
// the HTTP layer, so an article is accepted or refused by the same rules wherever it enters.
import { z } from 'zod';
import { AppError } from '../errors/index.ts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Characters the CSV format uses to join tags and questions; they cannot occur inside one. */
const NO_PIPE_OR_NEWLINE = /^[^|\r\n]*$/;

const slug = (what: string) =>
  z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(SLUG, `${what} must be lower-case letters, digits and single dashes (e.g. "lost-card")`);

export const ArticleStatusSchema = z.enum(['draft', 'published', 'archived']);
export const LanguageSchema = z.enum(['zh', 'en']);

const title = z.string().trim().min(1).max(200).regex(/^[^\r\n]*$/, 'title must be a single line');
// Line endings are normalised so that an article exported and re-imported is byte-identical.
const body = z
  .string()
  .transform((s) => s.replace(/\r\n?/g, '\n').trim())
  .pipe(z.string().min(1, 'body must not be empty').max(4000));
const tags = z.array(z.string().trim().min(1).max(40).regex(NO_PIPE_OR_NEWLINE, 'tag must not contain "|" or a line break')).max(20);
const questions = z
  .array(z.string().trim().min(1).max(300).regex(NO_PIPE_OR_NEWLINE, 'question must not contain "|" or a line break'))
  .max(30);

/** A new article (or a full record in an import file). `id` defaults to `${topic}.${language}`. */
export const ArticleInput = z.strictObject({
  id: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, 'id must be lower-case letters, digits, ".", "_" or "-"')
    .optional(),
  topic: slug('topic'),
  language: LanguageSchema,
  category: slug('category'),
  title,
  body,
  tags: tags.default([]),
  questions: questions.default([]),
  // Articles come mostly from the CRM and import files, which publish; admins can pass "draft".
  status: ArticleStatusSchema.default('published'),
});
export type ArticleInput = z.input<typeof ArticleInput>;
/** What ArticleInput yields once validated: defaults applied, strings trimmed. */
export type ArticleContent = z.output<typeof ArticleInput>;

/** Fields an update may change. Topic and language identify the article and cannot change. */
export const ArticlePatch = z
  .strictObject({
    category: slug('category').optional(),
    title: title.optional(),
    body: body.optional(),
    tags: tags.optional(),
    questions: questions.optional(),
    status: ArticleStatusSchema.optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'patch changes nothing' });
export type ArticlePatch = z.input<typeof ArticlePatch>;

export const ArticleListQuery = z.strictObject({
  language: LanguageSchema.optional(),
  category: z.string().min(1).max(64).optional(),
  status: ArticleStatusSchema.optional(),
  tag: z.string().min(1).max(40).optional(),
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});
export type ArticleListQuery = z.input<typeof ArticleListQuery>;

export const SearchOptionsSchema = z.strictObject({
  language: LanguageSchema.optional(),
  category: z.string().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(50).default(5),
  status: z.union([ArticleStatusSchema, z.literal('any')]).default('published'),
});

/** `{field, reason}` for each zod issue, the shape every VALIDATION_FAILED / import detail uses. */
export function describeIssues(error: z.ZodError): { field: string; reason: string }[] {
  return error.issues.map((i) => ({ field: i.path.length > 0 ? i.path.join('.') : '(record)', reason: i.message }));
}

/** Parses `value` or throws VALIDATION_FAILED naming each offending field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError('VALIDATION_FAILED', `invalid ${what}`, { issues: describeIssues(result.error) });
  }
  return result.data;
}
