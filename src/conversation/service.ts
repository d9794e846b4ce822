// The conversation use-cases every channel (REST, WebSocket chat, later voice) goes through:
// understand the customer, advance the dialog, and store turns, state, tickets, handoffs and
// their domain events in one SQLite transaction. Listeners hear about new turns after commit.
import type { Db } from '../store/index.ts';
import { recordDomainEvent } from '../store/index.ts';
import { AppError } from '../errors/index.ts';
import type { Language, Understanding } from '../nlu/index.ts';
import { handleTurn, parseDialogState, returnToBot, startConversation, type BotReply, type DialogAction, type DialogDeps, type DialogState } from '../dialog/index.ts';
import type { Logger, Metrics } from '../ops/index.ts';
import { CustomerRepository, type CountryCode } from '../customers/index.ts';
import { ConversationRepository, TicketRepository } from './repository.ts';
import type { Channel, Citation, ConversationRecord, ConversationStatus, Turn } from './records.ts';

export interface Understander {
  understand(text: string, options?: { languageHint?: Language; referenceDate?: Date }): Understanding;
}

export interface ConversationServiceDeps {
  db: Db;
  nlu: Understander;
  /** Flows and knowledge as of now (both can be reloaded while conversations run). */
  dialog: () => DialogDeps;
  articleTitle: (articleId: string) => string | null;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
  maxMessageChars: number;
  /** Region for phone numbers customers give without a +country prefix. */
  defaultPhoneRegion?: CountryCode;
}

export interface ConversationView {
  conversation: ConversationRecord;
  turns: Turn[];
}

export interface TurnsAdded {
  conversation: ConversationRecord;
  /** New turns in order: the customer's message first, then the bot's replies. */
  turns: Turn[];
  /** True when this was a resend of a message already handled (same clientMessageId). */
  duplicate: boolean;
}

export type ConversationListener = (update: TurnsAdded) => void;

/** Things a customer's channel shows that are not turns. */
export type ConversationEvent =
  | { kind: 'queue'; conversationId: string; position: number; estimatedWaitSeconds: number }
  | { kind: 'status'; conversationId: string; status: ConversationStatus; agentName: string | null }
  | { kind: 'csat_request'; conversationId: string }
  | { kind: 'csat_thanks'; conversationId: string };
export type ConversationEventListener = (event: ConversationEvent) => void;

export interface CallInfo {
  callId: string;
  callerNumber: string | null;
}

const AGENT_JOINED = { en: '{name} has joined the conversation.', zh: '客服{name}已加入对话。' } as const;
const TRANSFERRED = { en: 'You are being transferred to {queue}.', zh: '正在为您转接到{queue}。' } as const;
const AGENT_LEFT = { en: 'The agent has ended the conversation.', zh: '客服已结束本次对话。' } as const;

const TICKET_REF = { en: 'Your reference number is {ref}.', zh: '您的受理编号是 {ref}。' } as const;

export class ConversationService {
  private readonly conversations: ConversationRepository;
  private readonly tickets: TicketRepository;
  private readonly customers: CustomerRepository;
  private readonly listeners = new Map<string, Set<ConversationListener>>();
  private readonly eventListeners = new Map<string, Set<ConversationEventListener>>();
  private readonly everyTurn = new Set<ConversationListener>();

  constructor(private readonly deps: ConversationServiceDeps) {
    this.conversations = new ConversationRepository(deps.db);
    this.tickets = new TicketRepository(deps.db);
    this.customers = new CustomerRepository(deps.db, deps.defaultPhoneRegion ? { defaultRegion: deps.defaultPhoneRegion } : {});
  }

