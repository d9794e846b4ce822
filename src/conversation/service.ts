// The conversation use-cases every channel (REST, WebSocket chat, later voice) goes through:
// understand the customer, advance the dialog, and store turns, state, tickets, handoffs and
// their domain events in one SQLite transaction. Listeners hear about new turns after commit.
import type { Db } from '../store/index.ts';
import { recordDomainEvent } from '../store/index.ts';
import { AppError } from '../errors/index.ts';
import type { Language, Understanding } from '../nlu/index.ts';
import { handleTurn, parseDialogState, startConversation, type BotReply, type DialogAction, type DialogDeps, type DialogState } from '../dialog/index.ts';
import type { Logger, Metrics } from '../ops/index.ts';
import { CustomerRepository, type Customer } from '../customers/index.ts';
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

const TICKET_REF = { en: 'Your reference number is {ref}.', zh: '您的受理编号是 {ref}。' } as const;

export class ConversationService {
  private readonly conversations: ConversationRepository;
  private readonly tickets: TicketRepository;
  private readonly customers: CustomerRepository;
  private readonly listeners = new Map<string, Set<ConversationListener>>();

  constructor(private readonly deps: ConversationServiceDeps) {
    this.conversations = new ConversationRepository(deps.db);
    this.tickets = new TicketRepository(deps.db);
    this.customers = new CustomerRepository(deps.db);
  }

  start(input: { channel: Channel; language?: Language; deviceId?: string | null; actor: string }): ConversationView {
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

  list(filter: { status?: ConversationStatus; limit: number; offset: number }): { items: ConversationRecord[]; total: number } {
    return this.conversations.list(filter);
  }

  /** Handles one customer message; a resend with the same clientMessageId returns the original turns. */
  postMessage(id: string, input: { text: string; clientMessageId?: string }, actor: string): TurnsAdded {
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

  private notify(conversationId: string, update: TurnsAdded): void {
    for (const listener of this.listeners.get(conversationId) ?? []) {
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
    let customer: Customer | null = conversation.customerId ? this.customers.get(conversation.customerId) : null;
    if (!customer && (phone || email)) customer = this.customers.findByContact({ phone, email });
    if (!customer) {
      if (!phone && !email) return null; // a name alone does not identify anyone
      customer = this.customers.create({ name, phone, email, language: understanding.language, now });
      recordDomainEvent(this.deps.db, { type: 'customer.created', aggregate: 'customer', aggregateId: customer.id, customerKey: customer.id, actor, payload: customer, occurredAt: now });
    } else if ((phone && !customer.phone) || (email && !customer.email) || (name && !customer.name)) {
      customer = this.customers.update(customer.id, { name, phone, email, now });
      recordDomainEvent(this.deps.db, { type: 'customer.updated', aggregate: 'customer', aggregateId: customer.id, customerKey: customer.id, actor, payload: customer, occurredAt: now });
    }
    return customer.id;
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
