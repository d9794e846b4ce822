// The agent desktop served at /agent/: sign in, set presence, take offered conversations with
// their handoff package, talk to the customer, and transfer, hand back or resolve. The server
// owns all state; this page draws DeskState and sends the agent's decisions.
import '../shared/staff.css';
import './styles.css';
import { h, required } from '../shared/dom.ts';
import { icon } from '../shared/icons.ts';
import { LANGUAGE_NAMES } from '../shared/format.ts';
import { renderLoginForm } from '../shared/login-form.ts';
import { SIGNED_OUT_CODES, StaffAuth, staffErrorText } from '../shared/staff-session.ts';
import { renderTurn, type TranscriptTurn } from '../shared/transcript.ts';
import { newClientMessageId } from '../kiosk/wire.ts';
import { AgentConnection, type AgentConnectionState } from './agent-connection.ts';
import { OfferAlert } from './alert.ts';
import { customerLabel, DeskState, releaseWords, type DeskEffect, type WorkItem } from './desk-state.ts';
import { askResolution, askTransfer, confirmHandBack } from './dialogs.ts';
import { channelName, renderContext, renderConversationHeader, renderOfferCard, renderSuggestions, tickClocks } from './package-view.ts';
import type { AgentClientMessage, Presence } from './wire.ts';

const BASE_TITLE = 'Agent desktop — Switchboard';
const CONNECTION_TEXT: Record<AgentConnectionState, string> = { connecting: 'Connecting…', open: 'Connected', retrying: 'Reconnecting…', stopped: 'Offline' };
const OFFER_GONE_TEXT: Record<string, string> = {
  timeout: 'The offer timed out and went back to the queue.',
  taken: 'Another agent took that conversation.',
  cancelled: 'The customer is no longer waiting for that offer.',
  declined: 'Offer declined.',
};

class AgentDesktop {
  private readonly auth = new StaffAuth(sessionStorage, 'switchboard.staff.agent');
  private state = new DeskState();
  private conn: AgentConnection | null = null;
  private readonly alert = new OfferAlert(document);
  private readonly offerCards = new Map<string, HTMLElement>();
  private readonly accepting = new Set<string>();
  /** What the workspace shows, to redraw only what changed. */
  private shown: { id: string | null; pkg: unknown; suggestions: unknown } = { id: null, pkg: null, suggestions: null };

  private readonly loginRoot = required(document, '[data-testid="login-root"]', HTMLElement);
  private readonly desk = required(document, '[data-testid="desk"]', HTMLElement);
  private readonly presenceButtons = [...document.querySelectorAll<HTMLButtonElement>('[data-testid="presence"] button')];
  private readonly queueCounts = required(document, '[data-testid="queue-counts"]', HTMLUListElement);
  private readonly connection = required(document, '[data-testid="connection"]', HTMLElement);
  private readonly agentName = required(document, '[data-testid="agent-name"]', HTMLElement);
  private readonly capacity = required(document, '[data-testid="capacity"]', HTMLElement);
  private readonly worklist = required(document, '[data-testid="conversation-list"]', HTMLUListElement);
  private readonly worklistEmpty = required(document, '[data-testid="worklist-empty"]', HTMLElement);
  private readonly workspaceEmpty = required(document, '[data-testid="workspace-empty"]', HTMLElement);
  private readonly emptyHint = required(document, '[data-testid="empty-hint"]', HTMLElement);
  private readonly conversation = required(document, '[data-testid="conversation"]', HTMLElement);
  private readonly convHeader = required(document, '[data-testid="conversation-header"]', HTMLElement);
  private readonly transcript = required(document, '[data-testid="conversation-transcript"]', HTMLOListElement);
  private readonly replyForm = required(document, '[data-testid="reply-form"]', HTMLFormElement);
  private readonly replyInput = required(document, '[data-testid="reply-input"]', HTMLTextAreaElement);
  private readonly replySend = required(document, '[data-testid="reply-send"]', HTMLButtonElement);
  private readonly replyHint = required(document, '[data-testid="reply-hint"]', HTMLElement);
  private readonly suggestionsSlot = required(document, '[data-testid="suggestions-slot"]', HTMLElement);
  private readonly contextSlot = required(document, '[data-testid="context-slot"]', HTMLElement);
  private readonly offers = required(document, '[data-testid="offers"]', HTMLElement);
  private readonly callPop = required(document, '[data-testid="call-pop"]', HTMLElement);
  private readonly toasts = required(document, '[data-testid="toasts"]', HTMLElement);
  private readonly actionButtons = ['transfer', 'hand-back', 'resolve'].map((id) => required(document, `[data-testid="${id}"]`, HTMLButtonElement));

