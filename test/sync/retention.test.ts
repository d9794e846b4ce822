// Retention and the disk guard: delivered events go after their age; an undelivered backlog
// is never dropped but raises an alert (status + metric).
import { Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { CustomerRepository } from '../../src/customers/index.ts';
import { KnowledgeBase } from '../../src/knowledge/index.ts';
import { silentLogger } from '../../src/ops/index.ts';
import { openDatabase, recordDomainEvent } from '../../src/store/index.ts';
import { SyncConfigSchema, startSync } from '../../src/sync/index.ts';
import { SqliteOutbox } from '../../src/sync/outbox.ts';
import { join } from 'node:path';
import { tempDir } from './helpers/scenario.ts';

it('prunes delivered events after deliveredDays, keeps every undelivered one and alerts on a large backlog', async () => {
  const db = openDatabase({ path: join(tempDir(), 'app.db') });
  let now = new Date('2026-03-01T00:00:00.000Z');
  for (let i = 0; i < 30; i++) recordDomainEvent(db, { type: 'ticket.created', aggregate: 'ticket', aggregateId: `t${i}`, actor: 'bot', payload: {}, occurredAt: '2026-01-01T00:00:00.000Z' });
  const outbox = new SqliteOutbox(db);
  const batch = outbox.nextBatch(0, 10);
  outbox.markDelivered(batch.map((e) => e.seq), '2026-01-15T00:00:00.000Z');

  const registry = new Registry();
  const sync = startSync({
    db,
    config: SyncConfigSchema.parse({ retention: { deliveredDays: 30, maxBacklogEvents: 5 } }),
    tenant: 'bank1',
    branchId: 'br-1',
    knowledge: new KnowledgeBase(db),
    customers: new CustomerRepository(db),
    logger: silentLogger,
    metrics: { registry },
    onKnowledgeChanged: () => {},
    clock: () => now,
  });
  // startSync runs retention once: the 10 delivered (45 days old) are gone, 20 remain.
  expect((db.prepare('SELECT count(*) AS n FROM domain_events').get() as { n: number }).n).toBe(20);
  const status = sync.status();
  expect(status.enabled).toBe(false);
  expect(status.connection.state).toBe('disabled');
  expect(status.outbox.backlog).toBe(20);
  expect(status.outbox.oldestUndeliveredAgeSeconds).toBe(59 * 86_400);
  expect(status.disk).toMatchObject({ alert: true, backlogEvents: 20 });
  expect(status.disk!.reasons.join()).toMatch(/20 events wait for delivery/);
  expect(status.disk!.freeBytes).toBeGreaterThan(0);
  const metrics = await registry.metrics();
  expect(metrics).toMatch(/switchboard_sync_disk_alert 1/);
  expect(metrics).toMatch(/switchboard_sync_backlog_events 20/);
  expect(metrics).toMatch(/switchboard_sync_events_pruned_total 10/);

  now = new Date('2027-01-01T00:00:00.000Z'); // a year offline: still nothing undelivered is dropped
  expect(sync.runRetention().prunedEvents).toBe(0);
  expect(sync.status().outbox.backlog).toBe(20);
  await sync.close();
  db.close();
});
