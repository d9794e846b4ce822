// What the agent desktop knows, built only from server messages: the agent, presence,
// queue counts, open offers and the conversations on this desk. apply() folds one message
// in and says what the page should do about it beyond redrawing (alert, toast, screen pop).
import type { AgentProfile, AgentServerMessage, CallControl, HandoffPackage, KbSuggestion, Presence, QueueCount, Turn } from './wire.ts';

export interface Offer {
  pkg: HandoffPackage;
  expiresAt: number;
}

export interface PendingReply {
  clientMessageId: string;
  text: string;
}

export interface WorkItem {
  pkg: HandoffPackage;
  turns: Map<number, Turn>;
  suggestions: { forSeq: number; items: KbSuggestion[] } | null;
  /** Customer turns that arrived while another conversation was on screen. */
  unread: number;
  draft: string;
  pending: PendingReply[];
  call: CallControl | null;
}

export type DeskEffect =
  | { kind: 'offer'; offer: Offer }
  | { kind: 'offer-gone'; conversationId: string; reason: string }
  | { kind: 'assigned'; conversationId: string }
  | { kind: 'released'; conversationId: string; reason: string; customer: string }
  | { kind: 'call'; event: CallControl }
  | { kind: 'error'; code: string; message: string };

const RELEASE_WORDS: Record<string, string> = {
  resolved: 'resolved',
  transferred: 'transferred',
  handed_back: 'handed back to the bot',
  customer_left: 'the customer left',
};

/** The customer as the agent should read them: name, else phone, else a short id. */
export function customerLabel(pkg: HandoffPackage): string {
  return pkg.customer?.name ?? pkg.customer?.phone ?? pkg.call?.callerNumber ?? `Guest ${pkg.conversationId.slice(-6)}`;
}

export function releaseWords(reason: string): string {
  return RELEASE_WORDS[reason] ?? reason;
}

export class DeskState {
  agent: AgentProfile | null = null;
  presence: Presence = 'offline';
  queues: QueueCount[] = [];
  readonly offers = new Map<string, Offer>();
  readonly work = new Map<string, WorkItem>();
  selected: string | null = null;
  /** Voice calls routed here whose conversation is not (yet) on this desk. */
  readonly unmatchedCalls: CallControl[] = [];

  /** The conversations in the order they arrived. */
  get items(): WorkItem[] {
    return [...this.work.values()];
  }

  get current(): WorkItem | null {
    return this.selected ? (this.work.get(this.selected) ?? null) : null;
  }

  select(conversationId: string | null): void {
    this.selected = conversationId && this.work.has(conversationId) ? conversationId : null;
    const item = this.current;
    if (item) item.unread = 0;
  }

  addPending(conversationId: string, reply: PendingReply): void {
    this.work.get(conversationId)?.pending.push(reply);
  }

  removePending(conversationId: string, clientMessageId: string): void {
    const item = this.work.get(conversationId);
    if (item) item.pending = item.pending.filter((p) => p.clientMessageId !== clientMessageId);
  }

