// SQLite access for agent profiles and the handoff queue. Callers wrap changes in one
// transaction together with their domain events.
import type { Db } from '../store/index.ts';
import { AppError } from '../errors/index.ts';
import type { Language } from '../nlu/index.ts';
import type { Presence } from './protocol.ts';
import type { WorkChannel } from './routing.ts';

export interface AgentProfile {
  accountId: string;
  name: string;
  languages: string[];
  topics: string[];
  chatCapacity: number;
  voiceCapacity: number;
  presence: Presence;
  presenceAt: string;
  lastAssignedAt: string | null;
}

export type HandoffStatus = 'waiting' | 'offered' | 'assigned' | 'closed';

export interface HandoffEntry {
  conversationId: string;
  queueId: string;
  channel: WorkChannel;
  language: Language | null;
  status: HandoffStatus;
  waitingSince: string;
  queueEnteredAt: string;
  offeredTo: string | null;
  offerExpiresAt: string | null;
  assignedTo: string | null;
  assignedAt: string | null;
  declines: { agentId: string; at: string }[];
  closedAt: string | null;
  closeReason: string | null;
  disposition: string | null;
  notes: string | null;
}

interface ProfileRow {
  account_id: string;
  display_name: string;
  languages: string;
  topics: string;
  chat_capacity: number;
  voice_capacity: number;
  presence: Presence;
  presence_at: string;
  last_assigned_at: string | null;
}

interface HandoffRow {
  conversation_id: string;
  queue_id: string;
  channel: WorkChannel;
  language: Language | null;
  status: HandoffStatus;
  waiting_since: string;
  queue_entered_at: string;
  offered_to: string | null;
  offer_expires_at: string | null;
  assigned_to: string | null;
  assigned_at: string | null;
  declines: string;
  closed_at: string | null;
  close_reason: string | null;
  disposition: string | null;
  notes: string | null;
}

const toProfile = (r: ProfileRow): AgentProfile => ({
  accountId: r.account_id,
  name: r.display_name,
  languages: JSON.parse(r.languages) as string[],
  topics: JSON.parse(r.topics) as string[],
  chatCapacity: r.chat_capacity,
  voiceCapacity: r.voice_capacity,
  presence: r.presence,
  presenceAt: r.presence_at,
  lastAssignedAt: r.last_assigned_at,
});

const toEntry = (r: HandoffRow): HandoffEntry => ({
  conversationId: r.conversation_id,
  queueId: r.queue_id,
  channel: r.channel,
  language: r.language,
  status: r.status,
  waitingSince: r.waiting_since,
  queueEnteredAt: r.queue_entered_at,
  offeredTo: r.offered_to,
  offerExpiresAt: r.offer_expires_at,
  assignedTo: r.assigned_to,
  assignedAt: r.assigned_at,
  declines: JSON.parse(r.declines) as { agentId: string; at: string }[],
  closedAt: r.closed_at,
  closeReason: r.close_reason,
  disposition: r.disposition,
  notes: r.notes,
});

const PROFILE_SELECT = `SELECT p.*, a.display_name FROM agent_profiles p JOIN accounts a ON a.id = p.account_id`;

export class ContactCenterRepository {
  constructor(private readonly db: Db) {}

  /** The agent's profile, created with defaults the first time an agent account is seen. */
  profile(accountId: string, now: string): AgentProfile {
    const account = this.db.prepare(`SELECT role FROM accounts WHERE id = ? AND disabled = 0`).get(accountId) as { role: string } | undefined;
    if (!account || account.role !== 'agent') throw new AppError('ACCOUNT_NOT_FOUND', `no agent account ${accountId}`);
    this.db.prepare(`INSERT OR IGNORE INTO agent_profiles (account_id, presence_at) VALUES (?, ?)`).run(accountId, now);
    return toProfile(this.db.prepare(`${PROFILE_SELECT} WHERE p.account_id = ?`).get(accountId) as ProfileRow);
  }

  /** Every agent account with its profile (profiles are created on first sight). */
  agents(now: string): AgentProfile[] {
    // Routing reads this every tick: only write when a new agent account has appeared.
    const missing = this.db.prepare(`SELECT 1 FROM accounts a LEFT JOIN agent_profiles p ON p.account_id = a.id WHERE a.role = 'agent' AND a.disabled = 0 AND p.account_id IS NULL LIMIT 1`).get();
    if (missing) this.db.prepare(`INSERT OR IGNORE INTO agent_profiles (account_id, presence_at) SELECT id, ? FROM accounts WHERE role = 'agent' AND disabled = 0`).run(now);
    return (this.db.prepare(`${PROFILE_SELECT} WHERE a.disabled = 0 AND a.role = 'agent' ORDER BY a.display_name`).all() as ProfileRow[]).map(toProfile);
  }

