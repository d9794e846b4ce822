// The publisher against a scripted transport: bounded window, delivered only on PUBACK, a
// refused or unheard publish stays queued, and a new connection resumes in order.
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/ops/index.ts';
import { uuidv7 } from '../../src/store/index.ts';
import { MemoryOutbox, validateOutboundEvent } from '../../src/sync/index.ts';
import { Publisher, type PublishTransport } from '../../src/sync/publisher.ts';

type Ack = (err?: Error, ack?: { reasonCode?: number }) => void;

class ScriptedTransport implements PublishTransport {
  pending: { topic: string; payload: string; ack: Ack }[] = [];
  sent: string[] = [];
  publish(topic: string, payload: string, _: { qos: 1 }, ack: Ack) {
    this.pending.push({ topic, payload, ack });
    this.sent.push(JSON.parse(payload).eventId as string);
  }
  ackAll(reasonCode = 0) {
    const p = this.pending;
    this.pending = [];
    for (const x of p) x.ack(undefined, { reasonCode });
  }
}

function setup(events: number, options: { maxInFlight?: number; requireSubscriber?: boolean } = {}) {
  const outbox = new MemoryOutbox();
  for (let i = 0; i < events; i++) outbox.append({ eventId: `evt_${uuidv7()}`, type: 'ticket.created', aggregate: 'ticket', aggregateId: `t${i % 3}`, customerKey: i % 2 ? 'cust_1' : null, occurredAt: '2026-01-01T00:00:00.000Z', payload: { ticket: { id: `t${i % 3}`, subject: 's', status: 'open', priority: 'normal' } } });
  const rejected: Error[] = [];
  const publisher = new Publisher({
    outbox,
    scope: { prefix: 'switchboard/v1', tenant: 'bank1', branch: 'br-1' },
    batchSize: 4,
    maxInFlight: options.maxInFlight ?? 5,
    pollIntervalMs: 10_000,
    ackFlushMs: 1,
    requireSubscriber: options.requireSubscriber ?? true,
    clock: () => new Date('2026-01-02T00:00:00.000Z'),
    logger: silentLogger,
    onRejected: (e) => rejected.push(e),
  });
  return { outbox, publisher, rejected };
}

const flush = () => new Promise((r) => setTimeout(r, 5));

describe('Publisher', () => {
  it('keeps at most maxInFlight unacknowledged and marks delivered only on PUBACK', async () => {
    const { outbox, publisher } = setup(12);
    const t = new ScriptedTransport();
    publisher.attach(t);
    expect(t.pending).toHaveLength(5);
    await flush();
    expect(outbox.backlog().count).toBe(12);
    t.ackAll();
    expect(t.pending).toHaveLength(5);
    await flush();
    expect(outbox.backlog().count).toBe(7);
    t.ackAll();
    t.ackAll();
    await flush();
    expect(outbox.backlog().count).toBe(0);
    expect(publisher.state).toBe('idle');
    publisher.close();
  });

  it('publishes valid contract messages in outbox order', () => {
    const { publisher } = setup(6, { maxInFlight: 10 });
    const t = new ScriptedTransport();
    publisher.attach(t);
    const messages = t.pending.map((p) => JSON.parse(p.payload) as unknown);
    expect(messages.map((m) => validateOutboundEvent(m).ok)).toEqual(Array(6).fill(true));
    expect(t.pending[0]!.topic).toBe('switchboard/v1/bank1/br-1/events/ticket');
    publisher.close();
  });

  it('after a lost connection, republishes everything unacknowledged, in the same order', async () => {
    const { outbox, publisher } = setup(8, { maxInFlight: 4 });
    const first = new ScriptedTransport();
    publisher.attach(first);
    first.pending.slice(0, 2).forEach((p) => p.ack()); // two PUBACKs, then the link dies
    publisher.detach();
    first.ackAll(); // late acks of a dead connection are ignored
    await flush();
    expect(outbox.backlog().count).toBe(6);
    const second = new ScriptedTransport();
    publisher.attach(second);
    expect(second.sent).toEqual(first.sent.slice(2, 6));
    publisher.close();
  });

  it('a publish refused by the broker or heard by nobody is not delivered', async () => {
    const { outbox, publisher, rejected } = setup(2);
    const t = new ScriptedTransport();
    publisher.attach(t);
    t.pending[0]!.ack(new Error('Not authorized'));
    t.pending[1]!.ack(undefined, { reasonCode: 0x10 });
    await flush();
    expect(outbox.backlog().count).toBe(2);
    expect(rejected.map((e) => e.message)).toEqual(['Not authorized', expect.stringMatching(/no CRM consumer/)]);
    publisher.close();
  });
});
