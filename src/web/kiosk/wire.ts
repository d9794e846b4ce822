// Client side of the chat wire protocol (/v1/chat). The types come from the server's own
// schema (type-only import: nothing of zod reaches the browser bundle); frames are checked
// here by hand before the page acts on them.
import type { ClientMessage, ServerMessage, TurnView } from '../../channels/index.ts';

export type { ClientMessage, ServerMessage, TurnView };
export type ConversationStatus = Extract<ServerMessage, { type: 'welcome' }>['status'];
export type Language = 'zh' | 'en';
export type Citation = TurnView['citations'][number];

const STATUSES: readonly ConversationStatus[] = ['active', 'awaiting_agent', 'with_agent', 'closed'];
const SPEAKERS: readonly TurnView['speaker'][] = ['customer', 'bot', 'agent', 'system'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function parseStatus(v: unknown): ConversationStatus | null {
  return STATUSES.find((s) => s === v) ?? null;
}

/** Only the fields the page shows are required; the rest are carried with safe defaults. */
function parseTurn(v: unknown): TurnView | null {
  if (!isObject(v)) return null;
  const speaker = SPEAKERS.find((s) => s === v.speaker);
  if (typeof v.seq !== 'number' || !speaker || !isString(v.text)) return null;
  const citations = Array.isArray(v.citations)
    ? v.citations.filter((c): c is Citation => isObject(c) && isString(c.articleId) && isString(c.title))
    : [];
  const turn: TurnView = {
    seq: v.seq,
    speaker,
    text: v.text,
    language: v.language === 'zh' || v.language === 'en' ? v.language : null,
    intent: isString(v.intent) ? v.intent : null,
    confidence: typeof v.confidence === 'number' ? v.confidence : null,
    entities: [],
    citations,
    createdAt: isString(v.createdAt) ? v.createdAt : '',
  };
  if (Array.isArray(v.suggestions)) turn.suggestions = v.suggestions.filter(isString);
  if (isString(v.author) && v.author.trim()) turn.author = v.author;
  return turn;
}

function parseTurns(v: unknown): TurnView[] | null {
  if (!Array.isArray(v)) return null;
  const turns = v.map(parseTurn);
  return turns.every((t): t is TurnView => t !== null) ? turns : null;
}

/** A server frame, or null when it is not one this page understands. */
export function parseServerMessage(raw: string): ServerMessage | null {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isObject(v)) return null;
  switch (v.type) {
    case 'pong':
      return { type: 'pong' };
    case 'error': {
      if (!isObject(v.error) || !isString(v.error.code)) return null;
      return { type: 'error', error: { code: v.error.code, message: isString(v.error.message) ? v.error.message : '', details: v.error.details } };
    }
    case 'welcome':
    case 'turns': {
      const status = parseStatus(v.status);
      const turns = parseTurns(v.turns);
      if (!isString(v.conversationId) || !status || !turns) return null;
      return v.type === 'welcome'
        ? { type: 'welcome', protocol: 1, conversationId: v.conversationId, status, agentName: isString(v.agentName) ? v.agentName : null, turns }
        : { type: 'turns', conversationId: v.conversationId, status, turns };
    }
    case 'queue': {
      const position = v.position;
      const wait = v.estimatedWaitSeconds;
      if (!isString(v.conversationId) || !isCount(position) || position < 1 || !isCount(wait)) return null;
      return { type: 'queue', conversationId: v.conversationId, position, estimatedWaitSeconds: wait };
    }
    case 'status': {
      const status = parseStatus(v.status);
      if (!isString(v.conversationId) || !status) return null;
      return { type: 'status', conversationId: v.conversationId, status, agentName: isString(v.agentName) && v.agentName.trim() ? v.agentName : null };
    }
    case 'csat_request':
    case 'csat_thanks':
      if (!isString(v.conversationId)) return null;
      return { type: v.type, conversationId: v.conversationId };
    default:
      return null;
  }
}

/** RFC 4122 v4 id. crypto.randomUUID exists only in secure contexts, and a kiosk on the
 * branch LAN loads the page over plain http, so build it from getRandomValues. */
export function newClientMessageId(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