  updateProfile(accountId: string, change: { languages?: string[]; topics?: string[]; chatCapacity?: number; voiceCapacity?: number }, now: string): AgentProfile {
    const p = this.profile(accountId, now);
    this.db
      .prepare(`UPDATE agent_profiles SET languages = ?, topics = ?, chat_capacity = ?, voice_capacity = ? WHERE account_id = ?`)
      .run(JSON.stringify(change.languages ?? p.languages), JSON.stringify(change.topics ?? p.topics), change.chatCapacity ?? p.chatCapacity, change.voiceCapacity ?? p.voiceCapacity, accountId);
    return this.profile(accountId, now);
  }

  setPresence(accountId: string, presence: Presence, now: string): void {
    this.db.prepare(`UPDATE agent_profiles SET presence = ?, presence_at = ? WHERE account_id = ?`).run(presence, now, accountId);
  }

  markAssigned(accountId: string, now: string): void {
    this.db.prepare(`UPDATE agent_profiles SET last_assigned_at = ? WHERE account_id = ?`).run(now, accountId);
  }

  entry(conversationId: string): HandoffEntry | null {
    const row = this.db.prepare(`SELECT * FROM handoffs WHERE conversation_id = ?`).get(conversationId) as HandoffRow | undefined;
    return row ? toEntry(row) : null;
  }

  openEntries(): HandoffEntry[] {
    return (this.db.prepare(`SELECT * FROM handoffs WHERE status <> 'closed' ORDER BY waiting_since`).all() as HandoffRow[]).map(toEntry);
  }

  assignedTo(accountId: string): HandoffEntry[] {
    return (this.db.prepare(`SELECT * FROM handoffs WHERE status = 'assigned' AND assigned_to = ? ORDER BY assigned_at`).all(accountId) as HandoffRow[]).map(toEntry);
  }

  /** Queues a conversation (again, after a hand-back or a new request). */
  enqueue(input: { conversationId: string; queueId: string; channel: WorkChannel; language: Language | null; now: string }): void {
    this.db
      .prepare(
        `INSERT INTO handoffs (conversation_id, queue_id, channel, language, status, waiting_since, queue_entered_at)
         VALUES (@conversationId, @queueId, @channel, @language, 'waiting', @now, @now)
         ON CONFLICT (conversation_id) DO UPDATE SET queue_id = @queueId, channel = @channel, language = @language, status = 'waiting',
           waiting_since = @now, queue_entered_at = @now, offered_to = NULL, offer_expires_at = NULL, assigned_to = NULL, assigned_at = NULL,
           declines = '[]', closed_at = NULL, close_reason = NULL, disposition = NULL, notes = NULL`,
      )
      .run(input);
  }

  offer(conversationId: string, agentId: string, expiresAt: string): void {
    const changed = this.db
      .prepare(`UPDATE handoffs SET status = 'offered', offered_to = ?, offer_expires_at = ? WHERE conversation_id = ? AND status = 'waiting'`)
      .run(agentId, expiresAt, conversationId).changes;
    if (changed !== 1) throw new AppError('CONVERSATION_STATE_CONFLICT', `conversation ${conversationId} is not waiting`);
  }

  /** Back to waiting after a decline or a missed offer, remembering who passed. */
  withdrawOffer(conversationId: string, declinedBy: string, now: string): void {
    const e = this.entry(conversationId);
    if (!e || e.status !== 'offered') return;
    const declines = JSON.stringify([...e.declines, { agentId: declinedBy, at: now }]);
    this.db.prepare(`UPDATE handoffs SET status = 'waiting', offered_to = NULL, offer_expires_at = NULL, declines = ? WHERE conversation_id = ?`).run(declines, conversationId);
  }

  /** Only the agent holding the offer can take it: a second accept finds no offered row. */
  accept(conversationId: string, agentId: string, now: string): void {
    const changed = this.db
      .prepare(`UPDATE handoffs SET status = 'assigned', assigned_to = ?, assigned_at = ?, offered_to = NULL, offer_expires_at = NULL WHERE conversation_id = ? AND status = 'offered' AND offered_to = ?`)
      .run(agentId, now, conversationId, agentId).changes;
    if (changed !== 1) throw new AppError('CONVERSATION_STATE_CONFLICT', 'this offer is no longer yours (it timed out or was withdrawn)');
  }

  moveQueue(conversationId: string, queueId: string, now: string): void {
    this.db
      .prepare(`UPDATE handoffs SET queue_id = ?, queue_entered_at = ?, status = 'waiting', offered_to = NULL, offer_expires_at = NULL, assigned_to = NULL, assigned_at = NULL WHERE conversation_id = ?`)
      .run(queueId, now, conversationId);
  }

  close(conversationId: string, input: { reason: string; disposition?: string | null; notes?: string | null; now: string }): void {
    this.db
      .prepare(`UPDATE handoffs SET status = 'closed', closed_at = ?, close_reason = ?, disposition = ?, notes = ?, offered_to = NULL, offer_expires_at = NULL, assigned_to = NULL WHERE conversation_id = ?`)
      .run(input.now, input.reason, input.disposition ?? null, input.notes ?? null, conversationId);
  }
}
