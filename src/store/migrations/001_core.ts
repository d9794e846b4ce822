// Accounts, devices, customers, conversations with their turns, tickets, and the domain
// event log every state change is recorded in (the sync outbox reads from it later).
import type { Migration } from './index.ts';

export const core: Migration = {
  version: 1,
  name: 'core',
  up: `
CREATE TABLE accounts (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name  TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin','supervisor','agent','installer')),
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE devices (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('kiosk')),
  token_hash  TEXT NOT NULL UNIQUE,
  revoked     INTEGER NOT NULL DEFAULT 0,
  created_at  TEXT NOT NULL,
  last_seen_at TEXT
);

CREATE TABLE customers (
  id           TEXT PRIMARY KEY,
  external_id  TEXT UNIQUE,
  name         TEXT,
  phone        TEXT,
  email        TEXT,
  language     TEXT,
  attributes   TEXT NOT NULL DEFAULT '{}',
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
CREATE INDEX customers_phone ON customers(phone);
CREATE INDEX customers_email ON customers(email);

CREATE TABLE conversations (
  id             TEXT PRIMARY KEY,
  channel        TEXT NOT NULL CHECK (channel IN ('rest','chat','voice')),
  status         TEXT NOT NULL CHECK (status IN ('active','awaiting_agent','with_agent','closed')),
  language       TEXT,
  customer_id    TEXT REFERENCES customers(id),
  device_id      TEXT,
  flow_variant   TEXT NOT NULL,
  dialog_state   TEXT NOT NULL,
  handoff        TEXT,
  outcome        TEXT,
  csat           INTEGER,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  closed_at      TEXT
);
CREATE INDEX conversations_status ON conversations(status, updated_at);

CREATE TABLE turns (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  seq             INTEGER NOT NULL,
  speaker         TEXT NOT NULL CHECK (speaker IN ('customer','bot','agent','system')),
  text            TEXT NOT NULL,
  language        TEXT,
  intent          TEXT,
  confidence      REAL,
  entities        TEXT NOT NULL DEFAULT '[]',
  citations       TEXT NOT NULL DEFAULT '[]',
  client_message_id TEXT,
  created_at      TEXT NOT NULL,
  UNIQUE (conversation_id, seq)
);
CREATE UNIQUE INDEX turns_client_message ON turns(conversation_id, client_message_id) WHERE client_message_id IS NOT NULL;

CREATE TABLE tickets (
  id              TEXT PRIMARY KEY,
  conversation_id TEXT REFERENCES conversations(id),
  customer_id     TEXT REFERENCES customers(id),
  subject         TEXT NOT NULL,
  description     TEXT NOT NULL DEFAULT '',
  status          TEXT NOT NULL CHECK (status IN ('open','pending','resolved','closed')),
  priority        TEXT NOT NULL CHECK (priority IN ('low','normal','high','urgent')),
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL
);

CREATE TABLE domain_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id      TEXT NOT NULL UNIQUE,
  type          TEXT NOT NULL,
  aggregate     TEXT NOT NULL,
  aggregate_id  TEXT NOT NULL,
  customer_key  TEXT,
  actor         TEXT NOT NULL,
  payload       TEXT NOT NULL,
  occurred_at   TEXT NOT NULL
);
CREATE INDEX domain_events_aggregate ON domain_events(aggregate, aggregate_id);

CREATE TABLE ab_assignments (
  conversation_id TEXT NOT NULL REFERENCES conversations(id),
  experiment      TEXT NOT NULL,
  variant         TEXT NOT NULL,
  assigned_at     TEXT NOT NULL,
  outcome         TEXT,
  csat            INTEGER,
  PRIMARY KEY (conversation_id, experiment)
);
CREATE INDEX ab_assignments_experiment ON ab_assignments(experiment, variant);
`,
};
