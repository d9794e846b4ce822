// The contact center: turns handoff requests into queued work, offers it to agents by skill
// and idle time, and carries accept/decline/timeout, transfer, hand-back and resolution —
// each a recorded domain event. Node runs this single-threaded and every change is one SQLite
// transaction, so a conversation can never be held by two agents.
import type { ContactCenterConfig } from '../config/index.ts';
import type { ConversationService, TurnsAdded } from '../conversation/index.ts';
import type { Customer } from '../customers/index.ts';
import { AppError } from '../errors/index.ts';
import type { SearchHit } from '../knowledge/index.ts';
import type { Language } from '../nlu/index.ts';
import type { Logger } from '../ops/index.ts';
import { recordDomainEvent, type Db } from '../store/index.ts';
import type { CallControlNotifier } from './call-control.ts';
import { buildHandoffPackage } from './handoff-package.ts';
import type { AgentServerMessage, Disposition, HandoffPackage, Presence } from './protocol.ts';
import { ContactCenterRepository, type AgentProfile, type HandoffEntry } from './repository.ts';
import {
  channelOfConversation,
  chooseQueue,
  planOffers,
  planOverflows,
  queuePositions,
  type AgentSnapshot,
  type QueueDef,
  type WaitingConversation,
} from './routing.ts';

export type AgentSink = (message: AgentServerMessage) => void;

export interface ContactCenterDeps {
  db: Db;
  config: ContactCenterConfig;
  conversations: ConversationService;
  customer: (id: string) => Customer | null;
  articleTitle: (id: string) => string | null;
  suggest: (text: string, language: Language) => SearchHit[];
  callControl: CallControlNotifier;
  logger: Logger;
  clock: () => Date;
  /** How often timeouts, overflow and queue positions are checked. */
  tickMs?: number;
}

interface AgentConnection {
  sinks: Set<AgentSink>;
  graceTimer: NodeJS.Timeout | null;
}

const ms = (iso: string) => Date.parse(iso);

export class ContactCenter {
  private readonly repo: ContactCenterRepository;
  private readonly connections = new Map<string, AgentConnection>();
  private readonly queueById: Map<string, QueueDef>;
  private unsubscribe: (() => void) | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private rerouteScheduled = false;
  private ticks = 0;
  private readonly lastPositions = new Map<string, string>();

  constructor(private readonly deps: ContactCenterDeps) {
    this.repo = new ContactCenterRepository(deps.db);
    this.queueById = new Map(deps.config.queues.map((q) => [q.id, q]));
  }

  start(): void {
    this.unsubscribe = this.deps.conversations.subscribeAll((u) => this.onTurns(u));
    this.recover();
    this.ticker = setInterval(() => this.tick(), this.deps.tickMs ?? 1000);
    this.ticker.unref();
  }

  close(): void {
    this.unsubscribe?.();
    if (this.ticker) clearInterval(this.ticker);
    for (const c of this.connections.values()) if (c.graceTimer) clearTimeout(c.graceTimer);
    this.connections.clear();
  }

  get queues(): readonly QueueDef[] {
    return this.deps.config.queues;
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }

  // ── agents ────────────────────────────────────────────────────────────────────────────

  /** A desktop connected for this agent; returns what its welcome shows. */
  connectAgent(accountId: string, sink: AgentSink): { profile: AgentProfile; assigned: HandoffPackage[]; offers: Extract<AgentServerMessage, { type: 'offer' }>[] } {
    const profile = this.repo.profile(accountId, this.now());
    let conn = this.connections.get(accountId);
    if (!conn) this.connections.set(accountId, (conn = { sinks: new Set(), graceTimer: null }));
    if (conn.graceTimer) clearTimeout(conn.graceTimer);
    conn.graceTimer = null;
    conn.sinks.add(sink);
    const assigned = this.repo.assignedTo(accountId).map((e) => this.packageOf(e));
    // An offer made to an earlier tab of this agent is shown again (after the welcome).
    const offers = this.repo
      .openEntries()
      .filter((e) => e.status === 'offered' && e.offeredTo === accountId)
      .map((e) => ({ type: 'offer' as const, package: this.packageOf(e), expiresAt: e.offerExpiresAt! }));
    this.scheduleReroute();
    return { profile, assigned, offers };
  }

