// Dead letters: inbound messages that could not be applied, kept with the reason (and an
// excerpt of the payload) for a supervisor to inspect, so the stream never blocks on them.
import type { Db } from '../store/index.ts';
import type { DeadLetterCode } from './protocol.ts';

/** Enough of a payload to recognise it; the whole of a huge or hostile one is not kept. */
const EXCERPT_BYTES = 2048;

export interface DeadLetter {
  id: number;
  topic: string;
  messageId: string | null;
  reasonCode: DeadLetterCode;
  reason: string;
  payloadExcerpt: string;
  payloadBytes: number;
  receivedAt: string;
}

export class DeadLetters {
  constructor(private readonly db: Db) {}

  add(entry: { topic: string; messageId: string | null; code: DeadLetterCode; reason: string; payload: Uint8Array; at: string }): void {
    const excerpt = Buffer.from(entry.payload.subarray(0, EXCERPT_BYTES)).toString('utf8');
    this.db
      .prepare(`INSERT INTO sync_dead_letters (topic, message_id, reason_code, reason, payload_excerpt, payload_bytes, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)`)
      .run(entry.topic.slice(0, 500), entry.messageId, entry.code, entry.reason.slice(0, 2000), excerpt, entry.payload.byteLength, entry.at);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sync_dead_letters').get() as { n: number }).n;
  }

  recent(limit = 20): DeadLetter[] {
    const rows = this.db.prepare('SELECT * FROM sync_dead_letters ORDER BY id DESC LIMIT ?').all(limit) as {
      id: number;
      topic: string;
      message_id: string | null;
      reason_code: DeadLetterCode;
      reason: string;
      payload_excerpt: string;
      payload_bytes: number;
      received_at: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      topic: r.topic,
      messageId: r.message_id,
      reasonCode: r.reason_code,
      reason: r.reason,
      payloadExcerpt: r.payload_excerpt,
      payloadBytes: r.payload_bytes,
      receivedAt: r.received_at,
    }));
  }

  prune(before: string): number {
    return this.db.prepare('DELETE FROM sync_dead_letters WHERE received_at < ?').run(before).changes;
  }
}
