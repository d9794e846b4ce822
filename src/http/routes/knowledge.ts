// Knowledge-base routes: search (any signed-in client), CRUD, versions, import/export (editors).
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { KB_EDITORS, STAFF } from '../../auth/index.ts';
import { AppError } from '../../errors/index.ts';
import { ArticleInput, ArticlePatch } from '../../knowledge/index.ts';
import { principalOf, requireRole } from '../middleware.ts';
import { ArticleSchema, errorResponses, jsonBody, jsonContent, LanguageSchema, PageQuery } from '../schemas.ts';
import type { AppEnv, HttpDeps } from '../types.ts';

const Format = z.enum(['json', 'csv', 'markdown']);
const CONTENT_TYPES = { json: 'application/json', csv: 'text/csv; charset=utf-8', markdown: 'text/markdown; charset=utf-8' } as const;
const IdParam = z.object({ id: z.string().min(1).max(100) });
const SearchHitSchema = z.object({ article: ArticleSchema, score: z.number(), snippet: z.string() }).openapi('SearchHit');

export function registerKnowledgeRoutes(app: OpenAPIHono<AppEnv>, deps: HttpDeps): void {
  const readers = requireRole(deps, [...STAFF, 'kiosk'], 'kb:read');
  // The CRM (or another system) may maintain the knowledge base with scope 'kb:write'.
  const editors = requireRole(deps, KB_EDITORS, 'kb:write');
  const kb = deps.knowledge;

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/kb/search',
      tags: ['knowledge'],
      summary: 'Full-text search of published articles (Chinese and English), best first',
      middleware: [readers] as const,
      request: {
        query: z.object({
          q: z.string().min(1).max(500),
          language: LanguageSchema.optional(),
          category: z.string().min(1).max(64).optional(),
          limit: z.coerce.number().int().min(1).max(50).default(5),
        }),
      },
      responses: { 200: jsonContent(z.object({ items: z.array(SearchHitSchema) })), ...errorResponses(400, 401, 403) },
    }),
    (c) => {
      const { q, ...opts } = c.req.valid('query');
      return c.json({ items: kb.search(q, opts) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/kb/articles',
      tags: ['knowledge'],
      summary: 'List articles',
      middleware: [readers] as const,
      request: {
        query: PageQuery.extend({
          language: LanguageSchema.optional(),
          category: z.string().min(1).max(64).optional(),
          status: z.enum(['draft', 'published', 'archived']).optional(),
          tag: z.string().min(1).max(40).optional(),
        }),
      },
      responses: { 200: jsonContent(z.object({ items: z.array(ArticleSchema), total: z.number().int() })), ...errorResponses(400, 401, 403) },
    }),
    (c) => c.json(kb.list(c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/kb/articles/{id}',
      tags: ['knowledge'],
      summary: 'One article',
      middleware: [readers] as const,
      request: { params: IdParam },
      responses: { 200: jsonContent(ArticleSchema), ...errorResponses(401, 403, 404) },
    }),
    (c) => c.json(kb.get(c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/kb/articles/{id}/versions',
      tags: ['knowledge'],
      summary: 'Every stored version of an article, oldest first',
      middleware: [editors] as const,
      request: { params: IdParam },
      responses: { 200: jsonContent(z.object({ items: z.array(ArticleSchema) })), ...errorResponses(401, 403, 404) },
    }),
    (c) => c.json({ items: kb.history(c.req.valid('param').id) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/kb/articles',
      tags: ['knowledge'],
      summary: 'Create an article',
      middleware: [editors] as const,
      request: { body: jsonBody(ArticleInput) },
      responses: { 201: jsonContent(ArticleSchema, 'Created'), ...errorResponses(400, 401, 403, 409, 413, 415) },
    }),
    (c) => {
      const article = kb.create(c.req.valid('json'), { actor: principalOf(c).subject });
      deps.knowledgeChanged();
      return c.json(article, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/v1/kb/articles/{id}',
      tags: ['knowledge'],
      summary: 'Change an article; send If-Match: <version> to refuse a stale edit',
      middleware: [editors] as const,
      request: { params: IdParam, body: jsonBody(ArticlePatch), headers: z.object({ 'if-match': z.string().regex(/^"?\d+"?$/).optional() }) },
      responses: { 200: jsonContent(ArticleSchema), ...errorResponses(400, 401, 403, 404, 409, 415) },
    }),
    (c) => {
      const ifMatch = c.req.valid('header')['if-match'];
      const expectedVersion = ifMatch ? Number(ifMatch.replaceAll('"', '')) : undefined;
      const article = kb.update(c.req.valid('param').id, c.req.valid('json'), { expectedVersion, actor: principalOf(c).subject });
      deps.knowledgeChanged();
      return c.json(article, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/v1/kb/articles/{id}',
      tags: ['knowledge'],
      summary: 'Delete an article (its version history is kept)',
      middleware: [editors] as const,
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) },
    }),
    (c) => {
      kb.remove(c.req.valid('param').id, { actor: principalOf(c).subject });
      deps.knowledgeChanged();
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/kb/import',
      tags: ['knowledge'],
      summary: 'Bulk import (JSON array, CSV or Markdown); all-or-nothing',
      middleware: [editors] as const,
      request: {
        query: z.object({ format: Format, mode: z.enum(['upsert', 'create-only']).default('upsert') }),
        // Not "required": with it, the JSON validator would also run on CSV and Markdown
        // bodies. An empty body is refused in the handler (KB_IMPORT_INVALID).
        body: {
          required: false,
          content: {
            'application/json': { schema: z.array(z.unknown()) },
            'text/csv': { schema: z.string() },
            'text/markdown': { schema: z.string() },
          },
        },
      },
      responses: {
        200: jsonContent(z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() })),
        ...errorResponses(400, 401, 403, 413, 415),
      },
    }),
    async (c) => {
      const { format, mode } = c.req.valid('query');
      const text = await c.req.text();
      if (!text.trim()) throw new AppError('KB_IMPORT_INVALID', 'import body is empty');
      const result = kb.importArticles(format, text, { mode, actor: principalOf(c).subject });
      deps.knowledgeChanged();
      return c.json(result, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/kb/export',
      tags: ['knowledge'],
      summary: 'Export articles as JSON, CSV or Markdown',
      middleware: [editors] as const,
      request: { query: z.object({ format: Format, language: LanguageSchema.optional(), status: z.enum(['draft', 'published', 'archived']).optional() }) },
      responses: {
        200: { description: 'The exported file', content: { 'application/json': { schema: z.array(ArticleSchema) }, 'text/csv': { schema: z.string() }, 'text/markdown': { schema: z.string() } } },
        ...errorResponses(400, 401, 403),
      },
    }),
    (c) => {
      const { format, ...filter } = c.req.valid('query');
      const text = kb.exportArticles(format, filter);
      return c.body(text, 200, { 'content-type': CONTENT_TYPES[format], 'content-disposition': `attachment; filename="knowledge.${format === 'markdown' ? 'md' : format}"` });
    },
  );
}