  /** A desktop went away; after the grace period the agent is away and their offer returns to the queue. */
  disconnectAgent(accountId: string, sink: AgentSink): void {
    const conn = this.connections.get(accountId);
    if (!conn) return;
    conn.sinks.delete(sink);
    if (conn.sinks.size > 0) return;
    const expire = () => {
      this.connections.delete(accountId);
      this.withdrawOffersOf(accountId, 'timeout', `account:${accountId}`);
      const p = this.repo.profile(accountId, this.now());
      if (p.presence === 'available' || p.presence === 'busy') this.changePresence(accountId, 'away', 'system');
      this.scheduleReroute();
    };
    const grace = this.deps.config.disconnectGraceSeconds * 1000;
    if (grace === 0) expire();
    else {
      conn.graceTimer = setTimeout(expire, grace);
      conn.graceTimer.unref();
    }
  }

  setPresence(accountId: string, presence: Exclude<Presence, 'offline'>): void {
    this.changePresence(accountId, presence, `account:${accountId}`);
    if (presence !== 'available') this.withdrawOffersOf(accountId, 'cancelled', `account:${accountId}`);
    this.scheduleReroute();
  }

  private changePresence(accountId: string, presence: Presence, actor: string): void {
    const now = this.now();
    this.deps.db.transaction(() => {
      this.repo.setPresence(accountId, presence, now);
      recordDomainEvent(this.deps.db, { type: 'agent.presence_changed', aggregate: 'account', aggregateId: accountId, actor, payload: { presence }, occurredAt: now });
    })();
    this.sendTo(accountId, { type: 'presence', presence });
  }

  agents(): AgentProfile[] {
    return this.repo.agents(this.now());
  }

  updateAgentProfile(accountId: string, change: { languages?: string[]; topics?: string[]; chatCapacity?: number; voiceCapacity?: number }, actor: string): AgentProfile {
    const now = this.now();
    const profile = this.deps.db.transaction(() => {
      const p = this.repo.updateProfile(accountId, change, now);
      recordDomainEvent(this.deps.db, { type: 'agent.profile_updated', aggregate: 'account', aggregateId: accountId, actor, payload: change, occurredAt: now });
      return p;
    })();
    this.scheduleReroute();
    return profile;
  }

  isConnected(accountId: string): boolean {
    return (this.connections.get(accountId)?.sinks.size ?? 0) > 0;
  }

  // ── work ──────────────────────────────────────────────────────────────────────────────

  accept(accountId: string, conversationId: string): HandoffPackage {
    const now = this.now();
    const profile = this.repo.profile(accountId, now);
    this.deps.db.transaction(() => {
      this.repo.accept(conversationId, accountId, now);
      this.repo.markAssigned(accountId, now);
      recordDomainEvent(this.deps.db, { type: 'handoff.accepted', aggregate: 'handoff', aggregateId: conversationId, actor: `account:${accountId}`, payload: { agent: accountId }, occurredAt: now });
    })();
    this.deps.conversations.assignAgent(conversationId, { subject: `account:${accountId}`, name: profile.name });
    const pkg = this.packageOf(this.repo.entry(conversationId)!);
    this.sendTo(accountId, { type: 'assigned', package: pkg });
    this.scheduleReroute();
    return pkg;
  }

  decline(accountId: string, conversationId: string): void {
    const e = this.repo.entry(conversationId);
    if (!e || e.status !== 'offered' || e.offeredTo !== accountId) throw new AppError('CONVERSATION_STATE_CONFLICT', 'there is no offer of this conversation to you');
    this.withdraw(e, 'declined', `account:${accountId}`);
    this.scheduleReroute();
  }

