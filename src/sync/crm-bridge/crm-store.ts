// The reference CRM store (SQLite): applies each branch event exactly once (dedupe by event
// id) and in partition order (per customer, else per aggregate). Events that arrive early
// (several bridge instances share the subscription, so neighbours may overtake each other)
// are parked until the gap before them is filled. Safe for several bridge processes on one
// file: every ingest is one IMMEDIATE transaction.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OutboundEvent } from '../protocol.ts';

export type IngestOutcome = 'applied' | 'parked' | 'duplicate';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS crm_events (
  event_id      TEXT PRIMARY KEY,
  tenant        TEXT NOT NULL,
  branch_id     TEXT NOT NULL,
  type          TEXT NOT NULL,
  partition_key TEXT NOT NULL,
  partition_seq INTEGER NOT NULL,
  customer_key  TEXT,
  occurred_at   TEXT NOT NULL,
  envelope      TEXT NOT NULL,
  received_at   TEXT NOT NULL,
  -- Position in the CRM's apply order; NULL while parked waiting for an earlier event.
  applied_order INTEGER UNIQUE
);
CREATE UNIQUE INDEX IF NOT EXISTS crm_events_partition ON crm_events(tenant, branch_id, partition_key, partition_seq);
CREATE TABLE IF NOT EXISTS crm_partitions (
  tenant        TEXT NOT NULL,
  branch_id     TEXT NOT NULL,
  partition_key TEXT NOT NULL,
  applied_seq   INTEGER NOT NULL,
  PRIMARY KEY (tenant, branch_id, partition_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS crm_customers (
  tenant      TEXT NOT NULL,
  branch_id   TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  record      TEXT NOT NULL,
  merged_into TEXT,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (tenant, branch_id, customer_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS crm_dead_letters (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  topic       TEXT NOT NULL,
  reason      TEXT NOT NULL,
  excerpt     TEXT NOT NULL,
  received_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS crm_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;

interface ParkedRow {
  event_id: string;
  envelope: string;
}

export class CrmStore {
  readonly db: Database.Database;
  readonly #ingest: (e: OutboundEvent, raw: string, at: string) => IngestOutcome;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO crm_events (event_id, tenant, branch_id, type, partition_key, partition_seq, customer_key, occurred_at, envelope, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const bumpDuplicates = this.db.prepare(`INSERT INTO crm_counters (name, value) VALUES ('duplicates', 1) ON CONFLICT (name) DO UPDATE SET value = value + 1`);
    const appliedSeq = this.db.prepare('SELECT applied_seq FROM crm_partitions WHERE tenant = ? AND branch_id = ? AND partition_key = ?').pluck();
    const nextInPartition = this.db.prepare(
      'SELECT event_id, envelope FROM crm_events WHERE tenant = ? AND branch_id = ? AND partition_key = ? AND partition_seq = ? AND applied_order IS NULL',
    );
    const nextOrder = this.db.prepare('SELECT coalesce(max(applied_order), 0) + 1 FROM crm_events').pluck();
    const setOrder = this.db.prepare('UPDATE crm_events SET applied_order = ? WHERE event_id = ?');
    const setApplied = this.db.prepare(
      `INSERT INTO crm_partitions (tenant, branch_id, partition_key, applied_seq) VALUES (?, ?, ?, ?)
       ON CONFLICT (tenant, branch_id, partition_key) DO UPDATE SET applied_seq = excluded.applied_seq`,
    );
    const tx = this.db.transaction((e: OutboundEvent, raw: string, at: string): IngestOutcome => {
      const p = e.partition;
      if (insert.run(e.eventId, e.tenant, e.branchId, e.type, p.key, p.seq, e.customerKey, e.occurredAt, raw, at).changes === 0) {
        bumpDuplicates.run();
        return 'duplicate';
      }
      let applied = (appliedSeq.get(e.tenant, e.branchId, p.key) as number | undefined) ?? 0;
      if (p.seq !== applied + 1) return 'parked';
      // This event closes the gap: apply it and every parked successor in order.
      let order = nextOrder.get() as number;
      for (let row = nextInPartition.get(e.tenant, e.branchId, p.key, applied + 1) as ParkedRow | undefined; row; row = nextInPartition.get(e.tenant, e.branchId, p.key, applied + 1) as ParkedRow | undefined) {
        setOrder.run(order++, row.event_id);
        this.#project(JSON.parse(row.envelope) as OutboundEvent, at);
        applied++;
      }
      setApplied.run(e.tenant, e.branchId, p.key, applied);
      return 'applied';
    });
    this.#ingest = (e, raw, at) => tx.immediate(e, raw, at);
  }

  /** Stores and applies one validated event; a repeat of a stored event id changes nothing. */
  ingest(event: OutboundEvent, raw: string, at: string = new Date().toISOString()): IngestOutcome {
    return this.#ingest(event, raw, at);
  }

  deadLetter(topic: string, reason: string, payload: Uint8Array, at: string = new Date().toISOString()): void {
    this.db.prepare('INSERT INTO crm_dead_letters (topic, reason, excerpt, received_at) VALUES (?, ?, ?, ?)').run(topic, reason, Buffer.from(payload.subarray(0, 2048)).toString('utf8'), at);
  }

  /** The CRM's view of customers: a projection of customer events (the "apply" side). */
  #project(e: OutboundEvent, at: string): void {
    const upsert = (record: { id: string; mergedInto?: string | null }) =>
      this.db
        .prepare(
          `INSERT INTO crm_customers (tenant, branch_id, customer_id, record, merged_into, updated_at) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (tenant, branch_id, customer_id) DO UPDATE SET record = excluded.record, merged_into = excluded.merged_into, updated_at = excluded.updated_at`,
        )
        .run(e.tenant, e.branchId, record.id, JSON.stringify(record), record.mergedInto ?? null, at);
    const payload = e.payload as Record<string, unknown> | null;
    if ((e.type === 'customer.created' || e.type === 'customer.updated') && payload && typeof payload.id === 'string') upsert(payload as { id: string });
    if (e.type === 'customer.merged' && payload && typeof payload.mergedId === 'string') {
      const survivor = payload.customer as { id: string } | undefined;
      if (survivor && typeof survivor.id === 'string') {
        upsert(survivor);
        this.db.prepare('UPDATE crm_customers SET merged_into = ? WHERE tenant = ? AND branch_id = ? AND customer_id = ?').run(survivor.id, e.tenant, e.branchId, payload.mergedId);
      }
    }
  }

  counts(): { events: number; applied: number; parked: number; duplicates: number; deadLetters: number } {
    const r = this.db.prepare('SELECT count(*) AS events, count(applied_order) AS applied FROM crm_events').get() as { events: number; applied: number };
    const dup = (this.db.prepare(`SELECT value FROM crm_counters WHERE name = 'duplicates'`).pluck().get() as number | undefined) ?? 0;
    const dl = this.db.prepare('SELECT count(*) FROM crm_dead_letters').pluck().get() as number;
    return { events: r.events, applied: r.applied, parked: r.events - r.applied, duplicates: dup, deadLetters: dl };
  }

  /** Applied events in apply order (for forwarding, checks and tests). */
  appliedAfter(order: number, limit: number): { appliedOrder: number; eventId: string; partitionKey: string; partitionSeq: number; envelope: string }[] {
    return (
      this.db
        .prepare('SELECT applied_order, event_id, partition_key, partition_seq, envelope FROM crm_events WHERE applied_order > ? ORDER BY applied_order LIMIT ?')
        .all(order, limit) as { applied_order: number; event_id: string; partition_key: string; partition_seq: number; envelope: string }[]
    ).map((r) => ({ appliedOrder: r.applied_order, eventId: r.event_id, partitionKey: r.partition_key, partitionSeq: r.partition_seq, envelope: r.envelope }));
  }

  counter(name: string): number {
    return (this.db.prepare('SELECT value FROM crm_counters WHERE name = ?').pluck().get(name) as number | undefined) ?? 0;
  }

  /** Moves a counter forward only from `from` (compare-and-set, for several forwarders). */
  advanceCounter(name: string, from: number, to: number): boolean {
    if (from === 0) {
      return this.db.prepare(`INSERT INTO crm_counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value WHERE value = 0`).run(name, to).changes === 1;
    }
    return this.db.prepare('UPDATE crm_counters SET value = ? WHERE name = ? AND value = ?').run(to, name, from).changes === 1;
  }

  close(): void {
    this.db.close();
  }
}