  start(input: { channel: Channel; language?: Language; deviceId?: string | null; actor: string; call?: CallInfo }): ConversationView {
    const now = this.deps.clock().toISOString();
    const db = this.deps.db;
    const dialogDeps = this.deps.dialog();
    const id = db.transaction(() => {
      // The id is needed for deterministic A/B assignment, so insert first, then start the dialog.
      const convId = this.conversations.insert({
        channel: input.channel,
        language: input.language ?? null,
        customerId: null,
        deviceId: input.deviceId ?? null,
        flowVariant: 'default',
        dialogState: {},
        now,
      });
      const started = startConversation({ conversationId: convId, language: input.language }, dialogDeps);
      const variant = describeVariant(started.state.experiments);
      db.prepare('UPDATE conversations SET flow_variant = ?, dialog_state = ?, language = ? WHERE id = ?').run(
        variant,
        JSON.stringify(started.state),
        input.language ?? null,
        convId,
      );
      if (input.call) db.prepare('UPDATE conversations SET call_info = ? WHERE id = ?').run(JSON.stringify(input.call), convId);
      for (const [experiment, v] of Object.entries(started.state.experiments)) {
        db.prepare('INSERT INTO ab_assignments (conversation_id, experiment, variant, assigned_at) VALUES (?, ?, ?, ?)').run(convId, experiment, v, now);
      }
      recordDomainEvent(db, {
        type: 'conversation.started',
        aggregate: 'conversation',
        aggregateId: convId,
        actor: input.actor,
        payload: { channel: input.channel, language: input.language ?? null, deviceId: input.deviceId ?? null, experiments: started.state.experiments },
        occurredAt: now,
      });
      this.storeBotReplies(convId, started.replies, now, null);
      return convId;
    })();
    this.deps.metrics.conversationsStarted.inc({ channel: input.channel });
    return this.get(id);
  }

  record(id: string): ConversationRecord {
    return this.conversations.get(id);
  }

  get(id: string): ConversationView {
    return { conversation: this.conversations.get(id), turns: this.conversations.turns(id) };
  }

  list(filter: { status?: ConversationStatus; q?: string; limit: number; offset: number }): { items: ConversationRecord[]; total: number } {
    return this.conversations.list(filter);
  }

  /** Handles one customer message; a resend with the same clientMessageId returns the original turns. */
  postMessage(id: string, input: { text: string; clientMessageId?: string; speech?: { confidence: number | null; audioMs: number | null } }, actor: string): TurnsAdded {
    const text = input.text.normalize('NFC').trim();
    if (!text) throw new AppError('VALIDATION_FAILED', 'message text is empty', { issues: [{ field: 'text', reason: 'must not be empty' }] });
    if ([...text].length > this.deps.maxMessageChars) {
      throw new AppError('MESSAGE_TOO_LONG', `message is longer than ${this.deps.maxMessageChars} characters`, { maxChars: this.deps.maxMessageChars });
    }
    const conversation = this.conversations.get(id);
    if (input.clientMessageId) {
      const seq = this.conversations.turnSeqForClientMessage(id, input.clientMessageId);
      if (seq !== null) return { conversation, turns: this.turnsOfExchange(id, seq), duplicate: true };
    }
    if (conversation.status === 'closed') throw new AppError('CONVERSATION_CLOSED', 'this conversation has ended; start a new one');

    const started = performance.now();
    const understanding = this.deps.nlu.understand(text, { languageHint: conversation.language ?? undefined, referenceDate: this.deps.clock() });
    this.deps.metrics.nluUnderstandSeconds.observe((performance.now() - started) / 1000);

    const now = this.deps.clock().toISOString();
    const db = this.deps.db;
    const dialogDeps = this.deps.dialog();
    const added = db.transaction((): Turn[] => {
      const customerTurn = this.conversations.appendTurn(id, {
        speaker: 'customer',
        text,
        language: understanding.language,
        intent: understanding.intent,
        confidence: understanding.confidence,
        entities: understanding.entities,
        clientMessageId: input.clientMessageId ?? null,
        ...(input.speech ? { speech: input.speech } : {}),
        createdAt: now,
      });
      recordDomainEvent(db, {
        type: 'conversation.turn_added',
        aggregate: 'conversation',
        aggregateId: id,
        customerKey: conversation.customerId,
        actor,
        payload: { seq: customerTurn.seq, speaker: 'customer', text, language: understanding.language, intent: understanding.intent, confidence: understanding.confidence, entities: understanding.entities },
        occurredAt: now,
      });
      // With a human agent, the bot stays quiet; the agent desktop (contact-center) answers.
      if (conversation.status === 'with_agent') return [customerTurn];

      const customerId = this.linkCustomer(conversation, understanding, actor, now);
      const state = parseDialogState(this.conversations.dialogState(id));
      const result = handleTurn(state, understanding, dialogDeps);
      const ticketRefs = this.applyActions(id, customerId, result.actions, actor, now);
      const replies = appendTicketReference(result.replies, ticketRefs);
      const botTurns = this.storeBotReplies(id, replies, now, customerId);
      this.conversations.update(id, {
        dialogState: result.state,
        language: understanding.language,
        customerId,
        status: statusAfter(conversation.status, result.actions),
        now,
      });
      if (result.outcome) this.recordOutcome(id, result.outcome, result.state, now);
      return [customerTurn, ...botTurns];
    })();

    for (const t of added) this.deps.metrics.turns.inc({ speaker: t.speaker, language: t.language ?? 'unknown' });
    const update: TurnsAdded = { conversation: this.conversations.get(id), turns: added, duplicate: false };
    this.notify(id, update);
    return update;
  }