  reply(accountId: string, conversationId: string, text: string, clientMessageId?: string): void {
    this.assertHolds(accountId, conversationId);
    const profile = this.repo.profile(accountId, this.now());
    this.deps.conversations.addAgentTurn(conversationId, { subject: `account:${accountId}`, name: profile.name }, { text, clientMessageId });
  }

  transfer(accountId: string, conversationId: string, queueId: string, note?: string): void {
    this.assertHolds(accountId, conversationId);
    const queue = this.queueById.get(queueId);
    if (!queue) throw new AppError('VALIDATION_FAILED', `no queue "${queueId}"`, { issues: [{ field: 'queueId', reason: 'unknown queue' }] });
    const now = this.now();
    this.deps.db.transaction(() => {
      this.repo.moveQueue(conversationId, queueId, now);
      recordDomainEvent(this.deps.db, { type: 'handoff.transferred', aggregate: 'handoff', aggregateId: conversationId, actor: `account:${accountId}`, payload: { queueId, note: note ?? null }, occurredAt: now });
    })();
    this.deps.conversations.noteTransfer(conversationId, queue.name, `account:${accountId}`);
    this.sendTo(accountId, { type: 'released', conversationId, reason: 'transferred' });
    this.routeCall(conversationId, queueId);
    this.scheduleReroute();
  }

  handBack(accountId: string, conversationId: string): void {
    this.assertHolds(accountId, conversationId);
    const now = this.now();
    this.deps.db.transaction(() => {
      this.repo.close(conversationId, { reason: 'handed_back', now });
      recordDomainEvent(this.deps.db, { type: 'handoff.handed_back', aggregate: 'handoff', aggregateId: conversationId, actor: `account:${accountId}`, payload: {}, occurredAt: now });
    })();
    this.deps.conversations.handBack(conversationId, `account:${accountId}`);
    this.sendTo(accountId, { type: 'released', conversationId, reason: 'handed_back' });
    this.scheduleReroute();
  }

  resolve(accountId: string, conversationId: string, input: { disposition: Disposition; notes: string; createTicket: boolean }): { ticketId: string | null } {
    this.assertHolds(accountId, conversationId);
    const now = this.now();
    this.deps.db.transaction(() => {
      this.repo.close(conversationId, { reason: 'resolved', disposition: input.disposition, notes: input.notes, now });
      recordDomainEvent(this.deps.db, { type: 'handoff.resolved', aggregate: 'handoff', aggregateId: conversationId, actor: `account:${accountId}`, payload: { disposition: input.disposition }, occurredAt: now });
    })();
    const { ticketId } = this.deps.conversations.resolveByAgent(conversationId, `account:${accountId}`, input);
    this.sendTo(accountId, { type: 'released', conversationId, reason: 'resolved' });
    this.scheduleReroute();
    return { ticketId };
  }

  private assertHolds(accountId: string, conversationId: string): void {
    const e = this.repo.entry(conversationId);
    if (!e || e.status !== 'assigned' || e.assignedTo !== accountId) throw new AppError('CONVERSATION_STATE_CONFLICT', 'this conversation is not assigned to you');
  }

  // ── queueing ──────────────────────────────────────────────────────────────────────────

  /** New turns anywhere: queue fresh handoffs, forward to the agent holding the conversation. */
  private onTurns(update: TurnsAdded): void {
    const c = update.conversation;
    const entry = this.repo.entry(c.id);
    if (c.status === 'awaiting_agent' && (!entry || entry.status === 'closed')) {
      this.enqueue(update);
      return;
    }
    if (entry?.status === 'assigned' && entry.assignedTo) {
      this.sendTo(entry.assignedTo, { type: 'turns', conversationId: c.id, turns: update.turns.map((t) => ({ ...t, entities: t.entities.map((e) => ({ ...e })) })) });
      const last = [...update.turns].reverse().find((t) => t.speaker === 'customer');
      if (last && !update.duplicate) this.sendSuggestions(entry.assignedTo, c.id, last.seq, last.text, c.language ?? 'en');
    }
  }

