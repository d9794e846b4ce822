// Every state change of a conversation, handoff, ticket, customer or article is recorded as
// a domain event in the same transaction as the change, with actor and time; the CRM sync
// publishes them from here.
import type { Db } from './database.ts';
import { newId } from './ids.ts';

export interface DomainEventInput {
  type: string;
  aggregate: 'conversation' | 'turn' | 'handoff' | 'ticket' | 'customer' | 'article' | 'account' | 'device' | 'nlu';
  aggregateId: string;
  /** Key that orders events per customer downstream; null when no customer is known. */
  customerKey?: string | null;
  /** Who caused it: "customer", "bot", "system", or "account:<id>" / "device:<id>". */
  actor: string;
  payload: unknown;
  occurredAt: string;
  /** Version of this event type's payload schema (the MQTT contract); default 1. */
  schemaVersion?: number;
}

export interface DomainEvent extends DomainEventInput {
  seq: number;
  eventId: string;
}

/** Call inside the transaction that makes the change. */
export function recordDomainEvent(db: Db, event: DomainEventInput): string {
  const eventId = newId('evt');
  db.prepare(
    `INSERT INTO domain_events (event_id, type, aggregate, aggregate_id, customer_key, actor, payload, occurred_at, schema_version)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    eventId,
    event.type,
    event.aggregate,
    event.aggregateId,
    event.customerKey ?? null,
    event.actor,
    JSON.stringify(event.payload ?? null),
    event.occurredAt,
    event.schemaVersion ?? 1,
  );
  return eventId;
}

interface EventRow {
  id: number;
  event_id: string;
  type: string;
  aggregate: DomainEventInput['aggregate'];
  aggregate_id: string;
  customer_key: string | null;
  actor: string;
  payload: string;
  occurred_at: string;
}

export function listDomainEvents(db: Db, filter: { aggregateId?: string; afterSeq?: number; limit?: number } = {}): DomainEvent[] {
  const rows = db
    .prepare(
      `SELECT * FROM domain_events
       WHERE (@aggregateId IS NULL OR aggregate_id = @aggregateId) AND id > @afterSeq
       ORDER BY id LIMIT @limit`,
    )
    .all({ aggregateId: filter.aggregateId ?? null, afterSeq: filter.afterSeq ?? 0, limit: filter.limit ?? 1000 }) as EventRow[];
  return rows.map((r) => ({
    seq: r.id,
    eventId: r.event_id,
    type: r.type,
    aggregate: r.aggregate,
    aggregateId: r.aggregate_id,
    customerKey: r.customer_key,
    actor: r.actor,
    payload: JSON.parse(r.payload) as unknown,
    occurredAt: r.occurred_at,
  }));
}
