// Prometheus metrics of the CRM sync, registered on the appliance's registry. Backlog gauges
// are read from the database at scrape time, so they are right even when sync is disabled.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface SyncMetrics {
  connected: Gauge;
  connectAttempts: Counter<'result'>;
  delivered: Counter;
  inFlight: Gauge;
  inbound: Counter<'type' | 'outcome'>;
  deadLetters: Counter<'reason'>;
  pruned: Counter;
  diskAlert: Gauge;
}

export function createSyncMetrics(registry: Registry, read: { backlog: () => { count: number; oldestAgeSeconds: number | null }; inFlight: () => number }): SyncMetrics {
  const registers = [registry];
  new Gauge({
    name: 'switchboard_sync_backlog_events',
    help: 'Events in the outbox not yet acknowledged by the broker',
    registers,
    collect() {
      this.set(read.backlog().count);
    },
  });
  new Gauge({
    name: 'switchboard_sync_oldest_undelivered_age_seconds',
    help: 'Age of the oldest undelivered event (0 when none)',
    registers,
    collect() {
      this.set(read.backlog().oldestAgeSeconds ?? 0);
    },
  });
  return {
    connected: new Gauge({ name: 'switchboard_sync_connected', help: '1 while connected to the central broker', registers }),
    connectAttempts: new Counter({ name: 'switchboard_sync_connect_attempts_total', help: 'Broker connection attempts by result', labelNames: ['result'], registers }),
    delivered: new Counter({ name: 'switchboard_sync_events_delivered_total', help: 'Events acknowledged by the broker (PUBACK)', registers }),
    inFlight: new Gauge({
      name: 'switchboard_sync_in_flight',
      help: 'Publishes awaiting PUBACK',
      registers,
      collect() {
        this.set(read.inFlight());
      },
    }),
    inbound: new Counter({ name: 'switchboard_sync_inbound_messages_total', help: 'Inbound CRM messages by type and outcome', labelNames: ['type', 'outcome'], registers }),
    deadLetters: new Counter({ name: 'switchboard_sync_dead_letters_total', help: 'Inbound messages dead-lettered, by reason', labelNames: ['reason'], registers }),
    pruned: new Counter({ name: 'switchboard_sync_events_pruned_total', help: 'Delivered events deleted by retention', registers }),
    diskAlert: new Gauge({ name: 'switchboard_sync_disk_alert', help: '1 when the disk guard alerts (backlog too large or disk nearly full)', registers }),
  };
}
