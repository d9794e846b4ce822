// Ordering rule of the outbox: events about a customer are ordered per customer; events with
// no customer are ordered per aggregate. Each partition numbers its events 1, 2, 3, … so a
// consumer can see a gap and hold later events back until it is filled.

export interface PartitionSource {
  customerKey: string | null;
  aggregate: string;
  aggregateId: string;
}

/** The same rule as the domain_events_partition trigger of migration 003_sync. */
export function partitionKeyOf(e: PartitionSource): string {
  return e.customerKey ? `customer:${e.customerKey}` : `${e.aggregate}:${e.aggregateId}`;
}
