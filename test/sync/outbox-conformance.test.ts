// One conformance suite for every OutboxStore implementation (SQLite and in-memory).
import { describe, expect, it } from 'vitest';
import { openDatabase, recordDomainEvent, uuidv7 } from '../../src/store/index.ts';
import { MemoryOutbox, SqliteOutbox, type OutboxStore } from '../../src/sync/index.ts';

interface Harness {
  outbox: OutboxStore;
  add(e: { customerKey?: string | null; aggregateId: string; at?: string }): void;
}

const implementations: [string, () => Harness][] = [
  [
    'SqliteOutbox',
    () => {
      const db = openDatabase({ path: ':memory:' });
      return {
        outbox: new SqliteOutbox(db),
        add: (e) => recordDomainEvent(db, { type: 'ticket.created', aggregate: 'ticket', aggregateId: e.aggregateId, customerKey: e.customerKey ?? null, actor: 'bot', payload: { n: 1 }, occurredAt: e.at ?? '2026-01-01T00:00:00.000Z' }),
      };
    },
  ],
  [
    'MemoryOutbox',
    () => {
      const outbox = new MemoryOutbox();
      return { outbox, add: (e) => void outbox.append({ eventId: `evt_${uuidv7()}`, type: 'ticket.created', aggregate: 'ticket', aggregateId: e.aggregateId, customerKey: e.customerKey ?? null, occurredAt: e.at ?? '2026-01-01T00:00:00.000Z' }) };
    },
  ],
];

describe.each(implementations)('%s conforms to OutboxStore', (_, make) => {
  it('numbers partitions gaplessly: per customer, else per aggregate', () => {
    const h = make();
    h.add({ customerKey: 'c1', aggregateId: 't1' });
    h.add({ aggregateId: 't9' });
    h.add({ customerKey: 'c1', aggregateId: 't2' });
    h.add({ customerKey: 'c2', aggregateId: 't3' });
    h.add({ aggregateId: 't9' });
    expect(h.outbox.nextBatch(0, 10).map((e) => [e.partitionKey, e.partitionSeq])).toEqual([
      ['customer:c1', 1],
      ['ticket:t9', 1],
      ['customer:c1', 2],
      ['customer:c2', 1],
      ['ticket:t9', 2],
    ]);
  });

  it('pages in order after a cursor and keeps numbers stable on re-read', () => {
    const h = make();
    for (let i = 0; i < 5; i++) h.add({ customerKey: 'c', aggregateId: `t${i}` });
    const first = h.outbox.nextBatch(0, 2);
    const rest = h.outbox.nextBatch(first.at(-1)!.seq, 10);
    expect([...first, ...rest].map((e) => e.partitionSeq)).toEqual([1, 2, 3, 4, 5]);
    expect(h.outbox.nextBatch(0, 10).map((e) => [e.eventId, e.partitionSeq])).toEqual([...first, ...rest].map((e) => [e.eventId, e.partitionSeq]));
  });

  it('delivered events leave the backlog; marking twice is harmless', () => {
    const h = make();
    h.add({ aggregateId: 'a', at: '2026-01-01T00:00:00.000Z' });
    h.add({ aggregateId: 'b', at: '2026-01-02T00:00:00.000Z' });
    const [a, b] = h.outbox.nextBatch(0, 10);
    expect(h.outbox.backlog()).toEqual({ count: 2, oldestOccurredAt: '2026-01-01T00:00:00.000Z' });
    expect(h.outbox.markDelivered([a!.seq], '2026-02-01T00:00:00.000Z')).toBe(1);
    expect(h.outbox.markDelivered([a!.seq], '2026-02-02T00:00:00.000Z')).toBe(0);
    expect(h.outbox.backlog()).toEqual({ count: 1, oldestOccurredAt: '2026-01-02T00:00:00.000Z' });
    expect(h.outbox.lastDeliveredAt()).toBe('2026-02-01T00:00:00.000Z');
    expect(h.outbox.nextBatch(0, 10).map((e) => e.seq)).toEqual([b!.seq]);
  });

  it('prunes only delivered events older than the cut-off, never undelivered ones', () => {
    const h = make();
    for (const id of ['a', 'b', 'c']) h.add({ aggregateId: id });
    const [a, b] = h.outbox.nextBatch(0, 10);
    h.outbox.markDelivered([a!.seq], '2026-01-01T00:00:00.000Z');
    h.outbox.markDelivered([b!.seq], '2026-03-01T00:00:00.000Z');
    expect(h.outbox.pruneDelivered('2026-02-01T00:00:00.000Z', 100)).toBe(1);
    expect(h.outbox.pruneDelivered('2027-01-01T00:00:00.000Z', 100)).toBe(1);
    expect(h.outbox.backlog().count).toBe(1);
  });
});

it('SqliteOutbox continues partition numbers across pruning (numbers never restart)', () => {
  const db = openDatabase({ path: ':memory:' });
  const outbox = new SqliteOutbox(db);
  const add = () => recordDomainEvent(db, { type: 'ticket.created', aggregate: 'ticket', aggregateId: 't', customerKey: 'c', actor: 'bot', payload: {}, occurredAt: '2026-01-01T00:00:00.000Z' });
  add();
  const [first] = outbox.nextBatch(0, 10);
  outbox.markDelivered([first!.seq], '2026-01-01T00:00:00.000Z');
  outbox.pruneDelivered('2027-01-01T00:00:00.000Z', 10);
  add();
  expect(outbox.nextBatch(0, 10).map((e) => e.partitionSeq)).toEqual([2]);
});
