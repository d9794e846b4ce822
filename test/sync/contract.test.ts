// The MQTT contract: docs/asyncapi.yaml matches the validators in protocol.ts, and real
// message vectors pass or fail them as a CRM would expect. (Every message the appliance
// publishes over a real broker is validated in test/integration/sync-delivery.test.ts.)
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildAsyncApi } from '../../src/sync/contract-doc.ts';
import { parseInbound, parseEventTopic, validateOutboundEvent } from '../../src/sync/index.ts';

const event = {
  contract: 1,
  eventId: 'evt_01936d3c-7a2b-7c4d-8e5f-0123456789ab',
  schemaVersion: 1,
  type: 'conversation.turn_added',
  tenant: 'bank1',
  branchId: 'br-042',
  aggregate: 'conversation',
  aggregateId: 'conv_1',
  customerKey: 'cust_1',
  partition: { key: 'customer:cust_1', seq: 7 },
  actor: 'customer',
  occurredAt: '2026-01-01T10:00:00.000Z',
  payload: { seq: 3, speaker: 'customer', text: 'I lost my card' },
};

describe('MQTT contract', () => {
  it('docs/asyncapi.yaml is the document generated from protocol.ts', () => {
    const doc: unknown = parse(readFileSync(new URL('../../docs/asyncapi.yaml', import.meta.url), 'utf8'));
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildAsyncApi())));
    // every payload shape the validator enforces is in the document, so a CRM can generate from it
    const schemas = (doc as { components: { schemas: Record<string, unknown> } }).components.schemas;
    expect(schemas['payload.conversation.turn_added']).toMatchObject({ properties: { agent: { type: 'string' } }, required: ['seq', 'speaker', 'text'] });
  });

  it('accepts a real event and refuses broken ones with a reason', () => {
    expect(validateOutboundEvent(event).ok).toBe(true);
    const agentTurn = { ...event, actor: 'agent:wang', payload: { seq: 4, speaker: 'agent', text: 'I have blocked it', agent: 'Wang Li' } };
    expect(validateOutboundEvent(agentTurn).ok).toBe(true);
    const broken: [string, unknown][] = [
      ['agent name not a string', { ...agentTurn, payload: { ...agentTurn.payload, agent: 7 } }],
      ['no idempotency key', { ...event, eventId: undefined }],
      ['wrong contract', { ...event, contract: 2 }],
      ['partition not per customer', { ...event, partition: { key: 'conversation:conv_1', seq: 7 } }],
      ['payload of a known type malformed', { ...event, payload: { seq: 'three' } }],
      ['extra envelope field', { ...event, debug: true }],
    ];
    for (const [why, value] of broken) expect(validateOutboundEvent(value).ok, why).toBe(false);
  });

  it('reads event topics and inbound messages', () => {
    expect(parseEventTopic('switchboard/v1', 'switchboard/v1/bank1/br-042/events/ticket')).toEqual({ tenant: 'bank1', branch: 'br-042', aggregate: 'ticket' });
    expect(parseEventTopic('switchboard/v1', 'switchboard/v1/bank1/br-042/down/kb')).toBeNull();
    const msg = { messageId: 'crm-0001', type: 'kb.article.delete', schemaVersion: 1, sentAt: '2026-01-01T00:00:00Z', version: 2, articleId: 'lost-card.en' };
    const ok = parseInbound('switchboard/v1/bank1/_all/down/kb', Buffer.from(JSON.stringify(msg)), { maxBytes: 1024 });
    expect(ok.result.ok).toBe(true);
    const wrongTopic = parseInbound('switchboard/v1/bank1/_all/down/customers', Buffer.from(JSON.stringify(msg)), { maxBytes: 1024 });
    expect(wrongTopic.result).toMatchObject({ ok: false, code: 'WRONG_TOPIC' });
    expect(wrongTopic.messageId).toBe('crm-0001');
  });
});
