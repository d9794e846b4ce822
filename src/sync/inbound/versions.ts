// Last-writer-wins by version for CRM updates. The CRM numbers each entity's versions; we
// remember the last one applied and our own version right after it. An older or equal
// version is refused; a newer one wins even over local edits, but those edits are recorded
// as a conflict first, never silently lost.
import type { Db } from '../../store/index.ts';

export type EntityKind = 'article' | 'customer';

export interface KnownVersion {
  remoteVersion: number;
  localVersion: number | null;
  deleted: boolean;
}

export type VersionVerdict =
  | { apply: true; localChanged: boolean; known: KnownVersion | null }
  | { apply: false; known: KnownVersion };

export type ConflictReason = 'local_changes_overwritten' | 'stale_remote_version';

/** What each kind of conflict did (stored beside the reason for whoever reads sync_conflicts). */
const RESOLUTION: Record<ConflictReason, 'remote_applied' | 'local_kept'> = {
  local_changes_overwritten: 'remote_applied',
  stale_remote_version: 'local_kept',
};

export interface ConflictRecord {
  kind: EntityKind;
  entityId: string;
  messageId: string;
  reason: ConflictReason;
  remoteVersion: number;
  knownVersion: number | null;
  localSnapshot: unknown;
  remoteSnapshot: unknown;
  at: string;
}

export class EntityVersions {
  constructor(private readonly db: Db) {}

  known(kind: EntityKind, entityId: string): KnownVersion | null {
    const r = this.db.prepare('SELECT remote_version, local_version, deleted FROM sync_entity_versions WHERE kind = ? AND entity_id = ?').get(kind, entityId) as
      | { remote_version: number; local_version: number | null; deleted: number }
      | undefined;
    return r ? { remoteVersion: r.remote_version, localVersion: r.local_version, deleted: r.deleted === 1 } : null;
  }

  /**
   * Decides whether a CRM version applies. `localVersion` is the entity's current local
   * version (null when it does not exist here).
   */
  judge(kind: EntityKind, entityId: string, remoteVersion: number, localVersion: number | null): VersionVerdict {
    const known = this.known(kind, entityId);
    if (known && remoteVersion <= known.remoteVersion) return { apply: false, known };
    // Changed here since the CRM's last write: edited (version moved), deleted, or created
    // locally before the CRM ever wrote it.
    const localChanged = known ? localVersion !== known.localVersion && !(known.deleted && localVersion === null) : localVersion !== null;
    return { apply: true, localChanged, known };
  }

  remember(kind: EntityKind, entityId: string, v: { remoteVersion: number; localVersion: number | null; deleted: boolean; at: string }): void {
    this.db
      .prepare(
        `INSERT INTO sync_entity_versions (kind, entity_id, remote_version, local_version, deleted, applied_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (kind, entity_id) DO UPDATE SET remote_version = excluded.remote_version, local_version = excluded.local_version,
           deleted = excluded.deleted, applied_at = excluded.applied_at`,
      )
      .run(kind, entityId, v.remoteVersion, v.localVersion, v.deleted ? 1 : 0, v.at);
  }

  recordConflict(c: ConflictRecord): void {
    this.db
      .prepare(
        `INSERT INTO sync_conflicts (kind, entity_id, message_id, reason, resolution, remote_version, known_version, local_snapshot, remote_snapshot, detected_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.kind, c.entityId, c.messageId, c.reason, RESOLUTION[c.reason], c.remoteVersion, c.knownVersion, c.localSnapshot === undefined ? null : JSON.stringify(c.localSnapshot), JSON.stringify(c.remoteSnapshot), c.at);
  }

  conflictCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sync_conflicts').get() as { n: number }).n;
  }
}
