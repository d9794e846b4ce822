// Shared pieces of the sync integration tests: an appliance database with a realistic mix
// of events, the sync started on it, and the exactly-once / in-order check on the CRM store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { expect } from 'vitest';
import { CustomerRepository } from '../../../src/customers/index.ts';
import { KnowledgeBase } from '../../../src/knowledge/index.ts';
import { silentLogger } from '../../../src/ops/index.ts';
import { openDatabase, recordDomainEvent, type Db } from '../../../src/store/index.ts';
import { SyncConfigSchema, startSync, type SyncConfig, type SyncHandle } from '../../../src/sync/index.ts';
import type { CrmStore } from '../../../src/sync/crm-bridge/index.ts';

export const TENANT = 'bank1';
export const BRANCH = 'br-042';

export function tempDir(prefix = 'sb-sync-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Writes `count` events: most about one of `customers` customers (ordered per customer),
 * every fifth about a conversation with no known customer (ordered per conversation).
 */
export function seedEvents(db: Db, count: number, options: { customers?: number; offset?: number } = {}): void {
  const customers = options.customers ?? 50;
  const offset = options.offset ?? 0;
  const at = new Date(Date.UTC(2026, 0, 1)).getTime();
  db.transaction(() => {
    for (let i = offset; i < offset + count; i++) {
      const occurredAt = new Date(at + i * 1000).toISOString();
      if (i % 5 === 4) {
        recordDomainEvent(db, {
          type: 'conversation.started',
          aggregate: 'conversation',
          aggregateId: `conv_anon_${i % 37}`,
          actor: 'system',
          payload: { channel: 'chat', language: 'en', deviceId: null, n: i },
          occurredAt,
        });
      } else {
        const c = `cust_${(i % customers).toString().padStart(4, '0')}`;
        recordDomainEvent(db, {
          type: 'conversation.turn_added',
          aggregate: 'conversation',
          aggregateId: `conv_${c}`,
          customerKey: c,
          actor: 'customer',
          payload: { seq: i + 1, speaker: 'customer', text: `message ${i}` },
          occurredAt,
        });
      }
    }
  })();
}

export function syncConfig(overrides: Partial<SyncConfig> & Record<string, unknown> = {}): SyncConfig {
  return SyncConfigSchema.parse({
    keepaliveSeconds: 2,
    connectTimeoutMs: 3000,
    pollIntervalMs: 50,
    backoff: { initialMs: 100, maxMs: 1000 },
    ...overrides,
  });
}

export interface AppSync {
  db: Db;
  sync: SyncHandle;
  registry: Registry;
  knowledge: KnowledgeBase;
  customers: CustomerRepository;
  knowledgeChanges: number;
  close(): Promise<void>;
}

export function startAppSync(dbPath: string, config: SyncConfig, options: { db?: Db } = {}): AppSync {
  const db = options.db ?? openDatabase({ path: dbPath });
  const registry = new Registry();
  const knowledge = new KnowledgeBase(db);
  const customers = new CustomerRepository(db);
  const app: AppSync = {
    db,
    registry,
    knowledge,
    customers,
    knowledgeChanges: 0,
    sync: undefined as unknown as SyncHandle,
    async close() {
      await app.sync.close();
      if (!options.db) db.close();
    },
  };
  app.sync = startSync({
    db,
    config,
    tenant: TENANT,
    branchId: BRANCH,
    knowledge,
    customers,
    logger: silentLogger,
    metrics: { registry },
    onKnowledgeChanged: () => app.knowledgeChanges++,
    random: () => 0.5,
  });
  return app;
}

export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 30_000, stepMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export function undelivered(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM domain_events WHERE delivered_at IS NULL').get() as { n: number }).n;
}

/**
 * The CRM store holds every appliance event exactly once, all applied (none parked), and
 * within each partition in the appliance's order with gapless numbers 1..n.
 */
export function expectExactlyOnceInOrder(db: Db, store: CrmStore, expectedTotal: number): void {
  const appliance = db.prepare('SELECT id, event_id, partition_key, partition_seq FROM domain_events ORDER BY id').all() as {
    id: number;
    event_id: string;
    partition_key: string;
    partition_seq: number;
  }[];
  expect(appliance).toHaveLength(expectedTotal);
  const counts = store.counts();
  expect(counts.events).toBe(expectedTotal);
  expect(counts.applied).toBe(expectedTotal);
  expect(counts.parked).toBe(0);
  const crm = store.db.prepare('SELECT event_id, partition_key, partition_seq FROM crm_events ORDER BY applied_order').all() as {
    event_id: string;
    partition_key: string;
    partition_seq: number;
  }[];
  const applianceSeq = new Map(appliance.map((e) => [e.event_id, e.id]));
  expect(new Set(crm.map((e) => e.event_id)).size).toBe(expectedTotal);
  for (const e of crm) expect(applianceSeq.has(e.event_id)).toBe(true);
  const lastSeq = new Map<string, { seq: number; applianceId: number }>();
  let violations = 0;
  for (const e of crm) {
    const prev = lastSeq.get(e.partition_key) ?? { seq: 0, applianceId: 0 };
    const id = applianceSeq.get(e.event_id)!;
    if (e.partition_seq !== prev.seq + 1 || id <= prev.applianceId) violations++;
    lastSeq.set(e.partition_key, { seq: e.partition_seq, applianceId: id });
  }
  expect(violations).toBe(0);
}
