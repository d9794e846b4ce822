// Numbered, forward-only schema migrations. Each capability owns its file; this list fixes
// the order. Never edit a released migration: add the next number instead.
import { core } from './001_core.ts';
import { knowledge } from './002_knowledge.ts';
import { contactCenter } from './004_contact_center.ts';
import { oauthClients } from './005_oauth_clients.ts';
import { voiceTurns } from './006_voice_turns.ts';
import { turnAuthor } from './007_turn_author.ts';
import { sync } from './003_sync.ts';

export interface Migration {
  version: number;
  name: string;
  up: string;
}

export const MIGRATIONS: readonly Migration[] = [core, knowledge, sync, contactCenter, oauthClients, voiceTurns, turnAuthor];
