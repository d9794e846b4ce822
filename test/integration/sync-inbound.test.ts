// CRM → branch updates over a real mosquitto: KB upserts/deletes and customer updates are
// applied once (inbox), last-writer-wins by version with conflicts recorded; malformed
// messages are dead-lettered and never block the message after them.
import mqtt, { type MqttClient } from 'mqtt';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCrmBridge, type CrmBridge } from '../../src/sync/crm-bridge/index.ts';
import { ALL_BRANCHES, type InboundMessageInput } from '../../src/sync/index.ts';
import { startMosquitto, type Broker } from '../sync/helpers/mosquitto.ts';
import { BRANCH, TENANT, startAppSync, syncConfig, tempDir, waitFor, type AppSync } from '../sync/helpers/scenario.ts';

const article = (title: string) => ({ topic: 'lost-card', language: 'en' as const, category: 'cards', title, body: `${title}: call us at once.`, questions: ['I lost my card'] });
let n = 0;
const msgId = () => `crm-msg-${Date.now()}-${++n}`;
const sentAt = () => new Date().toISOString();

describe('CRM updates down to a branch', () => {
  let broker: Broker;
  let crm: CrmBridge;
  let app: AppSync;
  let raw: MqttClient;
  const target = { tenant: TENANT, branch: BRANCH };
  const kbTopic = `switchboard/v1/${TENANT}/${BRANCH}/down/kb`;

  beforeAll(async () => {
    broker = await startMosquitto();
    const dir = tempDir();
    crm = runCrmBridge({ brokerUrl: broker.url, storePath: join(dir, 'crm.db'), instanceId: 'inbound' });
    await crm.ready;
    raw = await mqtt.connectAsync(broker.url, { protocolVersion: 5, clientId: 'raw-crm' });
    app = startAppSync(join(dir, 'app.db'), syncConfig({ brokerUrl: broker.url, clientId: 'app-inbound', maxInboundBytes: 64 * 1024 }));
    await waitFor('the appliance to connect', () => app.sync.status().connection.state === 'connected');
    await new Promise((r) => setTimeout(r, 200)); // its SUBACK
  });
  afterAll(async () => {
    await app.close();
    await raw.endAsync();
    await crm.close();
    await broker.stop();
  });

  const inboxCount = () => (app.db.prepare('SELECT count(*) AS n FROM sync_inbox').get() as { n: number }).n;
  const send = async (m: InboundMessageInput, branch = BRANCH) => {
    const before = inboxCount();
    await crm.publishDown({ tenant: TENANT, branch }, m);
    await waitFor('the appliance to handle it', () => inboxCount() > before, 10_000);
  };

  it('applies a KB upsert once, retrains, and refuses an older version as a recorded conflict', async () => {
    const id = msgId();
    await send({ messageId: id, type: 'kb.article.upsert', schemaVersion: 1, sentAt: sentAt(), version: 2, article: article('Lost card v2') });
    expect(app.knowledge.get('lost-card.en')).toMatchObject({ title: 'Lost card v2', version: 1 });
    expect(app.knowledgeChanges).toBe(1);

    // The broker redelivers the same message: not applied twice.
    await raw.publishAsync(kbTopic, JSON.stringify({ messageId: id, type: 'kb.article.upsert', schemaVersion: 1, sentAt: sentAt(), version: 2, article: article('Lost card v2') }), { qos: 1 });
    await new Promise((r) => setTimeout(r, 200));
    expect(app.knowledge.history('lost-card.en')).toHaveLength(1);

    await send({ messageId: msgId(), type: 'kb.article.upsert', schemaVersion: 1, sentAt: sentAt(), version: 1, article: article('Lost card v1 (late)') });
    expect(app.knowledge.get('lost-card.en').title).toBe('Lost card v2');
    const stale = app.db.prepare(`SELECT reason, resolution FROM sync_conflicts WHERE entity_id = 'lost-card.en'`).all();
    expect(stale).toEqual([{ reason: 'stale_remote_version', resolution: 'local_kept' }]);

    // A supervisor edits locally, then the CRM sends a newer version: CRM wins, the local edit is recorded.
    app.knowledge.update('lost-card.en', { body: 'Local branch wording.' }, { actor: 'account:sup' });
    await send({ messageId: msgId(), type: 'kb.article.upsert', schemaVersion: 1, sentAt: sentAt(), version: 3, article: article('Lost card v3') });
    expect(app.knowledge.get('lost-card.en').title).toBe('Lost card v3');
    const overwritten = app.db.prepare(`SELECT local_snapshot FROM sync_conflicts WHERE reason = 'local_changes_overwritten'`).get() as { local_snapshot: string };
    expect(JSON.parse(overwritten.local_snapshot)).toMatchObject({ body: 'Local branch wording.' });
    expect(app.sync.status().inbound.conflicts).toBe(2);

    await send({ messageId: msgId(), type: 'kb.article.delete', schemaVersion: 1, sentAt: sentAt(), version: 4, articleId: 'lost-card.en' }, ALL_BRANCHES);
    expect(app.knowledge.findByTopic('lost-card', 'en')).toBeNull();
    expect(app.knowledgeChanges).toBe(3);
  });

  it('dead-letters bad JSON, wrong schema, unknown version, unknown type and huge payloads, and applies the next good one', async () => {
    const bad: [string, string | Buffer][] = [
      ['MALFORMED_JSON', '{"messageId": "x", nope'],
      ['SCHEMA_INVALID', JSON.stringify({ messageId: msgId(), type: 'kb.article.upsert', schemaVersion: 1, sentAt: sentAt(), version: 1, article: { topic: 'x' } })],
      ['UNSUPPORTED_SCHEMA_VERSION', JSON.stringify({ messageId: msgId(), type: 'kb.article.upsert', schemaVersion: 99, sentAt: sentAt(), version: 1 })],
      ['UNKNOWN_TYPE', JSON.stringify({ messageId: msgId(), type: 'kb.everything.delete', schemaVersion: 1, sentAt: sentAt(), version: 1 })],
      ['PAYLOAD_TOO_LARGE', Buffer.alloc(200 * 1024, 0x61)],
      ['MALFORMED_JSON', Buffer.from([0xff, 0xfe, 0x00])],
    ];
    const before = app.sync.status().inbound.deadLetters;
    for (const [, payload] of bad) await raw.publishAsync(kbTopic, payload, { qos: 1 });
    // Dead letters are inbox entries too: `send` waits for the inbox to grow, so it must start
    // after the bad ones are in, or one of them can end its wait before the good one is applied.
    await waitFor('all dead letters', () => app.sync.status().inbound.deadLetters === before + bad.length);
    await send({ messageId: msgId(), type: 'kb.article.upsert', schemaVersion: 1, sentAt: sentAt(), version: 1, article: { ...article('Card fees'), topic: 'card-fees' } });
    expect(app.knowledge.get('card-fees.en').title).toBe('Card fees');
    const codes = (app.db.prepare('SELECT reason_code FROM sync_dead_letters ORDER BY id').all() as { reason_code: string }[]).map((r) => r.reason_code);
    expect(codes.slice(-bad.length)).toEqual(bad.map(([code]) => code));
    const huge = app.db.prepare(`SELECT payload_bytes, length(payload_excerpt) AS kept FROM sync_dead_letters WHERE reason_code = 'PAYLOAD_TOO_LARGE'`).get() as { payload_bytes: number; kept: number };
    expect(huge).toEqual({ payload_bytes: 200 * 1024, kept: 2048 });
    expect(app.sync.status().inbound.lastDeadLetter?.reasonCode).toBe('MALFORMED_JSON');
    expect(await app.registry.metrics()).toMatch(/switchboard_sync_dead_letters_total\{reason="PAYLOAD_TOO_LARGE"\} 1/);
  });

  it('normalizes CRM customer updates, dead-letters garbage naming the field, and merges duplicates', async () => {
    const local = app.customers.identify({ phone: '+8613800138000' }, { actor: 'customer', now: sentAt() })!;
    const other = app.customers.identify({ email: 'li.wei@example.cn' }, { actor: 'customer', now: sentAt() })!;
    await send({ messageId: msgId(), type: 'customer.upsert', schemaVersion: 1, sentAt: sentAt(), version: 1, customer: { externalId: 'CRM-77', name: '  Li   Wei ', phone: '138 0013 8000', email: 'Li.Wei@Example.CN' } });
    const merged = app.customers.findByExternalId('CRM-77')!;
    expect(merged).toMatchObject({ id: local.id, name: 'Li Wei', phone: '+8613800138000', email: 'li.wei@example.cn' });
    expect(app.customers.get(other.id).mergedInto).toBe(local.id);
    const mergeEvent = app.db.prepare(`SELECT payload FROM domain_events WHERE type = 'customer.merged'`).get() as { payload: string };
    expect(JSON.parse(mergeEvent.payload)).toMatchObject({ mergedId: other.id, customer: { id: local.id } });

    await send({ messageId: msgId(), type: 'customer.upsert', schemaVersion: 1, sentAt: sentAt(), version: 2, customer: { externalId: 'CRM-77', phone: 'call me maybe' } });
    const dl = app.sync.status().inbound.lastDeadLetter!;
    expect(dl.reasonCode).toBe('APPLY_FAILED');
    expect(dl.reason).toMatch(/VALIDATION_FAILED: customer phone/);
    expect(app.customers.get(local.id).phone).toBe('+8613800138000');
  });

  it('receives updates sent while the branch was offline (persistent session)', async () => {
    const dir = tempDir();
    const offline = startAppSync(join(dir, 'offline.db'), syncConfig({ brokerUrl: broker.url, clientId: 'app-offline' }));
    await waitFor('first connect', () => offline.sync.status().connection.state === 'connected');
    await new Promise((r) => setTimeout(r, 200));
    await offline.close();
    await crm.publishDown({ tenant: TENANT, branch: ALL_BRANCHES }, { messageId: msgId(), type: 'kb.article.upsert', schemaVersion: 1, sentAt: sentAt(), version: 1, article: { ...article('Opening hours'), topic: 'hours' } });
    const again = startAppSync(join(dir, 'offline.db'), syncConfig({ brokerUrl: broker.url, clientId: 'app-offline' }));
    try {
      await waitFor('the queued update', () => again.knowledge.findByTopic('hours', 'en') !== null, 10_000);
    } finally {
      await again.close();
    }
  });
});