  constructor() {
    this.bindEvents();
    setInterval(() => tickClocks(document), 500);
  }

  boot(): void {
    if (this.auth.current) this.openDesk();
    else this.showLogin(null);
  }

  private showLogin(notice: string | null): void {
    this.desk.hidden = true;
    this.loginRoot.hidden = false;
    this.alert.stop();
    document.title = BASE_TITLE;
    this.loginRoot.replaceChildren(
      renderLoginForm({
        auth: this.auth,
        product: 'Agent desktop',
        roles: ['agent'],
        notice,
        onSignedIn: () => {
          this.alert.unlock();
          this.openDesk();
        },
      }),
    );
  }

  private openDesk(): void {
    this.loginRoot.replaceChildren();
    this.loginRoot.hidden = true;
    this.desk.hidden = false;
    this.state = new DeskState();
    this.shown = { id: null, pkg: null, suggestions: null };
    this.agentName.textContent = this.auth.current?.principal.name ?? '';
    this.render();
    this.conn = new AgentConnection({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/agent`,
      token: () => this.auth.current?.accessToken ?? null,
      events: {
        message: (msg) => this.onEffects(this.state.apply(msg)),
        state: (s) => this.onConnectionState(s),
        fatal: (error) => {
          this.conn = null;
          this.auth.signOut();
          this.showLogin(staffErrorText(error.code));
        },
      },
    });
  }

  private signOut(): void {
    this.send({ type: 'presence', presence: 'away' });
    this.conn?.stop();
    this.conn = null;
    this.auth.signOut();
    for (const card of this.offerCards.values()) card.remove();
    this.offerCards.clear();
    this.showLogin(null);
  }

  private send(msg: AgentClientMessage): boolean {
    return this.conn?.send(msg) ?? false;
  }

  private bindEvents(): void {
    // Any click counts as the user gesture browsers want before a page may play sound.
    document.addEventListener('pointerdown', () => this.alert.unlock(), { capture: true });
    for (const b of this.presenceButtons) {
      b.addEventListener('click', () => {
        const presence = b.dataset.presence as Exclude<Presence, 'offline'>;
        if (this.send({ type: 'presence', presence })) {
          this.state.presence = presence;
          this.render();
        } else this.toast('Not connected — try again in a moment.', 'bad');
      });
    }
    required(document, '[data-testid="sign-out"]', HTMLButtonElement).addEventListener('click', () => this.signOut());
    this.replyInput.addEventListener('input', () => {
      const item = this.state.current;
      if (item) item.draft = this.replyInput.value;
      this.updateComposer();
    });
    this.replyInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        this.replyForm.requestSubmit();
      }
    });
    this.replyForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.sendReply();
    });
    const [transfer, handBack, resolve] = this.actionButtons;
    transfer!.addEventListener('click', () => void this.transfer());
    handBack!.addEventListener('click', () => void this.handBack());
    resolve!.addEventListener('click', () => void this.resolve());
    this.worklist.addEventListener('click', (e) => {
      const li = e.target instanceof Element ? e.target.closest<HTMLElement>('[data-conversation-id]') : null;
      if (li?.dataset.conversationId) this.select(li.dataset.conversationId);
    });
  }

  private select(id: string): void {
    this.state.select(id);
    this.render();
    this.replyInput.focus();
  }

  // ---- server events ----

  private onEffects(effects: DeskEffect[]): void {
    for (const e of effects) {
      switch (e.kind) {
        case 'offer':
          this.alert.start(`New ${e.offer.pkg.channel === 'voice' ? 'call' : 'chat'} — ${customerLabel(e.offer.pkg)}`);
          break;
        case 'offer-gone':
          this.accepting.delete(e.conversationId);
          if (e.reason !== 'declined') this.toast(OFFER_GONE_TEXT[e.reason] ?? 'The offer was withdrawn.', 'warn');
          break;
        case 'assigned':
          if (this.accepting.delete(e.conversationId) || !this.state.current) this.state.select(e.conversationId);
          break;
        case 'released':
          this.toast(`Conversation with ${e.customer} closed — ${releaseWords(e.reason)}.`, 'good');
          if (this.callPop.dataset.conversationId === e.conversationId) this.callPop.hidden = true;
          break;
        case 'call':
          this.showCallPop(e.event);
          break;
        case 'error':
          this.toast(staffErrorText(e.code) + (e.message ? ` ${e.message}` : ''), 'bad');
          if (SIGNED_OUT_CODES.has(e.code)) {
            this.conn?.stop();
            this.auth.signOut();
            this.showLogin(staffErrorText(e.code));
          }
          break;
      }
    }
    if (this.state.offers.size === 0) this.alert.stop();
    this.render();
  }

  private onConnectionState(s: AgentConnectionState): void {
    this.connection.dataset.state = s;
    this.connection.textContent = CONNECTION_TEXT[s];
    this.render();
  }

  // ---- agent actions ----

  private sendReply(): void {
    const item = this.state.current;
    const text = this.replyInput.value.trim();
    if (!item || !text) return;
    const clientMessageId = newClientMessageId();
    if (!this.send({ type: 'reply', conversationId: item.pkg.conversationId, text, clientMessageId })) {
      this.replyHint.textContent = 'Not connected — your reply is kept and can be sent once the desktop reconnects.';
      return;
    }
    this.state.addPending(item.pkg.conversationId, { clientMessageId, text });
    item.draft = '';
    this.replyInput.value = '';
    this.renderTranscript(item, true);
    this.updateComposer();
  }

  private insertSuggestion(text: string): void {
    const item = this.state.current;
    if (!item) return;
    const now = this.replyInput.value;
    this.replyInput.value = now.trim() ? `${now.trimEnd()}\n${text}` : text;
    item.draft = this.replyInput.value;
    this.updateComposer();
    this.replyInput.focus();
    this.replyInput.setSelectionRange(this.replyInput.value.length, this.replyInput.value.length);
  }

  private async transfer(): Promise<void> {
    const item = this.state.current;
    if (!item) return;
    const choice = await askTransfer(this.state.queues, item.pkg.queueId);
    if (!choice) return;
    const sent = this.send({ type: 'transfer', conversationId: item.pkg.conversationId, queueId: choice.queueId, ...(choice.note ? { note: choice.note } : {}) });
    if (!sent) this.toast('Not connected — the transfer was not sent.', 'bad');
  }

  private async handBack(): Promise<void> {
    const item = this.state.current;
    if (!item || !(await confirmHandBack(customerLabel(item.pkg)))) return;
    if (!this.send({ type: 'hand_back', conversationId: item.pkg.conversationId })) this.toast('Not connected — try again in a moment.', 'bad');
  }

  private async resolve(): Promise<void> {
    const item = this.state.current;
    if (!item) return;
    const r = await askResolution(customerLabel(item.pkg));
    if (!r) return;
    if (!this.send({ type: 'resolve', conversationId: item.pkg.conversationId, disposition: r.disposition, notes: r.notes, createTicket: r.createTicket })) {
      this.toast('Not connected — the conversation was not resolved yet.', 'bad');
    }
  }

  private accept(id: string): void {
    if (!this.send({ type: 'accept', conversationId: id })) return this.toast('Not connected — cannot accept right now.', 'bad');
    this.accepting.add(id);
    const card = this.offerCards.get(id);
    card?.querySelectorAll('button').forEach((b) => (b.disabled = true));
    const accept = card?.querySelector<HTMLButtonElement>('[data-testid="offer-accept"]');
    if (accept) accept.textContent = 'Accepting…';
  }

  private decline(id: string): void {
    if (!this.send({ type: 'decline', conversationId: id })) return this.toast('Not connected — cannot decline right now.', 'bad');
    this.state.offers.delete(id);
    if (this.state.offers.size === 0) this.alert.stop();
    this.render();
  }

  // ---- drawing ----

  private queueName(id: string): string {
    return this.state.queues.find((q) => q.id === id)?.name ?? id;
  }

  private render(): void {
    const s = this.state;
    const open = this.conn?.state === 'open';
    for (const b of this.presenceButtons) {
      b.setAttribute('aria-checked', String(b.dataset.presence === s.presence));
      b.disabled = !open;
    }
    this.queueCounts.replaceChildren(
      ...s.queues.map((q) =>
        h(
          'li',
          { class: 'queue-count', 'data-testid': 'queue-count', 'data-queue-id': q.id, 'data-busy': q.waiting > 0 ? 'true' : null, title: q.waiting > 0 ? `Longest wait ${Math.round(q.longestWaitSeconds)} s` : 'Nobody waiting' },
          h('span', { class: 'q-name' }, q.name),
          h('strong', { class: 'q-waiting' }, String(q.waiting)),
        ),
      ),
    );
    const chats = s.items.filter((w) => w.pkg.channel !== 'voice').length;
    this.capacity.textContent = s.agent ? `${chats} / ${s.agent.chatCapacity}` : '';
    this.renderWorklist();
    this.renderOffers();
    this.renderWorkspace();
    for (const b of this.actionButtons) b.disabled = !open;
    const unread = s.items.reduce((n, w) => n + w.unread, 0);
    this.alert.setBaseTitle(unread > 0 ? `(${unread}) ${BASE_TITLE}` : BASE_TITLE);
  }

  private renderWorklist(): void {
    const s = this.state;
    this.worklist.replaceChildren(
      ...s.items.map((w) => {
        const last = [...w.turns.values()].sort((a, b) => a.seq - b.seq).at(-1);
        const selected = w.pkg.conversationId === s.selected;
        return h(
          'li',
          { class: 'work-item', 'data-conversation-id': w.pkg.conversationId, 'data-testid': 'conversation-item', 'aria-current': selected ? 'true' : null },
          h(
            'button',
            { type: 'button', class: 'work-button' },
            h('span', { class: 'work-top' }, h('span', { class: 'work-name' }, w.call || w.pkg.channel === 'voice' ? icon('phone', 'voice call') : null, ' ', customerLabel(w.pkg)), w.unread > 0 ? h('span', { class: 'badge', 'data-testid': 'unread', 'aria-label': `${w.unread} unread` }, String(w.unread)) : null),
            h('span', { class: 'work-meta' }, channelName(w.pkg.channel), w.pkg.language ? ` · ${LANGUAGE_NAMES[w.pkg.language] ?? w.pkg.language}` : '', ' · ', this.queueName(w.pkg.queueId)),
            last ? h('span', { class: 'work-last' }, last.speaker === 'agent' ? 'You: ' : '', last.text) : null,
          ),
        );
      }),
    );
    const available = s.presence === 'available';
    this.worklistEmpty.hidden = s.work.size > 0;
    this.worklistEmpty.textContent = available ? 'New conversations will appear here when you accept them.' : 'Set yourself Available to receive conversations.';
  }

  private renderOffers(): void {
    const s = this.state;
    for (const [id, card] of this.offerCards) {
      if (!s.offers.has(id)) {
        card.remove();
        this.offerCards.delete(id);
      }
    }
    for (const [id, offer] of s.offers) {
      if (this.offerCards.has(id)) continue;
      const card = renderOfferCard(offer, this.queueName(offer.pkg.queueId), { accept: () => this.accept(id), decline: () => this.decline(id) });
      this.offerCards.set(id, card);
      this.offers.append(card);
      card.querySelector<HTMLButtonElement>('[data-testid="offer-accept"]')?.focus({ preventScroll: true });
    }
    tickClocks(this.offers);
  }

  private renderWorkspace(): void {
    const s = this.state;
    const item = s.current;
    this.conversation.hidden = !item;
    this.workspaceEmpty.hidden = !!item;
    if (!item) {
      this.shown = { id: null, pkg: null, suggestions: null };
      this.emptyHint.textContent =
        s.presence === 'available'
          ? s.offers.size > 0
            ? 'A conversation is being offered to you — accept it on the right.'
            : 'You are available. When a customer asks for a person, their conversation is offered to you with everything the bot learned.'
          : 'You are not taking new conversations. Choose Available at the top to start.';
      return;
    }
    const id = item.pkg.conversationId;
    const switched = this.shown.id !== id;
    if (switched || this.shown.pkg !== item.pkg) {
      this.convHeader.replaceChildren(renderConversationHeader(item, this.queueName(item.pkg.queueId)));
      this.contextSlot.replaceChildren(...renderContext(item));
    }
    if (switched || this.shown.suggestions !== item.suggestions) {
      this.suggestionsSlot.replaceChildren(renderSuggestions(item, (text) => this.insertSuggestion(text)));
    }
    if (switched) {
      this.replyInput.value = item.draft;
      this.replyHint.textContent = '';
    }
    this.renderTranscript(item, switched);
    this.shown = { id, pkg: item.pkg, suggestions: item.suggestions };
    this.updateComposer();
  }

  private renderTranscript(item: WorkItem, forceBottom: boolean): void {
    const el = this.transcript;
    const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    // the name the server writes on this agent's turns (its agent profile, from the welcome)
    const self = this.state.agent?.name;
    const labels = { customer: customerLabel(item.pkg), agent: 'You', ...(self ? { self } : {}) };
    const turns: TranscriptTurn[] = [...item.turns.values()].sort((a, b) => a.seq - b.seq);
    const handoffAt = item.pkg.waitingSince;
    const nodes: HTMLElement[] = [];
    let markedHandoff = false;
    for (const t of turns) {
      if (!markedHandoff && t.createdAt && t.createdAt > handoffAt) {
        nodes.push(h('li', { class: 'handoff-marker', role: 'separator' }, 'Handed over to an agent'));
        markedHandoff = true;
      }
      nodes.push(renderTurn(t, labels));
    }
    for (const p of item.pending) {
      nodes.push(renderTurn({ seq: -1, speaker: 'agent', text: p.text, language: null, intent: null, confidence: null, citations: [], createdAt: '' }, labels, { pending: true }));
    }
    el.replaceChildren(...nodes);
    if (forceBottom || nearBottom) el.scrollTop = el.scrollHeight;
  }

  private updateComposer(): void {
    const open = this.conn?.state === 'open';
    this.replySend.disabled = !open || this.replyInput.value.trim() === '';
    if (open && this.replyHint.textContent?.startsWith('Not connected')) this.replyHint.textContent = '';
  }

  private showCallPop(event: { callId: string; conversationId: string; queueId: string; extension: string; callerNumber: string | null }): void {
    const match = this.state.matchCall(event);
    this.callPop.dataset.conversationId = event.conversationId;
    const open = match?.where === 'desk' ? h('button', { type: 'button', class: 'btn btn-small', onclick: () => this.select(match.pkg.conversationId) }, 'Open') : '';
    this.callPop.replaceChildren(
      h('span', { class: 'call-icon' }, icon('phone')),
      h(
        'div',
        { class: 'call-text' },
        h('strong', { 'data-testid': 'call-number' }, event.callerNumber ?? 'Unknown caller'),
        h('span', null, ` → extension ${event.extension || '—'} · ${this.queueName(event.queueId)}`),
        h('span', { class: 'call-match', 'data-testid': 'call-match' }, match ? `${match.where === 'offer' ? 'Offered' : 'On your desk'}: ${customerLabel(match.pkg)}` : `Call ${event.callId.slice(0, 8)} — no matching conversation yet`),
      ),
      open,
      h('button', { type: 'button', class: 'btn btn-quiet btn-small', 'aria-label': 'Dismiss', onclick: () => (this.callPop.hidden = true) }, '✕'),
    );
    this.callPop.hidden = false;
  }

  private toast(text: string, tone: 'good' | 'warn' | 'bad'): void {
    const t = h('div', { class: `toast toast-${tone}`, 'data-testid': 'toast', role: tone === 'bad' ? 'alert' : 'status' }, text);
    this.toasts.append(t);
    setTimeout(() => t.remove(), 6000);
  }
}

new AgentDesktop().boot();
