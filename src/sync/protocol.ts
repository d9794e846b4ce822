// The MQTT contract between branch appliances and the central CRM (docs/asyncapi.yaml):
// topic names, the outbound event envelope and the inbound (CRM → branch) messages, as
// types with runtime validators. Both the appliance and the CRM bridge use only these.
import { z } from 'zod';
import { ArticleInput } from '../knowledge/index.ts';

/** Version of the envelope and topic layout; it is the "v1" in the topic prefix. */
export const CONTRACT_VERSION = 1;
/** Topic level that addresses every branch of a tenant (CRM → branch broadcasts). */
export const ALL_BRANCHES = '_all';

// ---------------------------------------------------------------------------------------
// Topics

/** A single topic level: no separators, wildcards, or leading "$" (reserved by brokers). */
const TOPIC_LEVEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function isTopicLevel(value: string): boolean {
  return TOPIC_LEVEL.test(value);
}

export interface TopicScope {
  prefix: string;
  tenant: string;
  branch: string;
}

export const AGGREGATES = ['conversation', 'turn', 'handoff', 'ticket', 'customer', 'article', 'account', 'device', 'nlu'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const topics = {
  /** Outbound: one topic per aggregate kind so a CRM can subscribe to what it needs. */
  event: (s: TopicScope, aggregate: Aggregate) => `${s.prefix}/${s.tenant}/${s.branch}/events/${aggregate}`,
  /** Everything a branch listens to: its own and the tenant-wide downlink. */
  downFilters: (s: TopicScope) => [`${s.prefix}/${s.tenant}/${s.branch}/down/#`, `${s.prefix}/${s.tenant}/${ALL_BRANCHES}/down/#`],
  down: (s: TopicScope, kind: 'kb' | 'customers') => `${s.prefix}/${s.tenant}/${s.branch}/down/${kind}`,
  /** The CRM bridge's shared subscription: instances in one group split the load. */
  sharedEvents: (prefix: string, group: string) => `$share/${group}/${prefix}/+/+/events/#`,
};

/** Tenant and branch of an event topic, or null when the topic is not one. */
export function parseEventTopic(prefix: string, topic: string): { tenant: string; branch: string; aggregate: Aggregate } | null {
  if (!topic.startsWith(`${prefix}/`)) return null;
  const [tenant, branch, kind, aggregate, ...rest] = topic.slice(prefix.length + 1).split('/');
  if (!tenant || !branch || kind !== 'events' || rest.length > 0) return null;
  const agg = AGGREGATES.find((a) => a === aggregate);
  return agg ? { tenant, branch, aggregate: agg } : null;
}

// ---------------------------------------------------------------------------------------
// Outbound: branch → CRM

const Iso = z.iso.datetime({ offset: true });
const EventId = z.string().regex(/^evt_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'must be "evt_" + a UUIDv7');

/** Every event the appliance publishes (QoS 1, JSON, UTF-8). */
export const OutboundEventSchema = z.strictObject({
  /** Envelope/contract version; a consumer refuses versions it does not know. */
  contract: z.literal(CONTRACT_VERSION),
  /** Idempotency key: the CRM applies each eventId exactly once. Time-ordered (UUIDv7). */
  eventId: EventId,
  /** Version of this event type's payload schema. */
  schemaVersion: z.number().int().min(1),
  type: z.string().regex(/^[a-z_]+\.[a-z_]+$/, 'must be "<aggregate>.<verb>"'),
  tenant: z.string().regex(TOPIC_LEVEL),
  branchId: z.string().regex(TOPIC_LEVEL),
  aggregate: z.enum(AGGREGATES),
  aggregateId: z.string().min(1).max(200),
  /** The customer the event is about, when known. */
  customerKey: z.string().min(1).max(200).nullable(),
  /**
   * Ordering: events of one partition ("customer:<id>", else "<aggregate>:<id>") carry
   * gapless numbers from 1; apply them in that order, holding back any that arrive early.
   */
  partition: z.strictObject({ key: z.string().min(3).max(250), seq: z.number().int().min(1) }),
  actor: z.string().min(1).max(200),
  occurredAt: Iso,
  payload: z.unknown(),
});
export type OutboundEvent = z.infer<typeof OutboundEventSchema>;

/** Payload shapes the CRM can rely on, by event type (others are free-form JSON objects). */
const CustomerRecord = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be E.164').nullable(),
  email: z.string().nullable(),
  language: z.enum(['zh', 'en']).nullable(),
  version: z.number().int(),
  mergedInto: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const EVENT_PAYLOADS: Record<string, z.ZodType> = {
  'conversation.started': z.object({ channel: z.string(), language: z.string().nullable(), deviceId: z.string().nullable() }),
  'conversation.turn_added': z.object({
    seq: z.number().int().min(1),
    speaker: z.enum(['customer', 'bot', 'agent', 'system']),
    text: z.string(),
    agent: z.string().optional().describe("display name of the agent who wrote an agent turn (absent on other speakers' turns)"),
  }),
  'conversation.handoff_requested': z.object({ reason: z.string(), requestedAt: z.string() }),
  'conversation.closed': z.object({ outcome: z.string() }),
  'ticket.created': z.object({ ticket: z.object({ id: z.string(), subject: z.string(), status: z.string(), priority: z.string() }) }),
  'customer.created': CustomerRecord,
  'customer.updated': CustomerRecord,
  'customer.merged': z.object({ customer: CustomerRecord, mergedId: z.string(), reason: z.string() }),
  'article.created': z.object({ article: z.object({ id: z.string(), version: z.number().int() }) }),
  'article.updated': z.object({ article: z.object({ id: z.string(), version: z.number().int() }) }),
  'article.deleted': z.object({ id: z.string(), version: z.number().int() }),
};

export type Validation<T> = { ok: true; value: T } | { ok: false; code: DeadLetterCode; reason: string };

/** Validates an event envelope and, for known types, its payload. */
export function validateOutboundEvent(value: unknown): Validation<OutboundEvent> {
  const env = OutboundEventSchema.safeParse(value);
  if (!env.success) return { ok: false, code: 'SCHEMA_INVALID', reason: describeIssues(env.error) };
  const payloadSchema = EVENT_PAYLOADS[env.data.type];
  if (payloadSchema) {
    const p = payloadSchema.safeParse(env.data.payload);
    if (!p.success) return { ok: false, code: 'SCHEMA_INVALID', reason: `payload of ${env.data.type}: ${describeIssues(p.error)}` };
  }
  const expectedKey = env.data.customerKey ? `customer:${env.data.customerKey}` : `${env.data.aggregate}:${env.data.aggregateId}`;
  if (env.data.partition.key !== expectedKey) return { ok: false, code: 'SCHEMA_INVALID', reason: `partition.key must be "${expectedKey}"` };
  return { ok: true, value: env.data };
}

// ---------------------------------------------------------------------------------------
// Inbound: CRM → branch

const MessageId = z.string().min(8).max(200).regex(/^[A-Za-z0-9._:-]+$/);
const Version = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const Common = { messageId: MessageId, schemaVersion: z.literal(CONTRACT_VERSION), sentAt: Iso, version: Version };

export const KbArticleUpsert = z.strictObject({
  ...Common,
  type: z.literal('kb.article.upsert'),
  /** Full article content; id defaults to "<topic>.<language>" as in the KB. */
  article: ArticleInput,
});
export const KbArticleDelete = z.strictObject({
  ...Common,
  type: z.literal('kb.article.delete'),
  articleId: z.string().min(1).max(100),
});
export const CustomerUpsert = z.strictObject({
  ...Common,
  type: z.literal('customer.upsert'),
  /**
   * The CRM's record. Fields present overwrite (null clears), absent ones are left alone.
   * Matched by `id` (the appliance's id), then externalId, then phone/e-mail.
   */
  customer: z.strictObject({
    externalId: z.string().min(1).max(64),
    id: z.string().min(1).max(100).optional(),
    name: z.string().max(200).nullable().optional(),
    phone: z.string().max(40).nullable().optional(),
    email: z.string().max(254).nullable().optional(),
    language: z.string().max(10).nullable().optional(),
  }),
});

export const InboundMessageSchema = z.discriminatedUnion('type', [KbArticleUpsert, KbArticleDelete, CustomerUpsert]);
export type InboundMessage = z.infer<typeof InboundMessageSchema>;
export type InboundMessageInput = z.input<typeof InboundMessageSchema>;
export const INBOUND_TYPES = ['kb.article.upsert', 'kb.article.delete', 'customer.upsert'] as const;
/** Which downlink topic kind carries each message type. */
export const DOWN_KIND: Record<InboundMessage['type'], 'kb' | 'customers'> = {
  'kb.article.upsert': 'kb',
  'kb.article.delete': 'kb',
  'customer.upsert': 'customers',
};

export const DEAD_LETTER_CODES = ['PAYLOAD_TOO_LARGE', 'MALFORMED_JSON', 'UNKNOWN_TYPE', 'UNSUPPORTED_SCHEMA_VERSION', 'SCHEMA_INVALID', 'WRONG_TOPIC', 'APPLY_FAILED'] as const;
export type DeadLetterCode = (typeof DEAD_LETTER_CODES)[number];

export interface ParsedInbound {
  /** Message id when the payload had a readable one (for dedupe of the dead letter too). */
  messageId: string | null;
  type: string | null;
  result: Validation<InboundMessage>;
}

/**
 * Reads one inbound payload. Never throws: anything unusable comes back with a dead-letter
 * code and reason, so one bad message cannot stop the stream.
 */
export function parseInbound(topic: string, payload: Uint8Array, options: { maxBytes: number }): ParsedInbound {
  const fail = (code: DeadLetterCode, reason: string, messageId: string | null = null, type: string | null = null): ParsedInbound => ({ messageId, type, result: { ok: false, code, reason } });
  if (payload.byteLength > options.maxBytes) return fail('PAYLOAD_TOO_LARGE', `payload is ${payload.byteLength} bytes, more than ${options.maxBytes}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payload));
  } catch (err) {
    return fail('MALFORMED_JSON', `not UTF-8 JSON: ${(err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('SCHEMA_INVALID', 'payload must be a JSON object');
  const obj = json as Record<string, unknown>;
  const messageId = typeof obj.messageId === 'string' && MessageId.safeParse(obj.messageId).success ? obj.messageId : null;
  const type = typeof obj.type === 'string' ? obj.type.slice(0, 100) : null;
  if (obj.schemaVersion !== CONTRACT_VERSION) return fail('UNSUPPORTED_SCHEMA_VERSION', `schemaVersion ${JSON.stringify(obj.schemaVersion)} is not supported (this appliance reads ${CONTRACT_VERSION})`, messageId, type);
  if (!INBOUND_TYPES.some((t) => t === type)) return fail('UNKNOWN_TYPE', `type ${JSON.stringify(obj.type)} is not one of ${INBOUND_TYPES.join(', ')}`, messageId, type);
  const parsed = InboundMessageSchema.safeParse(json);
  if (!parsed.success) return fail('SCHEMA_INVALID', describeIssues(parsed.error), messageId, type);
  const kind = topic.split('/').at(-1);
  if (kind !== DOWN_KIND[parsed.data.type]) return fail('WRONG_TOPIC', `${parsed.data.type} belongs on .../down/${DOWN_KIND[parsed.data.type]}, not ${topic}`, messageId, type);
  return { messageId, type, result: { ok: true, value: parsed.data } };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}
