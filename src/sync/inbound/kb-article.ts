// CRM → branch knowledge-base changes: article upserts and deletes, applied through the
// KnowledgeStore (so versions, search index and domain events stay consistent), ordered by
// the CRM's version with conflicts recorded.
import type { Article, KnowledgeStore } from '../../knowledge/index.ts';
import type { InboundMessage } from '../protocol.ts';
import type { ConflictReason, EntityVersions } from './versions.ts';

type Upsert = Extract<InboundMessage, { type: 'kb.article.upsert' }>;
type Delete = Extract<InboundMessage, { type: 'kb.article.delete' }>;

export interface ApplyResult {
  outcome: 'applied' | 'stale';
  /** True when articles changed (the NLU should retrain in the background). */
  knowledgeChanged: boolean;
}

/** Everything the CRM actor writes is recorded as "crm" on article versions and events. */
const ACTOR = 'crm';

function find(kb: KnowledgeStore, id: string): Article | null {
  try {
    return kb.get(id);
  } catch (err) {
    if ((err as { code?: string }).code === 'KB_ARTICLE_NOT_FOUND') return null;
    throw err;
  }
}

interface ArticleDeps {
  kb: KnowledgeStore;
  versions: EntityVersions;
  at: string;
}

function recordArticleConflict(deps: ArticleDeps, msg: Upsert | Delete, id: string, reason: ConflictReason, knownVersion: number | null, local: Article | null, remote: unknown): void {
  deps.versions.recordConflict({ kind: 'article', entityId: id, messageId: msg.messageId, reason, remoteVersion: msg.version, knownVersion, localSnapshot: local, remoteSnapshot: remote, at: deps.at });
}

export function applyArticleUpsert(msg: Upsert, deps: ArticleDeps): ApplyResult {
  const { article: input } = msg;
  const id = input.id ?? `${input.topic}.${input.language}`;
  const current = find(deps.kb, id);
  const verdict = deps.versions.judge('article', id, msg.version, current?.version ?? null);
  if (!verdict.apply) {
    recordArticleConflict(deps, msg, id, 'stale_remote_version', verdict.known.remoteVersion, current, input);
    return { outcome: 'stale', knowledgeChanged: false };
  }
  let result: Article;
  if (current) {
    result = deps.kb.update(
      id,
      { category: input.category, title: input.title, body: input.body, tags: input.tags, questions: input.questions, status: input.status },
      { actor: ACTOR },
    );
  } else {
    result = deps.kb.create({ ...input, id }, { actor: ACTOR });
  }
  const changed = !current || result.version !== current.version;
  if (verdict.localChanged && changed) {
    recordArticleConflict(deps, msg, id, 'local_changes_overwritten', verdict.known?.remoteVersion ?? null, current, input);
  }
  deps.versions.remember('article', id, { remoteVersion: msg.version, localVersion: result.version, deleted: false, at: deps.at });
  return { outcome: 'applied', knowledgeChanged: changed };
}

export function applyArticleDelete(msg: Delete, deps: ArticleDeps): ApplyResult {
  const id = msg.articleId;
  const current = find(deps.kb, id);
  const verdict = deps.versions.judge('article', id, msg.version, current?.version ?? null);
  if (!verdict.apply) {
    recordArticleConflict(deps, msg, id, 'stale_remote_version', verdict.known.remoteVersion, current, { deleted: true });
    return { outcome: 'stale', knowledgeChanged: false };
  }
  if (current && verdict.localChanged && verdict.known) {
    recordArticleConflict(deps, msg, id, 'local_changes_overwritten', verdict.known.remoteVersion, current, { deleted: true });
  }
  if (current) deps.kb.remove(id, { actor: ACTOR });
  // Remembered even when there was nothing to delete: a late, older upsert must not revive it.
  deps.versions.remember('article', id, { remoteVersion: msg.version, localVersion: null, deleted: true, at: deps.at });
  return { outcome: 'applied', knowledgeChanged: current !== null };
}