  /** Subscribes to turns added to one conversation (by any channel); returns the unsubscribe. */
  subscribe(conversationId: string, listener: ConversationListener): () => void {
    let set = this.listeners.get(conversationId);
    if (!set) this.listeners.set(conversationId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(conversationId);
    };
  }

  /** Subscribes to queue, status and satisfaction events of one conversation. */
  subscribeEvents(conversationId: string, listener: ConversationEventListener): () => void {
    let set = this.eventListeners.get(conversationId);
    if (!set) this.eventListeners.set(conversationId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.eventListeners.delete(conversationId);
    };
  }

  /** Subscribes to the turns of every conversation (the contact center routes on them). */
  subscribeAll(listener: ConversationListener): () => void {
    this.everyTurn.add(listener);
    return () => this.everyTurn.delete(listener);
  }

  /** Tells the customer's channel about something that is not a turn (queue position, status). */
  emit(event: ConversationEvent): void {
    for (const listener of this.eventListeners.get(event.conversationId) ?? []) {
      try {
        listener(event);
      } catch (err) {
        this.deps.logger.error({ err, conversationId: event.conversationId }, 'conversation event listener failed');
      }
    }
  }

  /** The name of the agent who took the conversation last (the one serving it while it is with_agent). */
  currentAgentName(id: string): string | null {
    const row = this.deps.db
      .prepare("SELECT payload FROM domain_events WHERE aggregate = 'conversation' AND aggregate_id = ? AND type = 'conversation.agent_assigned' ORDER BY id DESC LIMIT 1")
      .get(id) as { payload: string } | undefined;
    if (!row) return null;
    const name = (JSON.parse(row.payload) as { name?: unknown }).name;
    return typeof name === 'string' ? name : null;
  }

  /** The PBX call behind a voice conversation, if any. */
  callOf(id: string): CallInfo | null {
    const row = this.deps.db.prepare('SELECT call_info FROM conversations WHERE id = ?').get(id) as { call_info: string | null } | undefined;
    return row?.call_info ? (JSON.parse(row.call_info) as CallInfo) : null;
  }

  /** An agent takes the conversation: status with_agent, and the customer is told who joined. */
  assignAgent(id: string, agent: { subject: string; name: string }): TurnsAdded {
    const now = this.deps.clock().toISOString();
    const added = this.deps.db.transaction(() => {
      const c = this.conversations.get(id);
      if (c.status !== 'awaiting_agent') throw new AppError('CONVERSATION_STATE_CONFLICT', `conversation ${id} is ${c.status}, not waiting for an agent`);
      this.conversations.update(id, { status: 'with_agent', now });
      const turn = this.systemTurn(id, c, AGENT_JOINED, { name: agent.name }, now);
      recordDomainEvent(this.deps.db, { type: 'conversation.agent_assigned', aggregate: 'conversation', aggregateId: id, customerKey: c.customerId, actor: agent.subject, payload: { agent: agent.subject, name: agent.name }, occurredAt: now });
      return [turn];
    })();
    return this.publish(id, added, agent.name);
  }