  apply(msg: AgentServerMessage): DeskEffect[] {
    switch (msg.type) {
      case 'welcome': {
        this.agent = msg.agent;
        this.presence = msg.agent.presence;
        this.queues = msg.queues;
        // Offers do not survive a reconnect; the server offers again if still valid.
        this.offers.clear();
        const keep = new Set(msg.assigned.map((p) => p.conversationId));
        for (const id of this.work.keys()) if (!keep.has(id)) this.work.delete(id);
        for (const pkg of msg.assigned) this.upsertWork(pkg);
        if (!this.current) this.select(this.items[0]?.pkg.conversationId ?? null);
        return [];
      }
      case 'presence':
        this.presence = msg.presence;
        return [];
      case 'queues':
        this.queues = msg.queues;
        return [];
      case 'offer': {
        const offer: Offer = { pkg: msg.package, expiresAt: Date.parse(msg.expiresAt) };
        this.offers.set(msg.package.conversationId, offer);
        return [{ kind: 'offer', offer }];
      }
      case 'offer_withdrawn':
        if (!this.offers.delete(msg.conversationId)) return [];
        return [{ kind: 'offer-gone', conversationId: msg.conversationId, reason: msg.reason }];
      case 'assigned': {
        const id = msg.package.conversationId;
        this.offers.delete(id);
        this.upsertWork(msg.package);
        const call = this.unmatchedCalls.findIndex((c) => c.conversationId === id);
        if (call >= 0) this.work.get(id)!.call = this.unmatchedCalls.splice(call, 1)[0]!;
        return [{ kind: 'assigned', conversationId: id }];
      }
      case 'turns': {
        const item = this.work.get(msg.conversationId);
        if (!item) return [];
        for (const t of msg.turns) {
          if (item.turns.has(t.seq)) continue;
          item.turns.set(t.seq, t);
          if (t.speaker === 'agent') {
            // Our own reply came back: drop the first pending copy of it.
            const i = item.pending.findIndex((p) => p.text.trim() === t.text.trim());
            if (i >= 0) item.pending.splice(i, 1);
          } else if (t.speaker === 'customer' && this.selected !== msg.conversationId) {
            item.unread += 1;
          }
        }
        return [];
      }
      case 'suggestions': {
        const item = this.work.get(msg.conversationId);
        if (item && (!item.suggestions || item.suggestions.forSeq <= msg.forSeq)) item.suggestions = { forSeq: msg.forSeq, items: msg.items };
        return [];
      }
      case 'released': {
        const item = this.work.get(msg.conversationId);
        this.offers.delete(msg.conversationId);
        if (!item) return [];
        this.work.delete(msg.conversationId);
        if (this.selected === msg.conversationId) this.select(this.items[0]?.pkg.conversationId ?? null);
        return [{ kind: 'released', conversationId: msg.conversationId, reason: msg.reason, customer: customerLabel(item.pkg) }];
      }
      case 'call_control': {
        const item = this.work.get(msg.event.conversationId) ?? this.findByCall(msg.event.callId);
        if (item) item.call = msg.event;
        else this.unmatchedCalls.push(msg.event);
        return [{ kind: 'call', event: msg.event }];
      }
      case 'error':
        return [{ kind: 'error', code: msg.error.code, message: msg.error.message }];
      case 'pong':
        return [];
    }
  }

  /** The offer or conversation a voice call belongs to (by conversation id, then call id). */
  matchCall(event: CallControl): { where: 'offer' | 'desk'; pkg: HandoffPackage } | null {
    const item = this.work.get(event.conversationId) ?? this.findByCall(event.callId);
    if (item) return { where: 'desk', pkg: item.pkg };
    const offer = this.offers.get(event.conversationId) ?? [...this.offers.values()].find((o) => o.pkg.call?.callId === event.callId);
    return offer ? { where: 'offer', pkg: offer.pkg } : null;
  }

  private findByCall(callId: string): WorkItem | undefined {
    return this.items.find((w) => w.pkg.call?.callId === callId);
  }

  private upsertWork(pkg: HandoffPackage): void {
    const existing = this.work.get(pkg.conversationId);
    const turns = existing?.turns ?? new Map<number, Turn>();
    for (const t of pkg.transcript) turns.set(t.seq, t);
    // After a reconnect: a reply the server stored is in the transcript; one it never got
    // goes back into the reply box rather than vanishing.
    let draft = existing?.draft ?? '';
    const agentTexts = pkg.transcript.filter((t) => t.speaker === 'agent').map((t) => t.text.trim());
    for (const p of existing?.pending ?? []) {
      const i = agentTexts.indexOf(p.text.trim());
      if (i >= 0) agentTexts.splice(i, 1);
      else draft = draft ? `${p.text}\n${draft}` : p.text;
    }
    this.work.set(pkg.conversationId, {
      pkg,
      turns,
      suggestions: existing?.suggestions ?? null,
      unread: existing?.unread ?? 0,
      draft,
      pending: [],
      call: existing?.call ?? null,
    });
  }
}
