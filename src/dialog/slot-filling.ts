// Slot filling: reading a slot's value out of one message (entity of the right type, a choice
// word, or the slot's own pattern), filling other slots the message happens to answer, and
// reusing remembered entities.
import type { Entity, EntityType, Understanding } from '../nlu/types.ts';
import { ENTITY_TYPES, type FlowDefinition, type SlotDefinition } from './flow-schema.ts';
import type { DialogState, FlowFrame } from './state.ts';

export type SlotReading =
  | { kind: 'filled'; value: string; entityType: EntityType | null }
  /** The message answered, but with something unusable: re-ask with a hint. */
  | { kind: 'invalid'; problem: 'wrong_type' | 'date_not_future' | 'date_not_past' }
  | { kind: 'none' };

export function acceptedTypes(slot: SlotDefinition, filled: Readonly<Record<string, string>>): EntityType[] {
  const entity = slot.entity;
  if (entity === undefined) return [];
  if (typeof entity === 'string') return [entity];
  if (Array.isArray(entity)) return entity;
  const chosen = filled[entity.fromSlot];
  return chosen !== undefined && isEntityType(chosen) ? [chosen] : [];
}

/**
 * Reads one slot from a message. `asked` is true when this slot is the question just put to the
 * customer: only then do bare-text patterns and choice words count, because "1234" or "phone"
 * mean something only as an answer.
 */
export function readSlot(
  slot: SlotDefinition,
  filled: Readonly<Record<string, string>>,
  input: Understanding,
  today: string,
  asked: boolean,
  consumed: ReadonlySet<Entity> = new Set(),
): SlotReading & { entity?: Entity } {
  if (slot.choices) {
    const byEntity = slot.choices.filter((c) => c.entity !== undefined && input.entities.some((e) => e.type === c.entity));
    if (byEntity.length === 1 && byEntity[0]) return { kind: 'filled', value: byEntity[0].value, entityType: null };
    if (!asked) return { kind: 'none' };
    const text = input.text.toLowerCase();
    // Customers mix languages ("我用email注册的"), so both languages' words count.
    const byWord = slot.choices.filter((c) => [...c.synonyms.en, ...c.synonyms.zh].some((w) => text.includes(w.toLowerCase())));
    if (byWord.length === 1 && byWord[0]) return { kind: 'filled', value: byWord[0].value, entityType: null };
    return input.entities.length > 0 ? { kind: 'invalid', problem: 'wrong_type' } : { kind: 'none' };
  }

  const types = acceptedTypes(slot, filled);
  const entity = input.entities.find((e) => types.includes(e.type) && !consumed.has(e));
  if (entity) {
    const problem = dateProblem(slot, entity.value, today);
    if (problem) return { kind: 'invalid', problem };
    return { kind: 'filled', value: entity.value, entityType: entity.type, entity };
  }
  if (asked && slot.pattern !== undefined) {
    const match = new RegExp(slot.pattern, 'u').exec(input.text);
    const value = match ? (match[1] ?? match[0]) : undefined;
    if (value) return { kind: 'filled', value, entityType: types[0] ?? null };
  }
  // An entity of another type ("my e-mail" when we asked for the phone) is a wrong answer, not a digression.
  if (asked && input.entities.length > 0) return { kind: 'invalid', problem: 'wrong_type' };
  return { kind: 'none' };
}

function dateProblem(slot: SlotDefinition, value: string, today: string): 'date_not_future' | 'date_not_past' | null {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const day = value.slice(0, 10);
  if (slot.constraint === 'future' && day < today) return 'date_not_future';
  if (slot.constraint === 'past' && day > today) return 'date_not_past';
  return null;
}

export interface FillResult {
  /** What happened to the slot that was asked, if one was. */
  asked: SlotReading | null;
  /** Slots filled by this message, with the entity type they came from (null for choices). */
  filled: { slot: string; value: string; entityType: EntityType | null }[];
}

/** Fills the asked slot, then any other empty slot the same message answers ("my card ending 1234 is lost"). */
export function fillFromMessage(flow: FlowDefinition, frame: FlowFrame, input: Understanding, today: string, askedSlot: string | null): FillResult {
  const consumed = new Set<Entity>();
  const result: FillResult = { asked: null, filled: [] };
  const take = (slot: SlotDefinition, reading: SlotReading & { entity?: Entity }) => {
    if (reading.kind !== 'filled') return;
    frame.slots[slot.name] = reading.value;
    if (reading.entity) consumed.add(reading.entity);
    result.filled.push({ slot: slot.name, value: reading.value, entityType: reading.entityType });
  };
  const asked = askedSlot === null ? undefined : flow.slots.find((s) => s.name === askedSlot);
  if (asked) {
    const reading = readSlot(asked, frame.slots, input, today, true, consumed);
    result.asked = reading;
    take(asked, reading);
  }
  // In slot order, so a choice filled from an entity ("bob@x.com" → channel=email) lets the
  // slot whose type depends on it take the same entity.
  for (const slot of flow.slots) {
    if (slot === asked || frame.slots[slot.name] !== undefined) continue;
    take(slot, readSlot(slot, frame.slots, input, today, false, consumed));
  }
  return result;
}

/** At the confirmation step, a new value of a type a slot takes replaces the old one ("no, it's 6222…"). */
export function correctFromMessage(flow: FlowDefinition, frame: FlowFrame, input: Understanding): string[] {
  const changed: string[] = [];
  const consumed = new Set<Entity>();
  for (const slot of flow.slots) {
    if (slot.choices) continue;
    const entity = input.entities.find((e) => acceptedTypes(slot, frame.slots).includes(e.type) && !consumed.has(e));
    if (!entity || frame.slots[slot.name] === entity.value) continue;
    consumed.add(entity);
    frame.slots[slot.name] = entity.value;
    changed.push(slot.name);
  }
  return changed;
}

export function nextEmptySlot(flow: FlowDefinition, frame: FlowFrame): SlotDefinition | null {
  return flow.slots.find((s) => frame.slots[s.name] === undefined) ?? null;
}

/** A remembered entity this slot accepts, if reuse is allowed for it. */
export function recallForSlot(slot: SlotDefinition, frame: FlowFrame, state: DialogState): { type: EntityType; value: string } | null {
  if (!slot.remember || slot.choices) return null;
  for (const type of acceptedTypes(slot, frame.slots)) {
    const remembered = state.memory[type];
    if (remembered) return { type, value: remembered.value };
  }
  return null;
}

export function isEntityType(value: string): value is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(value);
}

/** The branch's calendar day: date slots compare against the local date, not UTC. */
export function localIsoDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