  /** A reply typed by the agent, delivered over the customer's channel. */
  addAgentTurn(id: string, agent: { subject: string; name: string }, input: { text: string; clientMessageId?: string }): TurnsAdded {
    const text = input.text.normalize('NFC').trim();
    if (!text) throw new AppError('VALIDATION_FAILED', 'reply text is empty', { issues: [{ field: 'text', reason: 'must not be empty' }] });
    if ([...text].length > 4 * this.deps.maxMessageChars) throw new AppError('MESSAGE_TOO_LONG', `reply is longer than ${4 * this.deps.maxMessageChars} characters`);
    if (input.clientMessageId) {
      const seq = this.conversations.turnSeqForClientMessage(id, input.clientMessageId);
      if (seq !== null) return { conversation: this.conversations.get(id), turns: this.conversations.turns(id, seq - 1).slice(0, 1), duplicate: true };
    }
    const now = this.deps.clock().toISOString();
    const added = this.deps.db.transaction(() => {
      const c = this.conversations.get(id);
      if (c.status !== 'with_agent') throw new AppError('CONVERSATION_STATE_CONFLICT', `conversation ${id} is ${c.status}, not with an agent`);
      const turn = this.conversations.appendTurn(id, { speaker: 'agent', text, language: c.language, clientMessageId: input.clientMessageId ?? null, author: agent.name, createdAt: now });
      recordDomainEvent(this.deps.db, { type: 'conversation.turn_added', aggregate: 'conversation', aggregateId: id, customerKey: c.customerId, actor: agent.subject, payload: { seq: turn.seq, speaker: 'agent', text, agent: agent.name }, occurredAt: now });
      return [turn];
    })();
    return this.publish(id, added);
  }

  /** The agent hands the customer back to the bot, which picks up with what it remembers. */
  handBack(id: string, actor: string): TurnsAdded {
    const now = this.deps.clock().toISOString();
    const added = this.deps.db.transaction(() => {
      const c = this.conversations.get(id);
      if (c.status !== 'with_agent' && c.status !== 'awaiting_agent') throw new AppError('CONVERSATION_STATE_CONFLICT', `conversation ${id} is ${c.status}, not with an agent`);
      const back = returnToBot(parseDialogState(this.conversations.dialogState(id)), this.deps.dialog());
      const turns = this.storeBotReplies(id, back.replies, now, c.customerId);
      this.conversations.update(id, { status: 'active', dialogState: back.state, handoff: null, now });
      recordDomainEvent(this.deps.db, { type: 'conversation.handed_back', aggregate: 'conversation', aggregateId: id, customerKey: c.customerId, actor, payload: {}, occurredAt: now });
      return turns;
    })();
    return this.publish(id, added);
  }

  /** Tells the customer they are being moved to another queue. */
  noteTransfer(id: string, queueName: string, actor: string): TurnsAdded {
    const now = this.deps.clock().toISOString();
    const added = this.deps.db.transaction(() => {
      const c = this.conversations.get(id);
      if (c.status !== 'with_agent' && c.status !== 'awaiting_agent') throw new AppError('CONVERSATION_STATE_CONFLICT', `conversation ${id} is ${c.status}, not with an agent`);
      this.conversations.update(id, { status: 'awaiting_agent', now });
      const turn = this.systemTurn(id, c, TRANSFERRED, { queue: queueName }, now);
      recordDomainEvent(this.deps.db, { type: 'conversation.transferred', aggregate: 'conversation', aggregateId: id, customerKey: c.customerId, actor, payload: { queue: queueName }, occurredAt: now });
      return [turn];
    })();
    return this.publish(id, added);
  }

  /** The agent resolves: the conversation closes (optionally with a follow-up ticket) and the customer is asked to rate it. */
  resolveByAgent(id: string, actor: string, input: { disposition: string; notes: string; createTicket: boolean }): { update: TurnsAdded; ticketId: string | null } {
    const now = this.deps.clock().toISOString();
    let ticketId: string | null = null;
    const added = this.deps.db.transaction(() => {
      const c = this.conversations.get(id);
      if (c.status !== 'with_agent') throw new AppError('CONVERSATION_STATE_CONFLICT', `conversation ${id} is ${c.status}, not with an agent`);
      if (input.createTicket) {
        const ticket = this.tickets.create({ conversationId: id, customerId: c.customerId, subject: `Follow-up: ${input.disposition}`, description: input.notes, priority: 'normal', now });
        recordDomainEvent(this.deps.db, { type: 'ticket.created', aggregate: 'ticket', aggregateId: ticket.id, customerKey: c.customerId, actor, payload: { ticket }, occurredAt: now });
        ticketId = ticket.id;
      }
      const turn = this.systemTurn(id, c, AGENT_LEFT, {}, now);
      this.conversations.update(id, { status: 'closed', now });
      recordDomainEvent(this.deps.db, { type: 'conversation.resolved', aggregate: 'conversation', aggregateId: id, customerKey: c.customerId, actor, payload: { disposition: input.disposition, notes: input.notes, ticketId }, occurredAt: now });
      return [turn];
    })();
    const update = this.publish(id, added);
    this.emit({ kind: 'csat_request', conversationId: id });
    return { update, ticketId };
  }

