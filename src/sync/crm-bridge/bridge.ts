// The reference CRM bridge a head office runs next to its broker: consumes every branch's
// events through an MQTT 5 shared subscription (instances in one group split the load),
// validates them against the contract, applies each exactly once to the CRM store,
// optionally forwards them to a CRM HTTP endpoint, and publishes KB/customer updates down.
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { silentLogger, type Logger } from '../../ops/index.ts';
import { ALL_BRANCHES, DOWN_KIND, InboundMessageSchema, parseEventTopic, topics, validateOutboundEvent, type InboundMessageInput } from '../protocol.ts';
import { CrmStore, type IngestOutcome } from './crm-store.ts';
import { Forwarder } from './forwarder.ts';

export interface CrmBridgeOptions {
  brokerUrl: string;
  /** SQLite file of the CRM store (shared by instances on one host, or one per instance). */
  storePath: string;
  /** Distinguishes instances: client id "crm-bridge-<instanceId>". */
  instanceId?: string;
  /** Shared-subscription group; instances with the same group split the events. */
  group?: string;
  topicPrefix?: string;
  username?: string;
  password?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  rejectUnauthorized?: boolean;
  /** POST every applied event here (Idempotency-Key: event id). */
  forwardUrl?: string;
  /** Broker keeps the bridge session (and its queued events) this long while it is down. */
  sessionExpirySeconds?: number;
  logger?: Logger;
  /** False for a publish-only client (no subscription, no persistent session). Default true. */
  consume?: boolean;
}

export interface CrmBridge {
  store: CrmStore;
  /** Resolves once connected and subscribed. */
  ready: Promise<void>;
  /** Publishes a KB or customer update to one branch, or to ALL_BRANCHES of a tenant. */
  publishDown(target: { tenant: string; branch: string }, message: InboundMessageInput): Promise<void>;
  stats(): { received: number; applied: number; parked: number; duplicates: number; invalid: number; forwarded: number };
  close(): Promise<void>;
}

export function runCrmBridge(options: CrmBridgeOptions): CrmBridge {
  const logger = (options.logger ?? silentLogger).child({ module: 'crm-bridge' });
  const prefix = options.topicPrefix ?? 'switchboard/v1';
  const group = options.group ?? 'crm-bridge';
  const store = new CrmStore(options.storePath);
  const counts = { received: 0, applied: 0, parked: 0, duplicates: 0, invalid: 0 };
  const read = (p?: string) => (p ? readFileSync(p) : undefined);
  const consume = options.consume ?? true;

  const clientOptions: IClientOptions = {
    protocolVersion: 5,
    clientId: `crm-bridge-${options.instanceId ?? process.pid}`,
    clean: consume ? false : true,
    properties: consume ? { sessionExpiryInterval: options.sessionExpirySeconds ?? 86_400 } : {},
    reconnectPeriod: 1000,
    // Subscribe ourselves on every connect, even when the broker says the session is
    // present: mosquitto 2.0 does not restore shared subscriptions from its persistence file.
    resubscribe: false,
    connectTimeout: 10_000,
    keepalive: 30,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
  };
  if (options.username !== undefined) clientOptions.username = options.username;
  if (options.password !== undefined) clientOptions.password = options.password;
  const ca = read(options.caFile);
  const cert = read(options.certFile);
  const key = read(options.keyFile);
  if (ca) clientOptions.ca = ca;
  if (cert) clientOptions.cert = cert;
  if (key) clientOptions.key = key;

  const client: MqttClient = mqtt.connect(options.brokerUrl, clientOptions);
  client.handleMessage = (packet, done) => {
    counts.received++;
    const payload = packet.payload as Buffer;
    let outcome: IngestOutcome | 'invalid';
    try {
      outcome = ingest(packet.topic, payload);
    } catch (err) {
      // The store failed (disk, lock timeout): leave the message unacknowledged and let the
      // broker deliver it again after a reconnect.
      logger.error({ err, topic: packet.topic }, 'CRM store failed; event stays unacknowledged');
      client.stream.destroy();
      return;
    }
    if (outcome === 'invalid') counts.invalid++;
    else if (outcome === 'duplicate') counts.duplicates++;
    else if (outcome === 'parked') counts.parked++;
    else counts.applied++;
    done();
  };

  function ingest(topic: string, payload: Buffer): IngestOutcome | 'invalid' {
    const where = parseEventTopic(prefix, topic);
    let json: unknown;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch {
      store.deadLetter(topic, 'not JSON', payload);
      return 'invalid';
    }
    const v = validateOutboundEvent(json);
    if (!v.ok) {
      store.deadLetter(topic, `${v.code}: ${v.reason}`, payload);
      return 'invalid';
    }
    if (!where || where.tenant !== v.value.tenant || where.branch !== v.value.branchId || where.aggregate !== v.value.aggregate) {
      store.deadLetter(topic, 'topic does not match the event envelope', payload);
      return 'invalid';
    }
    return store.ingest(v.value, payload.toString('utf8'));
  }

  const ready = new Promise<void>((resolve, reject) => {
    const subscribe = () =>
      client.subscribe(topics.sharedEvents(prefix, group), { qos: 1 }, (err, granted) => {
        if (err || granted?.some((g) => g.qos > 2)) {
          const e = err ?? new Error('broker refused the shared subscription');
          logger.error({ err: e }, 'subscription failed');
          reject(e);
          return;
        }
        resolve();
      });
    client.on('connect', (connack) => {
      logger.info({ broker: options.brokerUrl.replace(/\/\/[^@]*@/, '//'), sessionPresent: connack.sessionPresent }, 'CRM bridge connected');
      if (consume) subscribe();
      else resolve();
    });
    client.on('error', (err) => logger.warn({ err }, 'CRM bridge connection error'));
  });
  ready.catch(() => {});

  const forwarder = options.forwardUrl ? new Forwarder({ url: options.forwardUrl, store, logger }) : null;
  forwarder?.start();

  return {
    store,
    ready,
    async publishDown(target, message) {
      const parsed = InboundMessageSchema.parse(message);
      const topic = topics.down({ prefix, tenant: target.tenant, branch: target.branch }, DOWN_KIND[parsed.type]);
      await client.publishAsync(topic, JSON.stringify(message), { qos: 1 });
    },
    stats: () => ({ ...counts, forwarded: forwarder?.forwarded ?? 0 }),
    async close() {
      forwarder?.stop();
      await client.endAsync();
      store.close();
    },
  };
}

export { ALL_BRANCHES };