  private enqueue(update: TurnsAdded): void {
    const c = update.conversation;
    const context = (c.handoff?.context ?? {}) as { activeFlow?: { id?: string } | null; lastIntent?: { name?: string } | null };
    const queueId = chooseQueue(this.deps.config, { flowId: context.activeFlow?.id ?? null, intent: context.lastIntent?.name ?? null, channel: c.channel });
    const now = this.now();
    this.deps.db.transaction(() => {
      this.repo.enqueue({ conversationId: c.id, queueId, channel: channelOfConversation(c.channel), language: c.language, now });
      recordDomainEvent(this.deps.db, { type: 'handoff.queued', aggregate: 'handoff', aggregateId: c.id, customerKey: c.customerId, actor: 'system', payload: { queueId, reason: c.handoff?.reason ?? null }, occurredAt: now });
    })();
    this.deps.logger.info({ conversationId: c.id, queueId }, 'conversation queued for an agent');
    this.routeCall(c.id, queueId);
    this.scheduleReroute();
  }

  /** Voice: tell the PBX (and the desktops) where to bridge the call. */
  private routeCall(conversationId: string, queueId: string): void {
    const call = this.deps.conversations.callOf(conversationId);
    if (!call) return;
    const queue = this.queueById.get(queueId)!;
    const event = { type: 'call.route' as const, callId: call.callId, conversationId, queueId, extension: queue.extension, callerNumber: call.callerNumber, occurredAt: this.now() };
    this.deps.callControl.send(event, (delivered, attempts) => {
      recordDomainEvent(this.deps.db, { type: delivered ? 'call_control.delivered' : 'call_control.failed', aggregate: 'handoff', aggregateId: conversationId, actor: 'system', payload: { ...event, attempts }, occurredAt: this.now() });
    });
    this.broadcast({ type: 'call_control', event: { callId: call.callId, conversationId, queueId, extension: queue.extension, callerNumber: call.callerNumber } });
  }

  private sendSuggestions(agentId: string, conversationId: string, seq: number, text: string, language: Language): void {
    let hits: SearchHit[] = [];
    try {
      hits = this.deps.suggest(text, language);
    } catch {
      return; // nothing searchable in the message
    }
    this.sendTo(agentId, {
      type: 'suggestions',
      conversationId,
      forSeq: seq,
      items: hits.map((h) => ({ articleId: h.article.id, title: h.article.title, snippet: h.snippet, body: h.article.body })),
    });
  }

  private withdrawOffersOf(accountId: string, reason: 'timeout' | 'cancelled', actor: string): void {
    for (const e of this.repo.openEntries()) if (e.status === 'offered' && e.offeredTo === accountId) this.withdraw(e, reason, actor);
  }

  private withdraw(e: HandoffEntry, reason: 'timeout' | 'declined' | 'cancelled', actor: string): void {
    const now = this.now();
    this.deps.db.transaction(() => {
      this.repo.withdrawOffer(e.conversationId, e.offeredTo!, now);
      recordDomainEvent(this.deps.db, { type: `handoff.offer_${reason}`, aggregate: 'handoff', aggregateId: e.conversationId, actor, payload: { agent: e.offeredTo }, occurredAt: now });
    })();
    this.sendTo(e.offeredTo!, { type: 'offer_withdrawn', conversationId: e.conversationId, reason });
  }

  /** Re-plans soon, once, however many changes happen in this turn of the event loop. */
  scheduleReroute(): void {
    if (this.rerouteScheduled) return;
    this.rerouteScheduled = true;
    queueMicrotask(() => {
      this.rerouteScheduled = false;
      try {
        this.reroute();
      } catch (err) {
        this.deps.logger.error({ err }, 'routing failed');
      }
    });
  }

