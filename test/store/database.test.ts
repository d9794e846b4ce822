import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listDomainEvents, migrate, MIGRATIONS, newId, openDatabase, recordDomainEvent, uuidv7 } from '../../src/store/index.ts';

const tempDb = () => join(mkdtempSync(join(tmpdir(), 'sb-store-')), 'test.db');

describe('database', () => {
  it('opens a file in WAL mode with foreign keys and the latest schema', () => {
    const db = openDatabase({ path: tempDb() });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type='table'`).all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['accounts', 'devices', 'customers', 'conversations', 'turns', 'tickets', 'domain_events']));
    db.close();
  });

  it('re-opening applies nothing twice and keeps data', () => {
    const path = tempDb();
    const db = openDatabase({ path });
    db.prepare(`INSERT INTO customers (id, created_at, updated_at) VALUES ('c1', 'now', 'now')`).run();
    db.close();
    const again = openDatabase({ path });
    expect(again.prepare('SELECT count(*) AS n FROM customers').get()).toEqual({ n: 1 });
    again.close();
  });

  it('refuses a database written by a newer build', () => {
    const path = tempDb();
    const db = openDatabase({ path });
    db.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    db.close();
    expect(() => openDatabase({ path })).toThrow(/newer than this build/);
  });

  it('rolls a failing migration back whole', () => {
    const db = openDatabase({ path: ':memory:' });
    const before = db.pragma('user_version', { simple: true });
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: 'broken', up: 'CREATE TABLE half (x); SELECT * FROM no_such_table;' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(before);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get()).toBeUndefined();
  });

  it('records domain events in order with actor and time', () => {
    const db = openDatabase({ path: ':memory:' });
    const a = recordDomainEvent(db, { type: 'x.created', aggregate: 'ticket', aggregateId: 't1', actor: 'bot', payload: { n: 1 }, occurredAt: '2026-01-01T00:00:00.000Z' });
    recordDomainEvent(db, { type: 'x.updated', aggregate: 'ticket', aggregateId: 't1', actor: 'account:a1', payload: { n: 2 }, occurredAt: '2026-01-01T00:00:01.000Z' });
    const events = listDomainEvents(db, { aggregateId: 't1' });
    expect(events.map((e) => e.type)).toEqual(['x.created', 'x.updated']);
    expect(events[0]).toMatchObject({ eventId: a, actor: 'bot', payload: { n: 1 } });
    expect(events[1]!.actor).toBe('account:a1');
  });
});

describe('ids', () => {
  it('are unique and sort in creation order', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carry a prefix that names the thing', () => {
    expect(newId('conv')).toMatch(/^conv_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
