// Conversation memory: identifying entities the customer gave once (account, card, phone,
// e-mail, name, order number), kept so a later flow can reuse them instead of asking again.
import type { Entity, EntityType } from '../nlu/types.ts';
import type { DialogSettings } from './flow-schema.ts';
import type { DialogState } from './state.ts';

export function rememberEntities(state: DialogState, entities: readonly Entity[], settings: DialogSettings): void {
  const kept = new Set<EntityType>(settings.memoryEntityTypes);
  for (const e of entities) {
    if (kept.has(e.type)) state.memory[e.type] = { value: e.value, text: e.text, turn: state.turn };
  }
}

/** Stores a value a flow collected (e.g. a bare "1234" read by a slot pattern) as if it were an entity. */
export function rememberValue(state: DialogState, type: EntityType, value: string, settings: DialogSettings): void {
  if (settings.memoryEntityTypes.includes(type)) state.memory[type] = { value, text: value, turn: state.turn };
}

export function memorySnapshot(state: DialogState): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [type, remembered] of Object.entries(state.memory)) if (remembered) out[type] = remembered.value;
  return out;
}
