// startSync: composes the CRM sync (outbox publisher, broker link, inbound processor,
// retention and disk guard, metrics, status) for the appliance's composition root.
import { dirname, resolve } from 'node:path';
import type { Registry } from 'prom-client';
import { AppError } from '../errors/index.ts';
import type { CustomerRepository } from '../customers/index.ts';
import type { KnowledgeStore } from '../knowledge/index.ts';
import type { Logger } from '../ops/index.ts';
import type { Db } from '../store/index.ts';
import { Backoff } from './backoff.ts';
import type { SyncConfig } from './config.ts';
import { BrokerLink, clientOptions, redactUrl } from './connection.ts';
import { DeadLetters } from './dead-letters.ts';
import { Inbox } from './inbound/inbox.ts';
import { InboundProcessor, type InboundOutcome } from './inbound/router.ts';
import { createSyncMetrics } from './metrics.ts';
import { SqliteOutbox } from './outbox.ts';
import { isTopicLevel, topics, ALL_BRANCHES, type TopicScope } from './protocol.ts';
import { Publisher } from './publisher.ts';
import { runRetention, type DiskReport, type RetentionReport } from './retention.ts';
import { ageSeconds, type SyncStatus } from './status.ts';

export interface SyncDeps {
  db: Db;
  config: SyncConfig;
  /** From the main config: stamped on every event and part of every topic. */
  tenant: string;
  branchId: string;
  knowledge: KnowledgeStore;
  customers: CustomerRepository;
  logger: Logger;
  /** The appliance's metrics (only its registry is used). */
  metrics: { registry: Registry };
  /** A CRM update changed articles: retrain the NLU in the background. */
  onKnowledgeChanged: () => void;
  clock?: () => Date;
  /** Jitter source; seeded in tests. */
  random?: () => number;
}

export interface SyncHandle {
  status(): SyncStatus;
  /** New events were written: publish without waiting for the next poll. */
  wake(): void;
  /** Runs pruning and the disk check now (also runs on its timer). */
  runRetention(): RetentionReport;
  /** Applies one inbound message as if it came from the broker (tests, CLI replays). */
  handleInbound(topic: string, payload: Uint8Array): InboundOutcome;
  close(): Promise<void>;
}