  /** Timeouts, overflow, new offers, and queue positions for waiting customers. */
  tick(): void {
    const nowMs = this.deps.clock().getTime();
    for (const e of this.repo.openEntries()) {
      if (e.status === 'offered' && e.offerExpiresAt && ms(e.offerExpiresAt) <= nowMs) {
        this.withdraw(e, 'timeout', 'system');
        // A missed offer usually means nobody is at the desk: stop offering until they are back.
        this.changePresence(e.offeredTo!, 'away', 'system');
      }
    }
    this.ticks++;
    this.reroute(this.ticks % 5 === 0);
  }

  private reroute(forcePositions = false): void {
    const nowDate = this.deps.clock();
    const now = nowDate.getTime();
    const nowIso = nowDate.toISOString();
    let waiting = this.waitingSnapshot();
    for (const o of planOverflows(this.deps.config.queues, waiting, now)) {
      this.deps.db.transaction(() => {
        this.repo.moveQueue(o.conversationId, o.to, nowIso);
        recordDomainEvent(this.deps.db, { type: 'handoff.overflowed', aggregate: 'handoff', aggregateId: o.conversationId, actor: 'system', payload: o, occurredAt: nowIso });
      })();
      this.routeCall(o.conversationId, o.to);
    }
    waiting = this.waitingSnapshot();
    const agents = this.agentSnapshot();
    const expiresAt = new Date(now + this.deps.config.offerTimeoutSeconds * 1000).toISOString();
    for (const offer of planOffers(this.deps.config.queues, waiting, agents, now, this.deps.config.declineCooldownSeconds * 1000)) {
      this.deps.db.transaction(() => {
        this.repo.offer(offer.conversationId, offer.agentId, expiresAt);
        recordDomainEvent(this.deps.db, { type: 'handoff.offered', aggregate: 'handoff', aggregateId: offer.conversationId, actor: 'system', payload: { agent: offer.agentId, expiresAt }, occurredAt: nowIso });
      })();
      const entry = this.repo.entry(offer.conversationId)!;
      const pkg = this.packageOf(entry);
      this.sendTo(offer.agentId, { type: 'offer', package: pkg, expiresAt });
      if (pkg.call) {
        const queue = this.queueById.get(entry.queueId)!;
        this.sendTo(offer.agentId, { type: 'call_control', event: { callId: pkg.call.callId, conversationId: entry.conversationId, queueId: entry.queueId, extension: queue.extension, callerNumber: pkg.call.callerNumber } });
      }
    }
    this.pushPositions(agents, forcePositions);
    this.broadcastQueues();
  }

  private pushPositions(agents: AgentSnapshot[], force: boolean): void {
    const waiting = this.waitingSnapshot();
    const positions = queuePositions(this.deps.config.queues, waiting, agents, this.deps.config.averageHandleSeconds);
    for (const [conversationId, p] of positions) {
      const key = `${p.position}:${p.estimatedWaitSeconds}`;
      if (!force && this.lastPositions.get(conversationId) === key) continue;
      this.lastPositions.set(conversationId, key);
      this.deps.conversations.emit({ kind: 'queue', conversationId, position: p.position, estimatedWaitSeconds: p.estimatedWaitSeconds });
    }
    for (const id of this.lastPositions.keys()) if (!positions.has(id)) this.lastPositions.delete(id);
  }

  private waitingSnapshot(): WaitingConversation[] {
    return this.repo
      .openEntries()
      .filter((e) => e.status === 'waiting' || e.status === 'offered')
      .map((e) => ({
        conversationId: e.conversationId,
        queueId: e.queueId,
        channel: e.channel,
        language: e.language,
        queueEnteredAt: ms(e.queueEnteredAt),
        waitingSince: ms(e.waitingSince),
        offeredTo: e.offeredTo,
        declines: e.declines.map((d) => ({ agentId: d.agentId, at: ms(d.at) })),
      }));
  }

