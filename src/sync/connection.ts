// The link to the central broker: one MQTT.js client per connection attempt (its own
// reconnect is off, so our backoff with jitter decides when to retry and an old client's
// in-memory queue can never resend behind our back), a persistent MQTT 5 session so CRM
// updates queue at the broker while the branch is offline, and an explicit state.
import { readFileSync } from 'node:fs';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { AppError } from '../errors/index.ts';
import type { Logger } from '../ops/index.ts';
import type { Backoff } from './backoff.ts';

export type ConnectionState = 'disabled' | 'connecting' | 'connected' | 'waiting' | 'closed';

export interface LinkEvents {
  /** Connected (CONNACK received): start publishing on this client. */
  onConnected(client: MqttClient): void;
  /** The connection is gone (any reason); stop using the client. */
  onDisconnected(): void;
  /**
   * One inbound message. Returning normally acknowledges it (PUBACK); throwing leaves it
   * unacknowledged and recycles the connection so the broker delivers it again.
   */
  onMessage(topic: string, payload: Buffer): void;
}

export interface LinkOptions {
  url: string;
  client: IClientOptions;
  subscriptions: string[];
  backoff: Backoff;
  clock: () => Date;
  logger: Logger;
  events: LinkEvents;
}

export interface LinkSnapshot {
  state: ConnectionState;
  lastConnectedAt: string | null;
  lastDisconnectedAt: string | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  failedAttempts: number;
}

/** MQTT.js options from the sync config: credentials, mutual TLS, persistent session. */
export function clientOptions(c: {
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  passwordFile?: string | undefined;
  caFile?: string | undefined;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  rejectUnauthorized: boolean;
  keepaliveSeconds: number;
  connectTimeoutMs: number;
  sessionExpirySeconds: number;
}): IClientOptions {
  const read = (path: string | undefined, what: string): Buffer | undefined => {
    if (!path) return undefined;
    try {
      return readFileSync(path);
    } catch (err) {
      throw new AppError('CONFIG_INVALID', `sync.${what}: cannot read ${path}: ${(err as Error).message}`, { issues: [{ field: `sync.${what}`, reason: 'unreadable file' }] });
    }
  };
  const password = c.password ?? read(c.passwordFile, 'passwordFile')?.toString('utf8').split(/\r?\n/)[0];
  const options: IClientOptions = {
    protocolVersion: 5,
    clientId: c.clientId,
    clean: false,
    properties: { sessionExpiryInterval: c.sessionExpirySeconds },
    keepalive: c.keepaliveSeconds,
    connectTimeout: c.connectTimeoutMs,
    reconnectPeriod: 0,
    resubscribe: false,
    rejectUnauthorized: c.rejectUnauthorized,
  };
  if (c.username !== undefined) options.username = c.username;
  if (password !== undefined) options.password = password;
  const ca = read(c.caFile, 'caFile');
  const cert = read(c.certFile, 'certFile');
  const key = read(c.keyFile, 'keyFile');
  if (ca) options.ca = ca;
  if (cert) options.cert = cert;
  if (key) options.key = key;
  return options;
}

/** The URL without credentials, for logs and the status page. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid url)';
  }
}

export class BrokerLink {
  #state: ConnectionState = 'waiting';
  #client: MqttClient | null = null;
  #generation = 0;
  #retryTimer: NodeJS.Timeout | null = null;
  #snapshot: Omit<LinkSnapshot, 'state' | 'failedAttempts'> = { lastConnectedAt: null, lastDisconnectedAt: null, lastError: null, nextAttemptAt: null };

  constructor(private readonly o: LinkOptions) {}

  get state(): ConnectionState {
    return this.#state;
  }

  snapshot(): LinkSnapshot {
    return { state: this.#state, failedAttempts: this.o.backoff.attempts, ...this.#snapshot };
  }

  start(): void {
    if (this.#state === 'closed') throw new Error('BrokerLink was closed');
    this.#attempt();
  }

  /** Drops the current connection and reconnects after a backoff delay. */
  recycle(reason: string): void {
    if (this.#state !== 'connected' && this.#state !== 'connecting') return;
    this.#lost(this.#generation, reason);
  }

  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const wasConnected = this.#state === 'connected';
    this.#state = 'closed';
    this.#generation++;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    const client = this.#client;
    this.#client = null;
    if (wasConnected) this.o.events.onDisconnected();
    if (client) await new Promise<void>((resolve) => client.end(!wasConnected, {}, () => resolve()));
  }

  #attempt(): void {
    if (this.#state === 'closed') return;
    this.#retryTimer = null;
    this.#snapshot.nextAttemptAt = null;
    this.#state = 'connecting';
    const generation = ++this.#generation;
    const client = mqtt.connect(this.o.url, this.o.client);
    this.#client = client;
    const current = () => generation === this.#generation;

    client.handleMessage = (packet, done) => {
      if (!current()) return; // never acknowledge for a dead connection
      try {
        this.o.events.onMessage(packet.topic, packet.payload as Buffer);
      } catch (err) {
        this.o.logger.error({ err, topic: packet.topic }, 'inbound message could not be stored; it stays unacknowledged and will be redelivered');
        this.#lost(generation, `inbound store failed: ${(err as Error).message}`);
        return;
      }
      done();
    };
    client.on('connect', () => {
      if (!current()) return;
      this.#state = 'connected';
      this.#snapshot.lastConnectedAt = this.o.clock().toISOString();
      this.#snapshot.lastError = null;
      this.o.backoff.reset();
      this.o.logger.info({ broker: redactUrl(this.o.url) }, 'connected to the central broker');
      if (this.o.subscriptions.length > 0) {
        client.subscribe(this.o.subscriptions, { qos: 1 }, (err, granted) => {
          if (!current()) return;
          const refused = granted?.filter((g) => g.qos > 2) ?? [];
          if (err || refused.length > 0) {
            this.#snapshot.lastError = `subscription refused: ${err?.message ?? refused.map((g) => g.topic).join(', ')}`;
            this.o.logger.error({ err, refused }, 'broker refused the CRM update subscription; updates will not arrive');
          }
        });
      }
      this.o.events.onConnected(client);
    });
    client.on('error', (err) => {
      if (!current()) return;
      this.#snapshot.lastError = err.message;
      this.#lost(generation, err.message);
    });
    client.on('disconnect', (packet) => {
      if (current()) this.#lost(generation, `broker disconnected us (reason ${packet.reasonCode ?? 0})`);
    });
    client.on('close', () => {
      if (current()) this.#lost(generation, 'connection closed');
    });
  }

  #lost(generation: number, reason: string): void {
    if (generation !== this.#generation || this.#state === 'closed') return;
    const wasConnected = this.#state === 'connected';
    this.#generation++;
    const client = this.#client;
    this.#client = null;
    client?.removeAllListeners('connect');
    client?.on('error', () => {}); // late errors of a dead client are expected
    client?.end(true);
    const now = this.o.clock();
    if (wasConnected) {
      this.#snapshot.lastDisconnectedAt = now.toISOString();
      this.o.events.onDisconnected();
    }
    this.#snapshot.lastError ??= reason;
    const delay = this.o.backoff.next();
    this.#state = 'waiting';
    this.#snapshot.nextAttemptAt = new Date(now.getTime() + delay).toISOString();
    this.o.logger.warn({ reason, retryInMs: delay, broker: redactUrl(this.o.url) }, wasConnected ? 'lost the central broker; will reconnect' : 'could not reach the central broker; will retry');
    this.#retryTimer = setTimeout(() => this.#attempt(), delay);
  }
}
