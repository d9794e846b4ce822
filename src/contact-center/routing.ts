// Pure routing decisions: which waiting conversation is offered to which agent, when a
// conversation overflows to another queue, and where each waiter stands. No I/O, no clock:
// the service passes `now` and applies the decisions in one transaction.
import type { Language } from '../nlu/index.ts';
import type { ContactCenterConfig } from '../config/index.ts';

export type WorkChannel = 'chat' | 'voice';
export type QueueDef = ContactCenterConfig['queues'][number];

export interface AgentSnapshot {
  id: string;
  presence: 'available' | 'busy' | 'away' | 'offline';
  languages: readonly string[];
  topics: readonly string[];
  chatCapacity: number;
  voiceCapacity: number;
  activeChats: number;
  activeVoice: number;
  /** An agent holds at most one offer at a time. */
  hasPendingOffer: boolean;
  /** When the agent last took work (ms); null = never. Longest idle is served first. */
  lastAssignedAt: number | null;
}

export interface WaitingConversation {
  conversationId: string;
  queueId: string;
  channel: WorkChannel;
  language: Language | null;
  /** When it entered its current queue (ms), for overflow. */
  queueEnteredAt: number;
  /** When the customer first started waiting (ms), for fairness across transfers. */
  waitingSince: number;
  offeredTo: string | null;
  declines: readonly { agentId: string; at: number }[];
}

export interface Offer {
  conversationId: string;
  agentId: string;
}

export const channelOfConversation = (channel: 'rest' | 'chat' | 'voice'): WorkChannel => (channel === 'voice' ? 'voice' : 'chat');

/** Order in which waiters are served: queue priority, then who has waited longest. */
export function serviceOrder(queues: readonly QueueDef[], waiting: readonly WaitingConversation[]): WaitingConversation[] {
  const priority = new Map(queues.map((q) => [q.id, q.priority]));
  return [...waiting].sort(
    (a, b) => (priority.get(b.queueId) ?? 0) - (priority.get(a.queueId) ?? 0) || a.waitingSince - b.waitingSince || a.conversationId.localeCompare(b.conversationId),
  );
}

export function canServe(agent: AgentSnapshot, item: WaitingConversation, queue: QueueDef | undefined): boolean {
  if (agent.presence !== 'available' || agent.hasPendingOffer) return false;
  const hasRoom = item.channel === 'voice' ? agent.activeVoice < agent.voiceCapacity : agent.activeChats < agent.chatCapacity;
  if (!hasRoom) return false;
  if (item.language && !agent.languages.includes(item.language)) return false;
  if (queue && queue.topics.length > 0 && !queue.topics.some((t) => agent.topics.includes(t))) return false;
  return true;
}

/**
 * New offers for this moment: each unoffered waiter, in service order, goes to the
 * longest-idle agent who can serve it and has not just declined it. A decliner is asked
 * again only when nobody else could take it and the cooldown has passed.
 */
export function planOffers(
  queues: readonly QueueDef[],
  waiting: readonly WaitingConversation[],
  agents: readonly AgentSnapshot[],
  now: number,
  declineCooldownMs: number,
): Offer[] {
  const queueById = new Map(queues.map((q) => [q.id, q]));
  const pool = agents.map((a) => ({ ...a }));
  const offers: Offer[] = [];
  for (const item of serviceOrder(queues, waiting)) {
    if (item.offeredTo) continue;
    const queue = queueById.get(item.queueId);
    const eligible = pool.filter((a) => canServe(a, item, queue));
    if (eligible.length === 0) continue;
    const lastDecline = (agentId: string) => Math.max(-Infinity, ...item.declines.filter((d) => d.agentId === agentId).map((d) => d.at));
    const fresh = eligible.filter((a) => lastDecline(a.id) === -Infinity);
    const candidates = fresh.length > 0 ? fresh : eligible.filter((a) => now - lastDecline(a.id) >= declineCooldownMs);
    if (candidates.length === 0) continue;
    candidates.sort((a, b) => (a.lastAssignedAt ?? -Infinity) - (b.lastAssignedAt ?? -Infinity) || a.id.localeCompare(b.id));
    const chosen = candidates[0]!;
    chosen.hasPendingOffer = true;
    offers.push({ conversationId: item.conversationId, agentId: chosen.id });
  }
  return offers;
}

/** Waiters that have waited too long in a queue with an overflow target. */
export function planOverflows(queues: readonly QueueDef[], waiting: readonly WaitingConversation[], now: number): { conversationId: string; from: string; to: string }[] {
  const queueById = new Map(queues.map((q) => [q.id, q]));
  return waiting.flatMap((item) => {
    const queue = queueById.get(item.queueId);
    if (!queue?.overflowTo || item.offeredTo) return [];
    return now - item.queueEnteredAt >= queue.overflowAfterSeconds * 1000 ? [{ conversationId: item.conversationId, from: queue.id, to: queue.overflowTo }] : [];
  });
}

/**
 * Each waiter's place in its queue (1 = next) and a wait estimate: the waiters ahead,
 * served by the agents who could take this conversation, at the average handle time.
 */
export function queuePositions(
  queues: readonly QueueDef[],
  waiting: readonly WaitingConversation[],
  agents: readonly AgentSnapshot[],
  averageHandleSeconds: number,
): Map<string, { position: number; estimatedWaitSeconds: number }> {
  const queueById = new Map(queues.map((q) => [q.id, q]));
  const out = new Map<string, { position: number; estimatedWaitSeconds: number }>();
  const ordered = serviceOrder(queues, waiting);
  const ahead = new Map<string, number>();
  for (const item of ordered) {
    const position = (ahead.get(item.queueId) ?? 0) + 1;
    ahead.set(item.queueId, position);
    const queue = queueById.get(item.queueId);
    // Staffed = agents with the skills, whatever their momentary state, minus those away/offline.
    const staffed = agents.filter((a) => (a.presence === 'available' || a.presence === 'busy') && canServe({ ...a, presence: 'available', hasPendingOffer: false, activeChats: 0, activeVoice: 0 }, item, queue));
    const lanes = Math.max(1, staffed.reduce((n, a) => n + (item.channel === 'voice' ? a.voiceCapacity : a.chatCapacity), 0));
    const estimatedWaitSeconds = item.offeredTo ? 0 : Math.round(((position - 1) / lanes + 0.5) * averageHandleSeconds);
    out.set(item.conversationId, { position, estimatedWaitSeconds });
  }
  return out;
}

/** The queue a handoff goes to: the first rule matching its flow, intent or channel. */
export function chooseQueue(
  config: Pick<ContactCenterConfig, 'routes' | 'defaultQueue'>,
  handoff: { flowId: string | null; intent: string | null; channel: 'rest' | 'chat' | 'voice' },
): string {
  for (const rule of config.routes) {
    const channelOk = rule.channels.length === 0 || rule.channels.includes(handoff.channel);
    const flowOk = handoff.flowId !== null && rule.flows.includes(handoff.flowId);
    const intentOk = handoff.intent !== null && rule.intents.includes(handoff.intent);
    const unconditional = rule.flows.length === 0 && rule.intents.length === 0;
    if (channelOk && (flowOk || intentOk || unconditional)) return rule.queue;
  }
  return config.defaultQueue;
}
