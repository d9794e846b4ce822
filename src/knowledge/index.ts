// Public face of the knowledge base: article types and schemas, the SQLite-backed store with
// search, import/export in JSON/CSV/Markdown, and the demo content seeder.
export type {
  Article,
  ArticleStatus,
  ArticleVersion,
  ArticleListFilter,
  ImportMode,
  ImportOptions,
  ImportProblem,
  ImportResult,
  KnowledgeStore,
  ListQuery,
  SearchHit,
  SearchOptions,
  TransferFormat,
  WriteOptions,
} from './types.ts';
export { TRANSFER_FORMATS } from './types.ts';
export { ArticleInput, ArticlePatch, ArticleListQuery, ArticleStatusSchema, SearchOptionsSchema, type ArticleContent } from './schemas.ts';
export { KnowledgeBase, type KnowledgeBaseOptions } from './knowledge-base.ts';
export { MAX_QUERY_LENGTH } from './search-text.ts';
export { MAX_IMPORT_ARTICLES, MAX_IMPORT_CHARS, type ValidArticle } from './import-validation.ts';
export { parseArticles, serializeArticles, type ParsedFile, type PortableArticle } from './formats/index.ts';
export { DEMO_KB_PATH, loadDemoArticles, seedKnowledgeBase } from './demo.ts';
