// Migration 003_sync on a database that already has events: they are numbered per partition
// in id order, and events recorded afterwards continue the numbers (trigger).
import { expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, MIGRATIONS, recordDomainEvent } from '../../src/store/index.ts';

it('numbers existing events and continues with new ones', () => {
  const db = new Database(':memory:');
  migrate(db, MIGRATIONS.slice(0, 2));
  const add = (customerKey: string | null, aggregateId: string) =>
    db.prepare(`INSERT INTO domain_events (event_id, type, aggregate, aggregate_id, customer_key, actor, payload, occurred_at) VALUES (?, 't.x', 'ticket', ?, ?, 'bot', '{}', 'x')`).run(`e${Math.random()}`, aggregateId, customerKey);
  add('c1', 't1');
  add(null, 't2');
  add('c1', 't3');
  migrate(db, MIGRATIONS);
  recordDomainEvent(db, { type: 't.y', aggregate: 'ticket', aggregateId: 't4', customerKey: 'c1', actor: 'bot', payload: {}, occurredAt: 'x' });
  recordDomainEvent(db, { type: 't.y', aggregate: 'ticket', aggregateId: 't2', actor: 'bot', payload: {}, occurredAt: 'x' });
  expect(db.prepare('SELECT partition_key AS k, partition_seq AS s FROM domain_events ORDER BY id').all()).toEqual([
    { k: 'customer:c1', s: 1 },
    { k: 'ticket:t2', s: 1 },
    { k: 'customer:c1', s: 2 },
    { k: 'customer:c1', s: 3 },
    { k: 'ticket:t2', s: 2 },
  ]);
});
