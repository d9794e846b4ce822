// Contact center: agent profiles (skills, capacity, presence), the handoff queue with offers
// and assignments, satisfaction comments, and the call a voice conversation belongs to.
import type { Migration } from './index.ts';

export const contactCenter: Migration = {
  version: 4,
  name: 'contact_center',
  up: `
CREATE TABLE agent_profiles (
  account_id        TEXT PRIMARY KEY REFERENCES accounts(id),
  languages         TEXT NOT NULL DEFAULT '["zh","en"]',
  topics            TEXT NOT NULL DEFAULT '[]',
  chat_capacity     INTEGER NOT NULL DEFAULT 3 CHECK (chat_capacity BETWEEN 0 AND 20),
  voice_capacity    INTEGER NOT NULL DEFAULT 1 CHECK (voice_capacity BETWEEN 0 AND 1),
  presence          TEXT NOT NULL DEFAULT 'offline' CHECK (presence IN ('available','busy','away','offline')),
  presence_at       TEXT NOT NULL,
  last_assigned_at  TEXT
);

-- One row per conversation that has ever waited for a person. The status column moves
-- waiting → offered → assigned → closed; a transfer puts it back to waiting.
CREATE TABLE handoffs (
  conversation_id   TEXT PRIMARY KEY REFERENCES conversations(id),
  queue_id          TEXT NOT NULL,
  channel           TEXT NOT NULL CHECK (channel IN ('chat','voice')),
  language          TEXT,
  status            TEXT NOT NULL CHECK (status IN ('waiting','offered','assigned','closed')),
  waiting_since     TEXT NOT NULL,
  queue_entered_at  TEXT NOT NULL,
  offered_to        TEXT REFERENCES accounts(id),
  offer_expires_at  TEXT,
  assigned_to       TEXT REFERENCES accounts(id),
  assigned_at       TEXT,
  declines          TEXT NOT NULL DEFAULT '[]',
  closed_at         TEXT,
  close_reason      TEXT,
  disposition       TEXT,
  notes             TEXT,
  -- Not null exactly while an agent holds it: at most one agent per conversation by construction.
  CHECK ((status = 'offered') = (offered_to IS NOT NULL)),
  CHECK ((status = 'assigned') = (assigned_to IS NOT NULL))
);
CREATE INDEX handoffs_open ON handoffs(status, queue_id) WHERE status <> 'closed';
CREATE INDEX handoffs_agent ON handoffs(assigned_to) WHERE status = 'assigned';

ALTER TABLE conversations ADD COLUMN csat_comment TEXT;
-- The PBX call behind a voice conversation: {"callId": "...", "callerNumber": "..."}.
ALTER TABLE conversations ADD COLUMN call_info TEXT;
`,
};
