// SQLite repositories for conversations, turns, tickets and customers. Callers compose them
// inside one transaction with the domain events of the same change.
import type { Db } from '../store/index.ts';
import { newId } from '../store/index.ts';
import { AppError } from '../errors/index.ts';
import type { Entity, Language } from '../nlu/index.ts';
import {
  toConversation,
  toTicket,
  toTurn,
  type Channel,
  type Citation,
  type ConversationRecord,
  type ConversationRow,
  type ConversationStatus,
  type HandoffRecord,
  type Speaker,
  type Ticket,
  type TicketRow,
  type Turn,
  type TurnRow,
} from './records.ts';

export interface NewTurn {
  speaker: Speaker;
  text: string;
  language?: Language | null;
  intent?: string | null;
  confidence?: number | null;
  entities?: Entity[];
  citations?: Citation[];
  clientMessageId?: string | null;
  speech?: { confidence: number | null; audioMs: number | null };
  /** Agent turns: the agent's display name. */
  author?: string;
  createdAt: string;
}

export class ConversationRepository {
  constructor(private readonly db: Db) {}

  insert(input: {
    channel: Channel;
    language: Language | null;
    customerId: string | null;
    deviceId: string | null;
    flowVariant: string;
    dialogState: unknown;
    now: string;
  }): string {
    const id = newId('conv');
    this.db
      .prepare(
        `INSERT INTO conversations (id, channel, status, language, customer_id, device_id, flow_variant, dialog_state, created_at, updated_at)
         VALUES (?, ?, 'active', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, input.channel, input.language, input.customerId, input.deviceId, input.flowVariant, JSON.stringify(input.dialogState), input.now, input.now);
    return id;
  }

  get(id: string): ConversationRecord {
    return toConversation(this.row(id));
  }

  /** The stored dialog state (plain JSON) to resume the conversation from. */
  dialogState(id: string): unknown {
    return JSON.parse(this.row(id).dialog_state) as unknown;
  }

  private row(id: string): ConversationRow {
    const row = this.db.prepare('SELECT * FROM conversations WHERE id = ?').get(id) as ConversationRow | undefined;
    if (!row) throw new AppError('CONVERSATION_NOT_FOUND', `no conversation ${id}`);
    return row;
  }

  update(
    id: string,
    change: {
      status?: ConversationStatus;
      language?: Language | null;
      dialogState?: unknown;
      handoff?: HandoffRecord | null;
      outcome?: string | null;
      customerId?: string | null;
      now: string;
    },
  ): void {
    const current = this.row(id);
    const status = change.status ?? current.status;
    this.db
      .prepare(
        `UPDATE conversations SET status = ?, language = ?, dialog_state = ?, handoff = ?, outcome = ?, customer_id = ?,
           updated_at = ?, closed_at = ? WHERE id = ?`,
      )
      .run(
        status,
        change.language !== undefined ? change.language : current.language,
        change.dialogState !== undefined ? JSON.stringify(change.dialogState) : current.dialog_state,
        change.handoff !== undefined ? (change.handoff ? JSON.stringify(change.handoff) : null) : current.handoff,
        change.outcome !== undefined ? change.outcome : current.outcome,
        change.customerId !== undefined ? change.customerId : current.customer_id,
        change.now,
        status === 'closed' ? (current.closed_at ?? change.now) : null,
        id,
      );
  }

  /** Newest first; `q` matches the id, the customer's name/phone/e-mail, or any turn's text. */
  list(filter: { status?: ConversationStatus; q?: string; limit: number; offset: number }): { items: ConversationRecord[]; total: number } {
    const q = filter.q?.trim() || null;
    const where = `WHERE (@status IS NULL OR status = @status) AND (@q IS NULL OR id = @q
      OR customer_id IN (SELECT id FROM customers WHERE name LIKE @like ESCAPE '\\' OR phone LIKE @like ESCAPE '\\' OR email LIKE @like ESCAPE '\\')
      OR EXISTS (SELECT 1 FROM turns t WHERE t.conversation_id = conversations.id AND t.text LIKE @like ESCAPE '\\'))`;
    const like = q ? `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : null;
    const params = { status: filter.status ?? null, q, like, limit: filter.limit, offset: filter.offset };
    const items = (this.db.prepare(`SELECT * FROM conversations ${where} ORDER BY created_at DESC LIMIT @limit OFFSET @offset`).all(params) as ConversationRow[]).map(toConversation);
    const total = (this.db.prepare(`SELECT count(*) AS n FROM conversations ${where}`).get(params) as { n: number }).n;
    return { items, total };
  }

  appendTurn(conversationId: string, turn: NewTurn): Turn {
    const seq = ((this.db.prepare('SELECT max(seq) AS s FROM turns WHERE conversation_id = ?').get(conversationId) as { s: number | null }).s ?? 0) + 1;
    this.db
      .prepare(
        `INSERT INTO turns (conversation_id, seq, speaker, text, language, intent, confidence, entities, citations, client_message_id, asr_confidence, audio_ms, author_name, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        conversationId,
        seq,
        turn.speaker,
        turn.text,
        turn.language ?? null,
        turn.intent ?? null,
        turn.confidence ?? null,
        JSON.stringify(turn.entities ?? []),
        JSON.stringify(turn.citations ?? []),
        turn.clientMessageId ?? null,
        turn.speech?.confidence ?? null,
        turn.speech?.audioMs ?? null,
        turn.author ?? null,
        turn.createdAt,
      );
    return {
      seq,
      speaker: turn.speaker,
      text: turn.text,
      language: turn.language ?? null,
      intent: turn.intent ?? null,
      confidence: turn.confidence ?? null,
      entities: turn.entities ?? [],
      citations: turn.citations ?? [],
      ...(turn.speech ? { speech: turn.speech } : {}),
      ...(turn.author !== undefined ? { author: turn.author } : {}),
      createdAt: turn.createdAt,
    };
  }

  turns(conversationId: string, afterSeq = 0): Turn[] {
    return (this.db.prepare('SELECT * FROM turns WHERE conversation_id = ? AND seq > ? ORDER BY seq').all(conversationId, afterSeq) as TurnRow[]).map(toTurn);
  }

  /** The seq of a customer turn already stored under this client message id, if any. */
  turnSeqForClientMessage(conversationId: string, clientMessageId: string): number | null {
    const row = this.db.prepare('SELECT seq FROM turns WHERE conversation_id = ? AND client_message_id = ?').get(conversationId, clientMessageId) as { seq: number } | undefined;
    return row?.seq ?? null;
  }
}

export class TicketRepository {
  constructor(private readonly db: Db) {}

  create(input: { conversationId: string | null; customerId: string | null; subject: string; description: string; priority: Ticket['priority']; now: string }): Ticket {
    const id = newId('tkt');
    this.db
      .prepare(
        `INSERT INTO tickets (id, conversation_id, customer_id, subject, description, status, priority, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
      )
      .run(id, input.conversationId, input.customerId, input.subject, input.description, input.priority, input.now, input.now);
    return this.get(id);
  }

  get(id: string): Ticket {
    const row = this.db.prepare('SELECT * FROM tickets WHERE id = ?').get(id) as TicketRow | undefined;
    if (!row) throw new AppError('TICKET_NOT_FOUND', `no ticket ${id}`);
    return toTicket(row);
  }

  find(id: string): Ticket | null {
    const row = this.db.prepare('SELECT * FROM tickets WHERE id = ?').get(id) as TicketRow | undefined;
    return row ? toTicket(row) : null;
  }

  list(filter: { conversationId?: string; status?: Ticket['status']; limit: number; offset: number }): Ticket[] {
    return (
      this.db
        .prepare(
          `SELECT * FROM tickets WHERE (@conversationId IS NULL OR conversation_id = @conversationId)
             AND (@status IS NULL OR status = @status) ORDER BY created_at DESC LIMIT @limit OFFSET @offset`,
        )
        .all({ conversationId: filter.conversationId ?? null, status: filter.status ?? null, limit: filter.limit, offset: filter.offset }) as TicketRow[]
    ).map(toTicket);
  }
}