  /** The customer's 1–5 score after an agent resolved the conversation; once per conversation. */
  recordCsat(id: string, input: { score: number; comment?: string }, actor: string): ConversationRecord {
    if (!Number.isInteger(input.score) || input.score < 1 || input.score > 5) {
      throw new AppError('VALIDATION_FAILED', 'score must be a whole number from 1 to 5', { issues: [{ field: 'score', reason: 'must be 1–5' }] });
    }
    const now = this.deps.clock().toISOString();
    this.deps.db.transaction(() => {
      const c = this.conversations.get(id);
      if (c.status !== 'closed') throw new AppError('CONVERSATION_STATE_CONFLICT', 'a conversation can be rated once it has ended');
      if (c.csat !== null) throw new AppError('CONVERSATION_STATE_CONFLICT', 'this conversation has already been rated');
      const comment = input.comment?.trim() || null;
      this.deps.db.prepare('UPDATE conversations SET csat = ?, csat_comment = ?, updated_at = ? WHERE id = ?').run(input.score, comment, now, id);
      this.deps.db.prepare('UPDATE ab_assignments SET csat = ? WHERE conversation_id = ?').run(input.score, id);
      recordDomainEvent(this.deps.db, { type: 'conversation.csat_recorded', aggregate: 'conversation', aggregateId: id, customerKey: c.customerId, actor, payload: { score: input.score, comment, flowVariant: c.flowVariant }, occurredAt: now });
    })();
    this.emit({ kind: 'csat_thanks', conversationId: id });
    return this.conversations.get(id);
  }

  private systemTurn(id: string, c: ConversationRecord, template: { en: string; zh: string }, values: Record<string, string>, now: string): Turn {
    const language = c.language ?? 'en';
    const text = Object.entries(values).reduce((t, [k, v]) => t.replace(`{${k}}`, v), template[language]);
    return this.conversations.appendTurn(id, { speaker: 'system', text, language, createdAt: now });
  }

  /** After commit: tell the conversation's channels and the contact center. */
  private publish(id: string, turns: Turn[], agentName?: string): TurnsAdded {
    const update: TurnsAdded = { conversation: this.conversations.get(id), turns, duplicate: false };
    for (const t of turns) this.deps.metrics.turns.inc({ speaker: t.speaker, language: t.language ?? 'unknown' });
    this.notify(id, update);
    this.emit({ kind: 'status', conversationId: id, status: update.conversation.status, agentName: agentName ?? null });
    return update;
  }

  private notify(conversationId: string, update: TurnsAdded): void {
    for (const listener of [...(this.listeners.get(conversationId) ?? []), ...this.everyTurn]) {
      try {
        listener(update);
      } catch (err) {
        this.deps.logger.error({ err, conversationId }, 'conversation listener failed');
      }
    }
  }

  /** The customer turn at `seq` and the replies that followed it, up to the next customer turn. */
  private turnsOfExchange(id: string, seq: number): Turn[] {
    const after = this.conversations.turns(id, seq - 1);
    const next = after.findIndex((t, i) => i > 0 && t.speaker === 'customer');
    return next === -1 ? after : after.slice(0, next);
  }

  private storeBotReplies(id: string, replies: BotReply[], now: string, customerId: string | null): Turn[] {
    return replies.map((reply) => {
      const citations: Citation[] = reply.citations.map((articleId) => ({ articleId, title: this.deps.articleTitle(articleId) ?? articleId }));
      const turn = this.conversations.appendTurn(id, { speaker: 'bot', text: reply.text, language: reply.language, citations, createdAt: now });
      recordDomainEvent(this.deps.db, {
        type: 'conversation.turn_added',
        aggregate: 'conversation',
        aggregateId: id,
        customerKey: customerId,
        actor: 'bot',
        payload: { seq: turn.seq, speaker: 'bot', text: reply.text, language: reply.language, citations },
        occurredAt: now,
      });
      return reply.suggestions?.length ? { ...turn, suggestions: reply.suggestions } : turn;
    });
  }

