// Retention: delivered events, old inbox ids and old dead letters are pruned after their
// configured age. Undelivered events are never pruned; instead a disk guard raises an
// alert (log + metric + status) when the backlog or the disk usage crosses its limits.
import { statfsSync } from 'node:fs';
import type { Logger } from '../ops/index.ts';
import type { Db } from '../store/index.ts';
import type { DeadLetters } from './dead-letters.ts';
import type { Inbox } from './inbound/inbox.ts';
import type { OutboxStore } from './outbox.ts';

export interface RetentionPolicy {
  deliveredDays: number;
  inboxDays: number;
  deadLetterDays: number;
  minFreeDiskBytes: number;
  maxBacklogEvents: number;
}

export interface DiskReport {
  databaseBytes: number;
  /** Free bytes on the data directory's file system; null when it cannot be read (:memory:). */
  freeBytes: number | null;
  backlogEvents: number;
  alert: boolean;
  reasons: string[];
}

export interface RetentionReport {
  prunedEvents: number;
  prunedInbox: number;
  prunedDeadLetters: number;
  disk: DiskReport;
}

const DAY_MS = 86_400_000;
/** Deletes in slices so a huge first prune does not hold the write lock for long. */
const SLICE = 5000;

export function checkDisk(db: Db, dataDir: string | null, backlogEvents: number, policy: RetentionPolicy): DiskReport {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  let freeBytes: number | null = null;
  if (dataDir) {
    try {
      const s = statfsSync(dataDir);
      freeBytes = s.bavail * s.bsize;
    } catch {
      freeBytes = null;
    }
  }
  const reasons: string[] = [];
  if (freeBytes !== null && freeBytes < policy.minFreeDiskBytes) reasons.push(`only ${freeBytes} bytes free on the data disk (minimum ${policy.minFreeDiskBytes})`);
  if (backlogEvents > policy.maxBacklogEvents) reasons.push(`${backlogEvents} events wait for delivery (alert above ${policy.maxBacklogEvents}); none are dropped`);
  return { databaseBytes: pageSize * pages, freeBytes, backlogEvents, alert: reasons.length > 0, reasons };
}

export function runRetention(deps: { db: Db; outbox: OutboxStore; inbox: Inbox; deadLetters: DeadLetters; dataDir: string | null; policy: RetentionPolicy; now: Date; logger: Logger }): RetentionReport {
  const { policy, now } = deps;
  const before = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  let prunedEvents = 0;
  for (let n = SLICE; n === SLICE; ) {
    n = deps.outbox.pruneDelivered(before(policy.deliveredDays), SLICE);
    prunedEvents += n;
  }
  const prunedInbox = deps.inbox.prune(before(policy.inboxDays));
  const prunedDeadLetters = deps.deadLetters.prune(before(policy.deadLetterDays));
  const disk = checkDisk(deps.db, deps.dataDir, deps.outbox.backlog().count, policy);
  if (disk.alert) deps.logger.error({ reasons: disk.reasons, databaseBytes: disk.databaseBytes, freeBytes: disk.freeBytes }, 'sync disk guard: backlog or disk usage needs attention');
  if (prunedEvents + prunedInbox + prunedDeadLetters > 0) deps.logger.info({ prunedEvents, prunedInbox, prunedDeadLetters }, 'sync retention pruned old records');
  return { prunedEvents, prunedInbox, prunedDeadLetters, disk };
}
