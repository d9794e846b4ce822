// The outbox: domain events waiting for the broker. One interface, two implementations (the
// SQLite table the appliance uses and an in-memory one for pure publisher tests), both held
// to one conformance suite (test/sync/outbox-conformance.test.ts).
import type { Db } from '../store/index.ts';
import { partitionKeyOf } from './partitioner.ts';

export interface OutboxEvent {
  seq: number;
  eventId: string;
  schemaVersion: number;
  type: string;
  aggregate: string;
  aggregateId: string;
  customerKey: string | null;
  actor: string;
  /** The payload as stored: JSON text, sent as is. */
  payloadJson: string;
  occurredAt: string;
  partitionKey: string;
  partitionSeq: number;
}

export interface BacklogSummary {
  count: number;
  /** occurred_at of the oldest undelivered event. */
  oldestOccurredAt: string | null;
}

export interface OutboxStore {
  /**
   * Undelivered events after `afterSeq`, in seq order, with their partition numbers (fixed
   * when the event was recorded, so a republish after a crash is byte-identical).
   */
  nextBatch(afterSeq: number, limit: number): OutboxEvent[];
  /** Marks events delivered (the broker sent PUBACK). Idempotent. Returns how many changed. */
  markDelivered(seqs: readonly number[], at: string): number;
  backlog(): BacklogSummary;
  lastDeliveredAt(): string | null;
  /** Deletes up to `limit` events delivered before `before`; undelivered ones never. */
  pruneDelivered(before: string, limit: number): number;
}

interface Row {
  id: number;
  event_id: string;
  schema_version: number;
  type: string;
  aggregate: string;
  aggregate_id: string;
  customer_key: string | null;
  actor: string;
  payload: string;
  occurred_at: string;
  // Set by the domain_events_partition trigger in the inserting transaction (003_sync).
  partition_key: string;
  partition_seq: number;
}

export class SqliteOutbox implements OutboxStore {
  readonly #select;
  readonly #deliver;
  readonly #markAll;

  constructor(private readonly db: Db) {
    this.#select = db.prepare(
      `SELECT id, event_id, schema_version, type, aggregate, aggregate_id, customer_key, actor, payload, occurred_at, partition_key, partition_seq
       FROM domain_events WHERE delivered_at IS NULL AND id > ? ORDER BY id LIMIT ?`,
    );
    this.#deliver = db.prepare('UPDATE domain_events SET delivered_at = ? WHERE id BETWEEN ? AND ? AND delivered_at IS NULL');
    this.#markAll = db.transaction((seqs: readonly number[], at: string) => {
      // PUBACKs arrive in publish order, so acknowledged ids form long runs of consecutive
      // integers: one range UPDATE per run instead of one per event.
      const sorted = [...seqs].sort((a, b) => a - b);
      let n = 0;
      for (let i = 0; i < sorted.length; ) {
        let j = i;
        while (j + 1 < sorted.length && sorted[j + 1]! <= sorted[j]! + 1) j++;
        n += this.#deliver.run(at, sorted[i], sorted[j]).changes;
        i = j + 1;
      }
      return n;
    });
  }

  nextBatch(afterSeq: number, limit: number): OutboxEvent[] {
    const rows = this.#select.all(afterSeq, limit) as Row[];
    return rows.map((r) => ({
      seq: r.id,
      eventId: r.event_id,
      schemaVersion: r.schema_version,
      type: r.type,
      aggregate: r.aggregate,
      aggregateId: r.aggregate_id,
      customerKey: r.customer_key,
      actor: r.actor,
      payloadJson: r.payload,
      occurredAt: r.occurred_at,
      partitionKey: r.partition_key,
      partitionSeq: r.partition_seq,
    }));
  }

  markDelivered(seqs: readonly number[], at: string): number {
    return seqs.length === 0 ? 0 : this.#markAll(seqs, at);
  }

  backlog(): BacklogSummary {
    const r = this.db.prepare(`SELECT count(*) AS n, min(id) AS first FROM domain_events WHERE delivered_at IS NULL`).get() as { n: number; first: number | null };
    if (r.first === null) return { count: 0, oldestOccurredAt: null };
    const oldest = this.db.prepare('SELECT occurred_at FROM domain_events WHERE id = ?').get(r.first) as { occurred_at: string };
    return { count: r.n, oldestOccurredAt: oldest.occurred_at };
  }

  lastDeliveredAt(): string | null {
    const r = this.db.prepare('SELECT max(delivered_at) AS at FROM domain_events WHERE delivered_at IS NOT NULL').get() as { at: string | null };
    return r.at;
  }

  pruneDelivered(before: string, limit: number): number {
    return this.db
      .prepare(`DELETE FROM domain_events WHERE id IN (SELECT id FROM domain_events WHERE delivered_at IS NOT NULL AND delivered_at < ? ORDER BY delivered_at LIMIT ?)`)
      .run(before, limit).changes;
  }
}

/** In-memory outbox: same contract, for publisher tests without SQLite. */
export class MemoryOutbox implements OutboxStore {
  readonly #events: (OutboxEvent & { deliveredAt: string | null })[] = [];
  readonly #partitions = new Map<string, number>();
  #nextSeq = 1;

  append(e: { eventId: string; type: string; aggregate: string; aggregateId: string; customerKey?: string | null; actor?: string; payload?: unknown; occurredAt: string; schemaVersion?: number }): number {
    const seq = this.#nextSeq++;
    this.#events.push({
      seq,
      eventId: e.eventId,
      schemaVersion: e.schemaVersion ?? 1,
      type: e.type,
      aggregate: e.aggregate,
      aggregateId: e.aggregateId,
      customerKey: e.customerKey ?? null,
      actor: e.actor ?? 'system',
      payloadJson: JSON.stringify(e.payload ?? null),
      occurredAt: e.occurredAt,
      partitionKey: '',
      partitionSeq: 0,
      deliveredAt: null,
    });
    const e0 = this.#events.at(-1)!;
    e0.partitionKey = partitionKeyOf(e0);
    e0.partitionSeq = (this.#partitions.get(e0.partitionKey) ?? 0) + 1;
    this.#partitions.set(e0.partitionKey, e0.partitionSeq);
    return seq;
  }

  nextBatch(afterSeq: number, limit: number): OutboxEvent[] {
    const out: OutboxEvent[] = [];
    for (const e of this.#events) {
      if (out.length >= limit) break;
      if (e.deliveredAt !== null || e.seq <= afterSeq) continue;
      const { deliveredAt: _, ...event } = e;
      out.push(event);
    }
    return out;
  }

  markDelivered(seqs: readonly number[], at: string): number {
    const wanted = new Set(seqs);
    let n = 0;
    for (const e of this.#events) {
      if (wanted.has(e.seq) && e.deliveredAt === null) {
        e.deliveredAt = at;
        n++;
      }
    }
    return n;
  }

  backlog(): BacklogSummary {
    const pending = this.#events.filter((e) => e.deliveredAt === null);
    return { count: pending.length, oldestOccurredAt: pending[0]?.occurredAt ?? null };
  }

  lastDeliveredAt(): string | null {
    let last: string | null = null;
    for (const e of this.#events) if (e.deliveredAt !== null && (last === null || e.deliveredAt > last)) last = e.deliveredAt;
    return last;
  }

  pruneDelivered(before: string, limit: number): number {
    let n = 0;
    for (let i = 0; i < this.#events.length && n < limit; ) {
      const e = this.#events[i]!;
      if (e.deliveredAt !== null && e.deliveredAt < before) {
        this.#events.splice(i, 1);
        n++;
      } else i++;
    }
    return n;
  }
}
