// Agent turns keep who wrote them: after a transfer two agents share one transcript, and a
// reloaded desk or kiosk has no other way to tell them apart.
import type { Migration } from './index.ts';

export const turnAuthor: Migration = {
  version: 7,
  name: 'turn_author',
  up: `
ALTER TABLE turns ADD COLUMN author_name TEXT;
`,
};
