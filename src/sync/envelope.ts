// Turns an outbox event into the wire message of the contract (protocol.ts OutboundEvent).
// The stored payload JSON is spliced in as is: no parse/serialize per event on the hot path.
import { CONTRACT_VERSION, topics, type Aggregate, type TopicScope } from './protocol.ts';
import type { OutboxEvent } from './outbox.ts';

export interface EncodedEvent {
  topic: string;
  payload: string;
}

export function encodeEvent(e: OutboxEvent, scope: TopicScope): EncodedEvent {
  const head = JSON.stringify({
    contract: CONTRACT_VERSION,
    eventId: e.eventId,
    schemaVersion: e.schemaVersion,
    type: e.type,
    tenant: scope.tenant,
    branchId: scope.branch,
    aggregate: e.aggregate,
    aggregateId: e.aggregateId,
    customerKey: e.customerKey,
    partition: { key: e.partitionKey, seq: e.partitionSeq },
    actor: e.actor,
    occurredAt: e.occurredAt,
  });
  return { topic: topics.event(scope, e.aggregate as Aggregate), payload: `${head.slice(0, -1)},"payload":${e.payloadJson}}` };
}
