// Conversation, turn, customer and ticket records as the rest of the appliance sees them,
// and their mapping from SQLite rows.
import type { Entity, Language } from '../nlu/index.ts';

export type Channel = 'rest' | 'chat' | 'voice';
export type ConversationStatus = 'active' | 'awaiting_agent' | 'with_agent' | 'closed';
export type Speaker = 'customer' | 'bot' | 'agent' | 'system';

export interface Citation {
  articleId: string;
  title: string;
}

export interface Turn {
  seq: number;
  speaker: Speaker;
  text: string;
  language: Language | null;
  intent: string | null;
  confidence: number | null;
  entities: Entity[];
  citations: Citation[];
  suggestions?: string[];
  /** Voice turns: the recognizer's confidence (0..1) and how long the caller spoke. */
  speech?: { confidence: number | null; audioMs: number | null };
  /** Agent turns: the display name of the agent who wrote it. */
  author?: string;
  createdAt: string;
}

export interface HandoffRecord {
  reason: string;
  requestedAt: string;
  /** What the bot collected: language, intents, slots, entities, articles used, summary. */
  context: unknown;
}

export interface ConversationRecord {
  id: string;
  channel: Channel;
  status: ConversationStatus;
  language: Language | null;
  customerId: string | null;
  deviceId: string | null;
  flowVariant: string;
  handoff: HandoffRecord | null;
  outcome: string | null;
  csat: number | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface ConversationRow {
  id: string;
  channel: Channel;
  status: ConversationStatus;
  language: Language | null;
  customer_id: string | null;
  device_id: string | null;
  flow_variant: string;
  dialog_state: string;
  handoff: string | null;
  outcome: string | null;
  csat: number | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export interface TurnRow {
  seq: number;
  speaker: Speaker;
  text: string;
  language: Language | null;
  intent: string | null;
  confidence: number | null;
  entities: string;
  citations: string;
  asr_confidence: number | null;
  audio_ms: number | null;
  author_name: string | null;
  created_at: string;
}

export function toConversation(r: ConversationRow): ConversationRecord {
  return {
    id: r.id,
    channel: r.channel,
    status: r.status,
    language: r.language,
    customerId: r.customer_id,
    deviceId: r.device_id,
    flowVariant: r.flow_variant,
    handoff: r.handoff ? (JSON.parse(r.handoff) as HandoffRecord) : null,
    outcome: r.outcome,
    csat: r.csat,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}

export function toTurn(r: TurnRow): Turn {
  return {
    seq: r.seq,
    speaker: r.speaker,
    text: r.text,
    language: r.language,
    intent: r.intent,
    confidence: r.confidence,
    entities: JSON.parse(r.entities) as Entity[],
    citations: JSON.parse(r.citations) as Citation[],
    ...(r.asr_confidence !== null || r.audio_ms !== null ? { speech: { confidence: r.asr_confidence, audioMs: r.audio_ms } } : {}),
    ...(r.author_name !== null ? { author: r.author_name } : {}),
    createdAt: r.created_at,
  };
}

export interface Ticket {
  id: string;
  conversationId: string | null;
  customerId: string | null;
  subject: string;
  description: string;
  status: 'open' | 'pending' | 'resolved' | 'closed';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  createdAt: string;
  updatedAt: string;
}

export interface TicketRow {
  id: string;
  conversation_id: string | null;
  customer_id: string | null;
  subject: string;
  description: string;
  status: Ticket['status'];
  priority: Ticket['priority'];
  created_at: string;
  updated_at: string;
}

export const toTicket = (r: TicketRow): Ticket => ({
  id: r.id,
  conversationId: r.conversation_id,
  customerId: r.customer_id,
  subject: r.subject,
  description: r.description,
  status: r.status,
  priority: r.priority,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
