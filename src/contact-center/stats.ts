// Figures for the supervisor console: the live queue board and conversation outcomes over a
// period (bot resolution, handoff reasons, satisfaction, A/B variants). Read-only SQL.
import type { Db } from '../store/index.ts';
import type { QueueDef } from './routing.ts';
import type { AgentProfile } from './repository.ts';

export interface BoardQueue {
  id: string;
  name: string;
  waiting: number;
  offered: number;
  longestWaitSeconds: number;
  serviceLevel: number | null;
  serviceLevelSeconds: number;
}

export interface BoardAgent {
  id: string;
  name: string;
  presence: string;
  activeChats: number;
  activeVoice: number;
  chatCapacity: number;
  voiceCapacity: number;
  idleSince: string | null;
}

interface HandoffRow {
  conversation_id: string;
  queue_id: string;
  channel: string;
  status: string;
  waiting_since: string;
  assigned_at: string | null;
  assigned_to: string | null;
}

/** Start of the local calendar day: service level is a per-day figure in call centers. */
function startOfDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

export function queueBoard(db: Db, queues: readonly QueueDef[], agents: readonly AgentProfile[], connected: (id: string) => boolean, now: Date) {
  const nowMs = now.getTime();
  const dayStart = startOfDay(now).toISOString();
  const open = db.prepare(`SELECT * FROM handoffs WHERE status IN ('waiting','offered','assigned')`).all() as HandoffRow[];
  // Answered = accepted by an agent (handoff.accepted), measured from when the customer started waiting.
  const answeredToday = db
    .prepare(
      `SELECT h.queue_id, h.waiting_since, e.occurred_at AS answered_at FROM domain_events e JOIN handoffs h ON h.conversation_id = e.aggregate_id
       WHERE e.type = 'handoff.accepted' AND e.occurred_at >= ?`,
    )
    .all(dayStart) as { queue_id: string; waiting_since: string; answered_at: string }[];
  const boardQueues: BoardQueue[] = queues.map((q) => {
    const waiting = open.filter((h) => h.queue_id === q.id && (h.status === 'waiting' || h.status === 'offered'));
    const slMs = q.serviceLevelSeconds * 1000;
    const answered = answeredToday.filter((a) => a.queue_id === q.id);
    const inTime = answered.filter((a) => Date.parse(a.answered_at) - Date.parse(a.waiting_since) <= slMs).length;
    // Still waiting beyond the target already counts as missed.
    const overdue = waiting.filter((h) => nowMs - Date.parse(h.waiting_since) > slMs).length;
    const denominator = answered.length + overdue;
    return {
      id: q.id,
      name: q.name,
      waiting: waiting.length,
      offered: waiting.filter((h) => h.status === 'offered').length,
      longestWaitSeconds: Math.max(0, ...waiting.map((h) => Math.round((nowMs - Date.parse(h.waiting_since)) / 1000))),
      serviceLevel: denominator === 0 ? null : inTime / denominator,
      serviceLevelSeconds: q.serviceLevelSeconds,
    };
  });
  const boardAgents: BoardAgent[] = agents.map((a) => {
    const mine = open.filter((h) => h.status === 'assigned' && h.assigned_to === a.accountId);
    return {
      id: a.accountId,
      name: a.name,
      presence: connected(a.accountId) ? a.presence : 'offline',
      activeChats: mine.filter((h) => h.channel === 'chat').length,
      activeVoice: mine.filter((h) => h.channel === 'voice').length,
      chatCapacity: a.chatCapacity,
      voiceCapacity: a.voiceCapacity,
      idleSince: mine.length === 0 ? a.lastAssignedAt : null,
    };
  });
  return { queues: boardQueues, agents: boardAgents, generatedAt: now.toISOString() };
}

export function conversationStats(db: Db, from: string, to: string) {
  const totals = db
    .prepare(
      `SELECT count(*) AS conversations,
              sum(outcome = 'resolved') AS botResolved,
              sum(outcome = 'handoff' OR handoff IS NOT NULL) AS handedOff,
              sum(outcome = 'abandoned') AS abandoned
       FROM conversations WHERE created_at >= ? AND created_at < ?`,
    )
    .get(from, to) as { conversations: number; botResolved: number | null; handedOff: number | null; abandoned: number | null };
  // Reasons come from the event log: a conversation handed back to the bot keeps its history there.
  const reasons = db
    .prepare(
      `SELECT json_extract(e.payload, '$.reason') AS reason, count(*) AS count FROM domain_events e
       JOIN conversations c ON c.id = e.aggregate_id
       WHERE e.type = 'conversation.handoff_requested' AND c.created_at >= ? AND c.created_at < ?
       GROUP BY reason ORDER BY count DESC`,
    )
    .all(from, to) as { reason: string; count: number }[];
  const csatRows = db.prepare(`SELECT csat, count(*) AS n FROM conversations WHERE csat IS NOT NULL AND created_at >= ? AND created_at < ? GROUP BY csat`).all(from, to) as { csat: number; n: number }[];
  const distribution = [1, 2, 3, 4, 5].map((s) => csatRows.find((r) => r.csat === s)?.n ?? 0);
  const csatCount = distribution.reduce((a, b) => a + b, 0);
  const variants = db
    .prepare(
      `SELECT a.experiment, a.variant, count(*) AS conversations,
              sum(a.outcome = 'resolved') AS resolved, sum(a.outcome = 'handoff') AS handoff, sum(a.outcome = 'abandoned') AS abandoned,
              count(a.csat) AS csatCount, avg(a.csat) AS csatAverage
       FROM ab_assignments a JOIN conversations c ON c.id = a.conversation_id
       WHERE c.created_at >= ? AND c.created_at < ?
       GROUP BY a.experiment, a.variant ORDER BY a.experiment, a.variant`,
    )
    .all(from, to) as { experiment: string; variant: string; conversations: number; resolved: number | null; handoff: number | null; abandoned: number | null; csatCount: number; csatAverage: number | null }[];
  const decided = (totals.botResolved ?? 0) + (totals.handedOff ?? 0);
  return {
    from,
    to,
    conversations: totals.conversations,
    botResolved: totals.botResolved ?? 0,
    handedOff: totals.handedOff ?? 0,
    abandoned: totals.abandoned ?? 0,
    botResolutionRate: decided === 0 ? null : (totals.botResolved ?? 0) / decided,
    handoffReasons: reasons,
    csat: { count: csatCount, average: csatCount === 0 ? null : distribution.reduce((s, n, i) => s + n * (i + 1), 0) / csatCount, distribution },
    variants: variants.map((v) => ({ ...v, resolved: v.resolved ?? 0, handoff: v.handoff ?? 0, abandoned: v.abandoned ?? 0 })),
  };
}