export function startSync(deps: SyncDeps): SyncHandle {
  const { db, config } = deps;
  const clock = deps.clock ?? (() => new Date());
  const logger = deps.logger.child({ module: 'sync' });
  for (const [field, value] of [['tenant', deps.tenant], ['branchId', deps.branchId]] as const) {
    if (!isTopicLevel(value) || value === ALL_BRANCHES) {
      throw new AppError('CONFIG_INVALID', `${field} "${value}" cannot be used in MQTT topics: use letters, digits, ".", "_" or "-"`, { issues: [{ field, reason: 'not a valid topic level' }] });
    }
  }
  const scope: TopicScope = { prefix: config.topicPrefix, tenant: deps.tenant, branch: deps.branchId };
  const clientId = config.clientId ?? `switchboard-${deps.tenant}-${deps.branchId}`;
  const dataDir = db.memory ? null : dirname(resolve(db.name));

  const outbox = new SqliteOutbox(db);
  const deadLetters = new DeadLetters(db);
  const inbox = new Inbox(db);
  let publisher: Publisher | null = null;
  let link: BrokerLink | null = null;
  let lastDisk: DiskReport | null = null;

  const backlogNow = () => {
    const b = outbox.backlog();
    return { ...b, oldestAgeSeconds: ageSeconds(b.oldestOccurredAt, clock()) };
  };
  const metrics = createSyncMetrics(deps.metrics.registry, { backlog: backlogNow, inFlight: () => publisher?.inFlight ?? 0 });

  const processor = new InboundProcessor({
    db,
    knowledge: deps.knowledge,
    customers: deps.customers,
    deadLetters,
    clock,
    logger,
    maxBytes: config.maxInboundBytes,
    onKnowledgeChanged: deps.onKnowledgeChanged,
    onOutcome: (type, outcome, code) => {
      metrics.inbound.inc({ type, outcome });
      if (code) metrics.deadLetters.inc({ reason: code });
    },
  });

  if (config.brokerUrl) {
    publisher = new Publisher({
      outbox,
      scope,
      batchSize: config.batchSize,
      maxInFlight: config.maxInFlight,
      pollIntervalMs: config.pollIntervalMs,
      ackFlushMs: config.ackFlushMs,
      requireSubscriber: config.requireSubscriber,
      clock,
      logger,
      onDelivered: (n) => metrics.delivered.inc(n),
      onRejected: (err) => link?.recycle(`publish refused: ${err.message}`),
    });
    const p = publisher;
    link = new BrokerLink({
      url: config.brokerUrl,
      client: clientOptions({ ...config, clientId }),
      subscriptions: topics.downFilters(scope),
      backoff: new Backoff(config.backoff, deps.random),
      clock,
      logger,
      events: {
        onConnected: (client) => {
          metrics.connectAttempts.inc({ result: 'connected' });
          metrics.connected.set(1);
          p.attach(client);
        },
        onDisconnected: () => {
          metrics.connected.set(0);
          p.detach();
        },
        onMessage: (topic, payload) => {
          processor.handle(topic, payload);
        },
      },
    });
    link.start();
  } else {
    logger.info('no sync.brokerUrl configured: CRM sync is off; changes keep queuing in the outbox');
  }

  const retention = (): RetentionReport => {
    const report = runRetention({ db, outbox, inbox, deadLetters, dataDir, policy: config.retention, now: clock(), logger });
    lastDisk = report.disk;
    metrics.diskAlert.set(report.disk.alert ? 1 : 0);
    metrics.pruned.inc(report.prunedEvents);
    return report;
  };
  retention();
  const retentionTimer = setInterval(() => {
    try {
      retention();
    } catch (err) {
      logger.error({ err }, 'sync retention failed');
    }
  }, config.retention.intervalMs);
  retentionTimer.unref();

  let closed = false;
  return {
    status(): SyncStatus {
      const now = clock();
      const b = outbox.backlog();
      const snap = link?.snapshot();
      const last = deadLetters.recent(1)[0];
      return {
        enabled: link !== null,
        connection: {
          state: snap?.state ?? 'disabled',
          broker: config.brokerUrl ? redactUrl(config.brokerUrl) : null,
          clientId,
          lastConnectedAt: snap?.lastConnectedAt ?? null,
          lastDisconnectedAt: snap?.lastDisconnectedAt ?? null,
          lastError: snap?.lastError ?? null,
          nextAttemptAt: snap?.nextAttemptAt ?? null,
          failedAttempts: snap?.failedAttempts ?? 0,
        },
        outbox: {
          backlog: b.count,
          oldestUndeliveredAt: b.oldestOccurredAt,
          oldestUndeliveredAgeSeconds: ageSeconds(b.oldestOccurredAt, now),
          inFlight: publisher?.inFlight ?? 0,
          lastDeliveryAt: outbox.lastDeliveredAt(),
          deliveredSinceStart: publisher?.stats.delivered ?? 0,
        },
        inbound: {
          deadLetters: deadLetters.count(),
          lastDeadLetter: last ? { reasonCode: last.reasonCode, reason: last.reason, topic: last.topic, messageId: last.messageId, receivedAt: last.receivedAt } : null,
          conflicts: processor.versions.conflictCount(),
        },
        disk: lastDisk,
      };
    },
    wake: () => publisher?.wake(),
    runRetention: retention,
    handleInbound: (topic, payload) => processor.handle(topic, payload),
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(retentionTimer);
      await publisher?.drain(2000);
      publisher?.close();
      await link?.close();
      metrics.connected.set(0);
    },
  };
}
