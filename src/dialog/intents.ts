// Intent names the engine itself reacts to; everything else is either a flow trigger
// (from the flow files) or a knowledge-base topic ("kb.<topic>").
export const INTENT = {
  greet: 'greet',
  thanks: 'thanks',
  goodbye: 'goodbye',
  affirm: 'affirm',
  deny: 'deny',
  cancel: 'cancel',
  repeat: 'repeat',
  agent: 'agent.request',
  none: 'none',
} as const;

export const RESERVED_INTENTS: ReadonlySet<string> = new Set(Object.values(INTENT));

const KB_PREFIX = 'kb.';

/** "kb.lost-card" → "lost-card"; null for any other intent. */
export function kbTopicOf(intent: string): string | null {
  return intent.startsWith(KB_PREFIX) && intent.length > KB_PREFIX.length ? intent.slice(KB_PREFIX.length) : null;
}
