// OAuth 2.0 clients of other systems (PBX integrations, the CRM bridge): they sign in with
// the client-credentials grant; only a hash of each secret is kept.
import type { Migration } from './index.ts';

export const oauthClients: Migration = {
  version: 5,
  name: 'oauth_clients',
  up: `
CREATE TABLE oauth_clients (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  secret_hash   TEXT NOT NULL,
  scopes        TEXT NOT NULL,
  revoked       INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  last_used_at  TEXT
);
`,
};
