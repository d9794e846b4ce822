// `npm run bench:sync`: drains a 100,000-event outbox backlog to a local mosquitto and
// compares the rate with a bare MQTT.js QoS 1 publish loop of the same payloads on the same
// broker (bar: ratio ≥ 0.7); samples memory across the drain; measures the time from the
// broker coming back to the first delivery. Writes bench/results/sync.json.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { Registry } from 'prom-client';
import { CustomerRepository } from '../src/customers/index.ts';
import { KnowledgeBase } from '../src/knowledge/index.ts';
import { silentLogger } from '../src/ops/index.ts';
import { openDatabase, recordDomainEvent, type Db } from '../src/store/index.ts';
import { SqliteOutbox, SyncConfigSchema, startSync } from '../src/sync/index.ts';
import { encodeEvent } from '../src/sync/envelope.ts';
import { startMosquitto } from '../test/sync/helpers/mosquitto.ts';

const EVENTS = Number(process.env.BENCH_SYNC_EVENTS ?? 100_000);
const scope = { prefix: 'switchboard/v1', tenant: 'bank1', branch: 'br-bench' };

function seed(db: Db, count: number, offset = 0): void {
  const base = Date.UTC(2026, 0, 1);
  db.transaction(() => {
    for (let i = offset; i < offset + count; i++) {
      const customer = `cust_${(i % 2000).toString().padStart(5, '0')}`;
      recordDomainEvent(db, {
        type: 'conversation.turn_added',
        aggregate: 'conversation',
        aggregateId: `conv_${customer}`,
        customerKey: customer,
        actor: 'customer',
        payload: { seq: i + 1, speaker: 'customer', text: `My card was declined at the ATM this morning, reference ${i}`, language: 'en', intent: 'declined_card_payment', confidence: 0.93 },
        occurredAt: new Date(base + i * 10).toISOString(),
      });
    }
  })();
}

