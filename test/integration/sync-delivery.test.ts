// CRM sync against a real mosquitto: in-order exactly-once delivery to the reference CRM
// bridge, every published message valid under the contract, and outages of several kinds
// (broker down, broker restarted mid-batch, network black-holed by a proxy).
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { runCrmBridge, type CrmBridge } from '../../src/sync/crm-bridge/index.ts';
import { validateOutboundEvent } from '../../src/sync/index.ts';
import { startMosquitto, type Broker } from '../sync/helpers/mosquitto.ts';
import { startTcpProxy } from '../sync/helpers/tcp-proxy.ts';
import { BRANCH, TENANT, expectExactlyOnceInOrder, seedEvents, startAppSync, syncConfig, tempDir, undelivered, waitFor } from '../sync/helpers/scenario.ts';

describe('CRM sync delivery over a real broker', () => {
  let broker: Broker;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    broker = await startMosquitto({ persistence: true });
  });
  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
    await broker.stop();
  });

  async function bridge(dir: string, instances = 1): Promise<CrmBridge[]> {
    const bridges = Array.from({ length: instances }, (_, i) => runCrmBridge({ brokerUrl: broker.url, storePath: join(dir, 'crm.db'), instanceId: `${dir.slice(-6)}-${i}`, group: `g${dir.slice(-6)}` }));
    for (const b of bridges) {
      closers.push(() => b.close());
      await b.ready;
    }
    return bridges;
  }

  it('delivers every event once, in order per customer, and each message matches the contract', async () => {
    const dir = tempDir();
    const [crm] = await bridge(dir, 2); // two instances share the subscription
    const watcher = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: `watch-${dir.slice(-6)}` });
    closers.push(() => watcher.endAsync());
    const invalid: string[] = [];
    let seen = 0;
    watcher.on('message', (topic, payload) => {
      seen++;
      const r = validateOutboundEvent(JSON.parse(payload.toString('utf8')));
      if (!r.ok) invalid.push(`${topic}: ${r.reason}`);
      else if (!topic.endsWith(`/${TENANT}/${BRANCH}/events/${r.value.aggregate}`)) invalid.push(`wrong topic ${topic}`);
    });
    await watcher.subscribeAsync(`switchboard/v1/${TENANT}/${BRANCH}/events/#`, { qos: 1 });

    const app = startAppSync(join(dir, 'app.db'), syncConfig({ brokerUrl: broker.url, clientId: `app-${dir.slice(-6)}` }));
    closers.push(() => app.close());
    seedEvents(app.db, 1500);
    app.sync.wake();
    await waitFor('the CRM to apply 1500 events', () => crm!.store.counts().applied === 1500);
    await waitFor('every PUBACK recorded', () => undelivered(app.db) === 0);
    await waitFor('the watcher to see all', () => seen >= 1500);
    expect(invalid).toEqual([]);
    expectExactlyOnceInOrder(app.db, crm!.store, 1500);
    const status = app.sync.status();
    expect(status.connection.state).toBe('connected');
    expect(status.outbox).toMatchObject({ backlog: 0, oldestUndeliveredAt: null });
    expect(status.outbox.lastDeliveryAt).not.toBeNull();
    const metrics = await app.registry.metrics();
    expect(metrics).toMatch(/switchboard_sync_events_delivered_total 1500/);
    expect(metrics).toMatch(/switchboard_sync_backlog_events 0/);
  });

  it('keeps events through a broker outage and a broker restart mid-batch', async () => {
    const dir = tempDir();
    const [crm] = await bridge(dir);
    const app = startAppSync(join(dir, 'app.db'), syncConfig({ brokerUrl: broker.url, clientId: `app-${dir.slice(-6)}`, maxInFlight: 200, batchSize: 100 }));
    closers.push(() => app.close());
    seedEvents(app.db, 3000);
    app.sync.wake();
    await waitFor('first deliveries', () => undelivered(app.db) < 3000);

    // Broker restarted while the batch is still draining.
    await broker.stop('SIGTERM');
    await waitFor('the appliance to notice', () => app.sync.status().connection.state !== 'connected');
    seedEvents(app.db, 500, { offset: 3000 }); // written while offline: queued, not lost
    await new Promise((r) => setTimeout(r, 600)); // down for a while: several retries fail
    expect(app.sync.status().connection.lastError).not.toBeNull();
    expect(app.sync.status().outbox.backlog).toBeGreaterThan(0);
    await broker.start();

    await waitFor('all 3500 applied', () => crm!.store.counts().applied === 3500, 40_000);
    await waitFor('all marked delivered', () => undelivered(app.db) === 0);
    expectExactlyOnceInOrder(app.db, crm!.store, 3500);
  });

  it('recovers when a proxy black-holes the connection (only keepalive can tell)', async () => {
    const dir = tempDir();
    const [crm] = await bridge(dir);
    const proxy = await startTcpProxy(broker.port);
    closers.push(() => proxy.close());
    const app = startAppSync(join(dir, 'app.db'), syncConfig({ brokerUrl: proxy.url, clientId: `app-${dir.slice(-6)}`, keepaliveSeconds: 1, maxInFlight: 100, batchSize: 50 }));
    closers.push(() => app.close());
    seedEvents(app.db, 3000);
    app.sync.wake();
    await waitFor('some deliveries', () => undelivered(app.db) < 2900);
    proxy.drop();
    seedEvents(app.db, 200, { offset: 3000 }); // written while the link is dead
    await waitFor('keepalive to detect the dead link', () => app.sync.status().connection.state !== 'connected', 10_000);
    expect(undelivered(app.db)).toBeGreaterThan(0);
    proxy.restore();
    await waitFor('all 3200 applied', () => crm!.store.counts().applied === 3200, 40_000);
    await waitFor('all marked delivered', () => undelivered(app.db) === 0);
    expectExactlyOnceInOrder(app.db, crm!.store, 3200);
  });
});