  /** Executes what the dialog decided; returns the references of tickets it opened. */
  private applyActions(id: string, customerId: string | null, actions: DialogAction[], actor: string, now: string): string[] {
    const refs: string[] = [];
    for (const action of actions) {
      if (action.type === 'create_ticket') {
        const ticket = this.tickets.create({
          conversationId: id,
          customerId,
          subject: action.subject,
          description: `${action.description}\n\n${Object.entries(action.fields).map(([k, v]) => `${k}: ${v}`).join('\n')}`.trim(),
          priority: action.priority,
          now,
        });
        recordDomainEvent(this.deps.db, { type: 'ticket.created', aggregate: 'ticket', aggregateId: ticket.id, customerKey: customerId, actor: 'bot', payload: { ticket, fields: action.fields }, occurredAt: now });
        refs.push(ticketReference(ticket.id));
      } else if (action.type === 'handoff') {
        const handoff = { reason: action.reason, requestedAt: now, context: action.summary };
        this.conversations.update(id, { handoff, now });
        recordDomainEvent(this.deps.db, { type: 'conversation.handoff_requested', aggregate: 'handoff', aggregateId: id, customerKey: customerId, actor, payload: handoff, occurredAt: now });
        this.deps.metrics.handoffs.inc({ reason: action.reason });
        this.deps.logger.info({ conversationId: id, reason: action.reason }, 'handoff requested');
      } else if (action.type === 'close') {
        this.conversations.update(id, { outcome: action.outcome, now });
        recordDomainEvent(this.deps.db, { type: 'conversation.closed', aggregate: 'conversation', aggregateId: id, customerKey: customerId, actor, payload: { outcome: action.outcome }, occurredAt: now });
      }
    }
    return refs;
  }

  private recordOutcome(id: string, outcome: string, state: DialogState, now: string): void {
    this.deps.db.prepare('UPDATE ab_assignments SET outcome = ? WHERE conversation_id = ?').run(outcome, id);
    this.conversations.update(id, { outcome, now });
    this.deps.metrics.outcomes.inc({ outcome, variant: describeVariant(state.experiments) });
  }

  /** Links the conversation to the customer a phone number or e-mail in the message identifies. */
  private linkCustomer(conversation: ConversationRecord, understanding: Understanding, actor: string, now: string): string | null {
    const phone = understanding.entities.find((e) => e.type === 'phone')?.value ?? null;
    const email = understanding.entities.find((e) => e.type === 'email')?.value ?? null;
    const name = understanding.entities.find((e) => e.type === 'person_name')?.value ?? null;
    if (!phone && !email && !name) return conversation.customerId;
    // Normalizes, finds, creates, fills in or merges duplicates, and records the events.
    const customer = this.customers.identify({ customerId: conversation.customerId, name, phone, email, language: understanding.language }, { actor, now });
    return customer?.id ?? conversation.customerId;
  }
}

function statusAfter(current: ConversationStatus, actions: DialogAction[]): ConversationStatus {
  if (actions.some((a) => a.type === 'handoff')) return 'awaiting_agent';
  if (actions.some((a) => a.type === 'close')) return 'closed';
  return current;
}

/** A short reference a customer can read out on the phone. */
export function ticketReference(ticketId: string): string {
  return ticketId.replace(/-/g, '').slice(-8).toUpperCase();
}

function appendTicketReference(replies: BotReply[], refs: string[]): BotReply[] {
  if (refs.length === 0 || replies.length === 0) return replies;
  const last = replies.at(-1)!;
  const note = refs.map((ref) => TICKET_REF[last.language].replace('{ref}', ref)).join(' ');
  return [...replies.slice(0, -1), { ...last, text: `${last.text} ${note}` }];
}

/** "exp=variant" pairs, sorted: the conversation's A/B variant label. */
export function describeVariant(experiments: Record<string, string>): string {
  const pairs = Object.entries(experiments).sort(([a], [b]) => a.localeCompare(b));
  return pairs.length ? pairs.map(([e, v]) => `${e}=${v}`).join(';') : 'default';
}