const undelivered = (db: Db) => (db.prepare('SELECT count(*) AS n FROM domain_events WHERE delivered_at IS NULL').get() as { n: number }).n;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-sync-'));
  const broker = await startMosquitto();
  const db = openDatabase({ path: join(dir, 'app.db') });
  const config = SyncConfigSchema.parse({ brokerUrl: broker.url, clientId: 'bench-sync', requireSubscriber: false });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage();
  let peakRss = heapBefore.rss;
  let peakHeap = heapBefore.heapUsed;
  const liveHeapMb: number[] = [];

  // The machine is shared: the two contenders alternate in ROUNDS rounds over slices of the
  // backlog, so a burst of load from elsewhere hits both rather than one.
  const ROUNDS = 4;
  const perRound = Math.ceil(EVENTS / ROUNDS);
  let bareSeconds = 0;
  let syncSeconds = 0;
  const bare = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: 'bench-bare' });
  let sync: ReturnType<typeof startSync> | null = null;
  let deliveredSoFar: () => Promise<number> = async () => 0;
  for (let round = 0; round < ROUNDS; round++) {
    const count = Math.min(perRound, EVENTS - round * perRound);
    const firstSeq = ((db.prepare('SELECT coalesce(max(id), 0) AS m FROM domain_events').get() as { m: number }).m);
    seed(db, count, round * perRound);
    // The same wire messages the sync will send (partition numbers are fixed at write time).
    const messages = new SqliteOutbox(db).nextBatch(firstSeq, count).map((e) => encodeEvent(e, scope));

    // 1. Bare MQTT.js QoS 1 loop, as much in flight as MQTT allows (16-bit packet ids).
    let t0 = performance.now();
    for (let start = 0; start < messages.length; start += 50_000) {
      const chunk = messages.slice(start, start + 50_000);
      await new Promise<void>((resolve, reject) => {
        let left = chunk.length;
        for (const m of chunk) bare.publish(m.topic, m.payload, { qos: 1 }, (err) => (err ? reject(err) : --left === 0 && resolve()));
      });
    }
    bareSeconds += (performance.now() - t0) / 1000;
    messages.length = 0;

    // 2. The outbox drain (default batching and window) of the same slice, from connect.
    t0 = performance.now();
    const registry = new Registry();
    sync = startSync({ db, config, tenant: scope.tenant, branchId: scope.branch, knowledge: new KnowledgeBase(db), customers: new CustomerRepository(db), logger: silentLogger, metrics: { registry }, onKnowledgeChanged: () => {} });
    // Progress from the onDelivered counter (cheap), not status() (database queries).
    const counter = registry.getSingleMetric('switchboard_sync_events_delivered_total')!;
    deliveredSoFar = async () => (await counter.get()).values[0]?.value ?? 0;
    let lastGc = performance.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 10));
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
      if ((await deliveredSoFar()) >= count) break;
      // With --expose-gc, the live heap (after a full collection) is sampled about once a second.
      if (gc && performance.now() - lastGc > 1000) {
        gc();
        lastGc = performance.now();
        liveHeapMb.push(mb(process.memoryUsage().heapUsed));
      }
    }
    syncSeconds += (performance.now() - t0) / 1000;
    if (round < ROUNDS - 1) await sync.close();
  }
  await bare.endAsync();
  const ratio = bareSeconds / syncSeconds;
  if (!sync) throw new Error('no rounds ran');

  // 3. Network return → first delivery: broker down for 10 s while 1,000 events queue.
  await broker.stop();
  seed(db, 1000, EVENTS);
  await new Promise((r) => setTimeout(r, 10_000));
  const deliveredBefore = await deliveredSoFar();
  const backoffAtReturn = sync.status().connection.nextAttemptAt;
  await broker.start();
  const back = performance.now();
  while ((await deliveredSoFar()) === deliveredBefore) await new Promise((r) => setTimeout(r, 5));
  const firstDeliveryMs = Math.round(performance.now() - back);
  while (undelivered(db) > 0) await new Promise((r) => setTimeout(r, 20));
  const recoveryDrainMs = Math.round(performance.now() - back);
  await sync.close();
  await broker.stop();
  db.close();

  const result = {
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`,
    events: EVENTS,
    rounds: ROUNDS,
    bare: { seconds: +bareSeconds.toFixed(3), eventsPerSecond: Math.round(EVENTS / bareSeconds) },
    sync: { seconds: +syncSeconds.toFixed(3), eventsPerSecond: Math.round(EVENTS / syncSeconds), batchSize: config.batchSize, maxInFlight: config.maxInFlight },
    ratio: +ratio.toFixed(2),
    memory: {
      rssBeforeMb: mb(heapBefore.rss),
      peakRssMb: mb(peakRss),
      heapBeforeMb: mb(heapBefore.heapUsed),
      peakHeapMb: mb(peakHeap),
      liveHeapAfterGcMb: liveHeapMb,
    },
    reconnect: { outageSeconds: 10, backoff: config.backoff, nextAttemptAtWhenBrokerReturned: backoffAtReturn, firstDeliveryMs, drain1000Ms: recoveryDrainMs },
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/sync.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`bare MQTT.js QoS 1 loop: ${result.bare.eventsPerSecond} events/s (${result.bare.seconds} s)`);
  console.log(`outbox drain:            ${result.sync.eventsPerSecond} events/s (${result.sync.seconds} s, batch ${config.batchSize}, window ${config.maxInFlight})`);
  console.log(`ratio: ${ratio.toFixed(2)}`);
  console.log(`memory: heap ${result.memory.heapBeforeMb} MB before, peak ${result.memory.peakHeapMb} MB (with garbage); live heap after GC across the drain: ${liveHeapMb.length ? liveHeapMb.join(', ') + ' MB' : 'n/a (run with --expose-gc)'}; rss peak ${result.memory.peakRssMb} MB`);
  console.log(`network return → first delivery: ${firstDeliveryMs} ms (backoff ${config.backoff.initialMs}-${config.backoff.maxMs} ms with jitter; 1,000 queued events drained in ${recoveryDrainMs} ms)`);
  if (ratio < 0.7) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
