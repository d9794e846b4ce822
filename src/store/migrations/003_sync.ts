// CRM sync: delivery state of the domain-event outbox, per-partition ordering numbers, the
// inbound inbox (dedupe), dead letters, CRM entity versions and recorded conflicts; customer
// record versions and merge links for deduplication.
import type { Migration } from './index.ts';

export const sync: Migration = {
  version: 3,
  name: 'sync',
  up: `
-- The outbox is domain_events itself (written in the same transaction as every change);
-- these columns say how far each event has travelled.
ALTER TABLE domain_events ADD COLUMN schema_version INTEGER NOT NULL DEFAULT 1;
-- "customer:<id>" or "<aggregate>:<id>", and the gapless position within it, assigned in the
-- inserting transaction (trigger below), so numbers follow commit order and a republish
-- carries the same ones. The key expression matches src/sync/partitioner.ts.
ALTER TABLE domain_events ADD COLUMN partition_key TEXT;
ALTER TABLE domain_events ADD COLUMN partition_seq INTEGER;
-- Set only when the broker acknowledged the event (PUBACK); never cleared.
ALTER TABLE domain_events ADD COLUMN delivered_at TEXT;
CREATE INDEX domain_events_undelivered ON domain_events(id) WHERE delivered_at IS NULL;
CREATE INDEX domain_events_delivered ON domain_events(delivered_at) WHERE delivered_at IS NOT NULL;

-- Last number handed out per partition. Outlives pruned events so numbering never restarts.
CREATE TABLE sync_partitions (
  partition_key TEXT PRIMARY KEY,
  last_seq      INTEGER NOT NULL
) WITHOUT ROWID;

-- Events recorded before this migration are numbered now, in id order.
UPDATE domain_events SET partition_key =
  CASE WHEN coalesce(customer_key, '') <> '' THEN 'customer:' || customer_key ELSE aggregate || ':' || aggregate_id END;
UPDATE domain_events SET partition_seq = n.seq
  FROM (SELECT id, row_number() OVER (PARTITION BY partition_key ORDER BY id) AS seq FROM domain_events) AS n
  WHERE domain_events.id = n.id;
INSERT INTO sync_partitions (partition_key, last_seq)
  SELECT partition_key, max(partition_seq) FROM domain_events WHERE partition_key IS NOT NULL GROUP BY partition_key;

-- Every new event gets its number in the transaction that records it: any writer, no
-- change to recordDomainEvent, and the publisher's drain only reads.
CREATE TRIGGER domain_events_partition AFTER INSERT ON domain_events WHEN NEW.partition_seq IS NULL
BEGIN
  INSERT INTO sync_partitions (partition_key, last_seq)
    VALUES (CASE WHEN coalesce(NEW.customer_key, '') <> '' THEN 'customer:' || NEW.customer_key ELSE NEW.aggregate || ':' || NEW.aggregate_id END, 1)
    ON CONFLICT (partition_key) DO UPDATE SET last_seq = last_seq + 1;
  UPDATE domain_events
    SET partition_key = CASE WHEN coalesce(NEW.customer_key, '') <> '' THEN 'customer:' || NEW.customer_key ELSE NEW.aggregate || ':' || NEW.aggregate_id END,
        partition_seq = (SELECT last_seq FROM sync_partitions
                         WHERE partition_key = CASE WHEN coalesce(NEW.customer_key, '') <> '' THEN 'customer:' || NEW.customer_key ELSE NEW.aggregate || ':' || NEW.aggregate_id END)
    WHERE id = NEW.id;
END;

-- Every inbound message seen, by message id (or a payload hash when it had none): a
-- redelivery by the broker is recognised and not applied twice.
CREATE TABLE sync_inbox (
  message_id  TEXT PRIMARY KEY,
  topic       TEXT NOT NULL,
  type        TEXT,
  outcome     TEXT NOT NULL CHECK (outcome IN ('applied','stale','dead_lettered')),
  received_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sync_inbox_received ON sync_inbox(received_at);

-- Inbound messages that could not be applied, with the reason; the stream goes on without them.
CREATE TABLE sync_dead_letters (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  topic           TEXT NOT NULL,
  message_id      TEXT,
  reason_code     TEXT NOT NULL,
  reason          TEXT NOT NULL,
  payload_excerpt TEXT NOT NULL,
  payload_bytes   INTEGER NOT NULL,
  received_at     TEXT NOT NULL
);

-- The CRM's version of each entity it sent us, and our own version right after applying it:
-- a different local version later means the appliance changed the record since.
CREATE TABLE sync_entity_versions (
  kind           TEXT NOT NULL CHECK (kind IN ('article','customer')),
  entity_id      TEXT NOT NULL,
  remote_version INTEGER NOT NULL,
  local_version  INTEGER,
  deleted        INTEGER NOT NULL DEFAULT 0,
  applied_at     TEXT NOT NULL,
  PRIMARY KEY (kind, entity_id)
) WITHOUT ROWID;

-- Conflicts between CRM updates and local changes: resolved by version (last writer wins),
-- but recorded with both sides so a supervisor can see what was overwritten or refused.
CREATE TABLE sync_conflicts (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  kind            TEXT NOT NULL,
  entity_id       TEXT NOT NULL,
  message_id      TEXT NOT NULL,
  reason          TEXT NOT NULL CHECK (reason IN ('local_changes_overwritten','stale_remote_version')),
  resolution      TEXT NOT NULL CHECK (resolution IN ('remote_applied','local_kept')),
  remote_version  INTEGER NOT NULL,
  known_version   INTEGER,
  local_snapshot  TEXT,
  remote_snapshot TEXT NOT NULL,
  detected_at     TEXT NOT NULL
);

-- Customer records: a version bumped on every change (conflict detection) and, for a
-- duplicate merged into another record, the survivor's id.
ALTER TABLE customers ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE customers ADD COLUMN merged_into TEXT REFERENCES customers(id);
CREATE INDEX customers_merged ON customers(merged_into);
`,
};
