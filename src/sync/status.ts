// The sync status the supervisor console shows (GET /v1/sync/status): connection, backlog,
// last delivery, dead letters, conflicts and the disk guard, in one plain object.
import type { ConnectionState } from './connection.ts';
import type { DeadLetter } from './dead-letters.ts';
import type { DiskReport } from './retention.ts';

export interface SyncStatus {
  enabled: boolean;
  connection: {
    state: ConnectionState;
    /** Broker URL without credentials; null when sync is disabled. */
    broker: string | null;
    clientId: string;
    lastConnectedAt: string | null;
    lastDisconnectedAt: string | null;
    lastError: string | null;
    nextAttemptAt: string | null;
    failedAttempts: number;
  };
  outbox: {
    backlog: number;
    oldestUndeliveredAt: string | null;
    oldestUndeliveredAgeSeconds: number | null;
    inFlight: number;
    lastDeliveryAt: string | null;
    deliveredSinceStart: number;
  };
  inbound: {
    deadLetters: number;
    lastDeadLetter: Pick<DeadLetter, 'reasonCode' | 'reason' | 'topic' | 'messageId' | 'receivedAt'> | null;
    conflicts: number;
  };
  disk: DiskReport | null;
}

export function ageSeconds(iso: string | null, now: Date): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : Math.max(0, Math.round((now.getTime() - t) / 1000));
}