  private agentSnapshot(): AgentSnapshot[] {
    const open = this.repo.openEntries();
    return this.repo.agents(this.now()).map((p) => {
      const mine = open.filter((e) => e.status === 'assigned' && e.assignedTo === p.accountId);
      return {
        id: p.accountId,
        // Only a connected desktop can receive an offer.
        presence: this.isConnected(p.accountId) ? p.presence : 'offline',
        languages: p.languages,
        topics: p.topics,
        chatCapacity: p.chatCapacity,
        voiceCapacity: p.voiceCapacity,
        activeChats: mine.filter((e) => e.channel === 'chat').length,
        activeVoice: mine.filter((e) => e.channel === 'voice').length,
        hasPendingOffer: open.some((e) => e.status === 'offered' && e.offeredTo === p.accountId),
        lastAssignedAt: p.lastAssignedAt ? ms(p.lastAssignedAt) : null,
      };
    });
  }

  /** Queue counts for every desktop. */
  queueCounts(): { id: string; name: string; waiting: number; longestWaitSeconds: number }[] {
    const now = this.deps.clock().getTime();
    const open = this.repo.openEntries().filter((e) => e.status === 'waiting' || e.status === 'offered');
    return this.deps.config.queues.map((q) => {
      const mine = open.filter((e) => e.queueId === q.id);
      return { id: q.id, name: q.name, waiting: mine.length, longestWaitSeconds: Math.max(0, ...mine.map((e) => Math.round((now - ms(e.waitingSince)) / 1000))) };
    });
  }

  private lastQueuesKey = '';
  private broadcastQueues(): void {
    const queues = this.queueCounts();
    const key = JSON.stringify(queues.map((q) => [q.id, q.waiting]));
    if (key === this.lastQueuesKey) return;
    this.lastQueuesKey = key;
    this.broadcast({ type: 'queues', queues });
  }

  packageOf(entry: HandoffEntry): HandoffPackage {
    const view = this.deps.conversations.get(entry.conversationId);
    return buildHandoffPackage({
      view,
      queueId: entry.queueId,
      waitingSince: entry.waitingSince,
      assignedAt: entry.assignedAt,
      customer: view.conversation.customerId ? this.deps.customer(view.conversation.customerId) : null,
      call: this.deps.conversations.callOf(entry.conversationId),
      articleTitle: this.deps.articleTitle,
    });
  }

  private sendTo(accountId: string, message: AgentServerMessage): void {
    for (const sink of this.connections.get(accountId)?.sinks ?? []) {
      try {
        sink(message);
      } catch (err) {
        this.deps.logger.warn({ err, accountId }, 'agent desktop send failed');
      }
    }
  }

  private broadcast(message: AgentServerMessage): void {
    for (const accountId of this.connections.keys()) this.sendTo(accountId, message);
  }

  /**
   * After a restart: no desktop is connected, so offers go back to the queue, and a handoff
   * whose conversation update was lost to a crash is brought in line.
   */
  private recover(): void {
    for (const e of this.repo.openEntries()) {
      if (e.status === 'offered') this.withdraw(e, 'cancelled', 'system');
      if (e.status === 'assigned') {
        const c = this.deps.conversations.record(e.conversationId);
        if (c.status === 'awaiting_agent') {
          const p = this.repo.profile(e.assignedTo!, this.now());
          this.deps.conversations.assignAgent(e.conversationId, { subject: `account:${p.accountId}`, name: p.name });
        }
      }
    }
    // Conversations waiting for an agent that never reached the queue (crash between commits).
    const orphans = this.deps.db
      .prepare(`SELECT c.id FROM conversations c LEFT JOIN handoffs h ON h.conversation_id = c.id WHERE c.status = 'awaiting_agent' AND (h.conversation_id IS NULL OR h.status = 'closed')`)
      .all() as { id: string }[];
    for (const { id } of orphans) this.enqueue({ conversation: this.deps.conversations.record(id), turns: [], duplicate: false });
  }
}
