// Knowledge base: articles, every version of every article, and the full-text index used to
// answer customers in Chinese and English.
import type { Migration } from './index.ts';

export const knowledge: Migration = {
  version: 2,
  name: 'knowledge',
  up: `
CREATE TABLE articles (
  id          TEXT PRIMARY KEY,
  -- Integer key of the article's row in articles_fts. The implicit rowid of a TEXT-keyed
  -- table may be renumbered by VACUUM, which would silently detach the index.
  doc_id      INTEGER NOT NULL UNIQUE,
  topic       TEXT NOT NULL,
  language    TEXT NOT NULL CHECK (language IN ('zh','en')),
  category    TEXT NOT NULL,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  tags        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
  questions   TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(questions) AND json_type(questions) = 'array'),
  status      TEXT NOT NULL CHECK (status IN ('draft','published','archived')),
  version     INTEGER NOT NULL CHECK (version >= 1),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (topic, language)
);
CREATE INDEX articles_listing ON articles(language, category, status);

-- Every version ever stored, including a final "deleted" one. No foreign key: the history of
-- a deleted article must outlive it (audit, CRM reconciliation).
CREATE TABLE article_versions (
  article_id  TEXT NOT NULL,
  version     INTEGER NOT NULL,
  change      TEXT NOT NULL CHECK (change IN ('created','updated','deleted')),
  topic       TEXT NOT NULL,
  language    TEXT NOT NULL,
  category    TEXT NOT NULL,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL,
  tags        TEXT NOT NULL,
  questions   TEXT NOT NULL,
  status      TEXT NOT NULL,
  actor       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  PRIMARY KEY (article_id, version)
);

-- Contentless: it holds derived text (CJK runs rewritten as character bigrams + unigrams so
-- two-character Chinese words match; other text stemmed by porter), never shown to anyone.
-- The KnowledgeBase writes it in the same transaction as the article (the derivation is done
-- in TypeScript, so SQL triggers cannot do it). Column order fixes the bm25 weights.
CREATE VIRTUAL TABLE articles_fts USING fts5(
  title, questions, body, tags,
  content = '',
  contentless_delete = 1,
  tokenize = 'porter unicode61 remove_diacritics 2'
);
`,
};
