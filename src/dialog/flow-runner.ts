// Running one flow: start it (version and options from the conversation's experiments), fill
// what the message and memory already answer, ask the next question, confirm, and complete
// (reply citing the KB article, ticket action), then resume whatever flow it interrupted.
import type { EntityType } from '../nlu/types.ts';
import { findFlow } from './catalog.ts';
import { variantForFlow } from './experiments.ts';
import type { FlowDefinition, SlotDefinition } from './flow-schema.ts';
import { rememberValue } from './memory.ts';
import { describeEntity } from './messages.ts';
import { fillFromMessage, localIsoDate, nextEmptySlot, recallForSlot } from './slot-filling.ts';
import type { FlowFrame } from './state.ts';
import { renderTemplate } from './templates.ts';
import { lang, say, sayMessage, settingsOf, text, yesNoSuggestions, type Turn } from './turn.ts';

export function flowOf(turn: Turn, frame: FlowFrame): FlowDefinition | null {
  return findFlow(turn.deps.flows, frame.flowId, frame.flowVersion);
}

export function today(turn: Turn): string {
  return localIsoDate(turn.deps.now());
}

/** Slot values as the customer should read them: choice labels in their language, the rest as given. */
export function displayValues(flow: FlowDefinition, slots: Readonly<Record<string, string>>, language: 'en' | 'zh'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const slot of flow.slots) {
    const value = slots[slot.name];
    if (value === undefined) continue;
    out[slot.name] = slot.choices?.find((c) => c.value === value)?.label[language] ?? value;
  }
  return out;
}

export interface Question {
  text: string;
  suggestions: string[];
}

/** The question the frame is waiting on, in the customer's current language. */
export function pendingQuestion(turn: Turn, frame: FlowFrame, flow: FlowDefinition, reprompt = false): Question {
  const language = lang(turn);
  const values = displayValues(flow, frame.slots, language);
  if (frame.pending.kind === 'confirm') {
    return { text: renderTemplate(flow.confirm?.[language] ?? '', values), suggestions: yesNoSuggestions(turn) };
  }
  const name = frame.pending.slot;
  const slot = flow.slots.find((s) => s.name === name);
  if (!slot) return { text: '', suggestions: [] };
  return {
    text: renderTemplate((reprompt ? slot.reprompt : slot.prompt)[language], values),
    suggestions: slot.choices?.map((c) => c.label[language]) ?? [],
  };
}

/** Begins a flow on top of the stack, filling whatever the triggering message already says. */
export function startFlow(turn: Turn, flowId: string): void {
  const { flows } = turn.deps;
  const variant = variantForFlow(flows, turn.state.experiments, flowId);
  const flow = findFlow(flows, flowId, variant.version) ?? findFlow(flows, flowId);
  if (!flow) return;
  const frame: FlowFrame = {
    flowId,
    flowVersion: flow.version,
    askConfirmation: variant.askConfirmation ?? flow.confirm !== undefined,
    slots: {},
    pending: { kind: 'slot', slot: '' },
  };
  turn.state.stack.push(frame);
  recordFills(turn, fillFromMessage(flow, frame, turn.input, today(turn), null).filled);
  advance(turn, frame, flow);
}

export function recordFills(turn: Turn, filled: readonly { value: string; entityType: EntityType | null }[]): void {
  for (const f of filled) if (f.entityType) rememberValue(turn.state, f.entityType, f.value, settingsOf(turn));
}

/**
 * Moves a frame to its next question: remembered values fill slots silently (with a note saying
 * so), then the first empty slot is asked, then the confirmation, then the flow completes.
 * `resuming` wraps the question in "Back to …" after a digression.
 */
export function advance(turn: Turn, frame: FlowFrame, flow: FlowDefinition, resuming = false): void {
  for (;;) {
    const slot = nextEmptySlot(flow, frame);
    if (!slot) break;
    if (!reuseRemembered(turn, frame, slot)) {
      frame.pending = { kind: 'slot', slot: slot.name };
      return ask(turn, frame, flow, resuming);
    }
  }
  if (frame.askConfirmation && flow.confirm) {
    frame.pending = { kind: 'confirm' };
    return ask(turn, frame, flow, resuming);
  }
  completeFlow(turn, frame, flow);
}

function reuseRemembered(turn: Turn, frame: FlowFrame, slot: SlotDefinition): boolean {
  const recalled = recallForSlot(slot, frame, turn.state);
  if (!recalled) return false;
  frame.slots[slot.name] = recalled.value;
  turn.notes.push(text(turn, 'reuse', { what: describeEntity(settingsOf(turn), recalled.type, recalled.value, lang(turn)) }));
  return true;
}

export function ask(turn: Turn, frame: FlowFrame, flow: FlowDefinition, resuming = false): void {
  const q = pendingQuestion(turn, frame, flow);
  const body = resuming ? text(turn, 'backTo', { title: flow.title[lang(turn)], prompt: q.text }) : q.text;
  say(turn, body, { suggestions: q.suggestions });
}

/** Finishes the top frame: the answer (citing its article), the ticket, then what comes next. */
export function completeFlow(turn: Turn, frame: FlowFrame, flow: FlowDefinition): void {
  const { state, deps } = turn;
  const language = lang(turn);
  state.stack.pop();
  const done = flow.complete;
  let reply = renderTemplate(done.reply[language], displayValues(flow, frame.slots, language));
  const citations: string[] = [];
  const article = done.cite ? deps.knowledge.byTopic(done.cite, language) : null;
  if (article) {
    reply = `${reply}\n\n${article.body}`;
    citations.push(article.id);
    if (!state.articlesUsed.includes(article.id)) state.articlesUsed.push(article.id);
  }
  say(turn, reply, { citations });
  if (done.ticket) {
    const fields: Record<string, string> = {};
    for (const name of done.ticket.fields ?? Object.keys(frame.slots)) {
      const value = frame.slots[name];
      if (value !== undefined) fields[name] = value;
    }
    turn.actions.push({
      type: 'create_ticket',
      subject: renderTemplate(done.ticket.subject, frame.slots),
      description: renderTemplate(done.ticket.description, frame.slots),
      priority: done.ticket.priority,
      fields: { ...fields, flowId: flow.id, flowVersion: String(flow.version), language },
    });
  }
  state.resolvedCount += 1;
  if (resumeSuspended(turn)) return;
  if (done.offerAgent) {
    state.openQuestion = { kind: 'offer_agent', flowId: flow.id };
    say(turn, renderTemplate(done.offerAgent[language], displayValues(flow, frame.slots, language)), { suggestions: yesNoSuggestions(turn) });
    return;
  }
  askAnythingElse(turn);
}

/** After a flow ends or a digression is answered, picks the interrupted flow back up. */
export function resumeSuspended(turn: Turn): boolean {
  for (;;) {
    const below = turn.state.stack.at(-1);
    if (!below) return false;
    const flow = flowOf(turn, below);
    if (flow) {
      advance(turn, below, flow, true);
      return true;
    }
    // The flow was removed by a catalog reload: say so and drop it rather than fail the turn.
    turn.state.stack.pop();
    sayMessage(turn, 'flowUnavailable', { title: below.flowId });
  }
}

export function askAnythingElse(turn: Turn): void {
  turn.state.openQuestion = { kind: 'anything_else' };
  sayMessage(turn, 'anythingElse', {}, yesNoSuggestions(turn));
}
