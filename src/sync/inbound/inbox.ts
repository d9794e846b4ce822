// The inbox: ids of inbound messages already handled, written in the same transaction as
// their effect, so a broker redelivery (QoS 1 is at-least-once) is never applied twice.
import { createHash } from 'node:crypto';
import type { Db } from '../../store/index.ts';

export type InboxOutcome = 'applied' | 'stale' | 'dead_lettered';

export class Inbox {
  constructor(private readonly db: Db) {}

  /** The message id, or for a payload without a readable one, a hash of topic and bytes. */
  static keyFor(messageId: string | null, topic: string, payload: Uint8Array): string {
    if (messageId) return messageId;
    return `sha256:${createHash('sha256').update(topic).update('\0').update(payload).digest('hex')}`;
  }

  seen(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM sync_inbox WHERE message_id = ?').get(key) !== undefined;
  }

  record(key: string, entry: { topic: string; type: string | null; outcome: InboxOutcome; at: string }): void {
    this.db.prepare('INSERT INTO sync_inbox (message_id, topic, type, outcome, received_at) VALUES (?, ?, ?, ?, ?)').run(key, entry.topic.slice(0, 500), entry.type, entry.outcome, entry.at);
  }

  prune(before: string): number {
    return this.db.prepare('DELETE FROM sync_inbox WHERE received_at < ?').run(before).changes;
  }
}
