// Voice turns keep what the recognizer said about them: its confidence and how long the
// caller spoke, so agents and supervisors can judge a transcript.
import type { Migration } from './index.ts';

export const voiceTurns: Migration = {
  version: 6,
  name: 'voice_turns',
  up: `
ALTER TABLE turns ADD COLUMN asr_confidence REAL;
ALTER TABLE turns ADD COLUMN audio_ms INTEGER;
`,
};
