// Handing the conversation to a person: the summary an agent sees (so the customer never
// repeats themselves) and the state change to 'awaiting_agent'.
import type { Understanding } from '../nlu/types.ts';
import { findFlow, type FlowCatalog } from './catalog.ts';
import { memorySnapshot } from './memory.ts';
import type { DialogState } from './state.ts';
import type { DialogAction, HandoffReason, HandoffSummary } from './types.ts';

export function buildHandoffSummary(state: DialogState, reason: HandoffReason, input: Understanding, catalog: FlowCatalog): HandoffSummary {
  const top = state.stack.at(-1);
  const flow = top ? findFlow(catalog, top.flowId, top.flowVersion) : null;
  const pendingQuestion = top ? (top.pending.kind === 'slot' ? top.pending.slot : 'confirmation') : null;
  const activeFlow = top
    ? { id: top.flowId, version: top.flowVersion, title: flow?.title.en ?? top.flowId, pendingQuestion, slots: { ...top.slots } }
    : null;
  const memory = memorySnapshot(state);
  const summary: Omit<HandoffSummary, 'text'> = {
    reason,
    language: state.language,
    lastIntent: state.lastIntent,
    lastCustomerMessage: input.text,
    activeFlow,
    suspendedFlows: state.stack.slice(0, -1).map((f) => ({ id: f.flowId, version: f.flowVersion, slots: { ...f.slots } })),
    memory,
    articlesUsed: [...state.articlesUsed],
    turns: state.turn,
    experiments: { ...state.experiments },
  };
  return { ...summary, text: summaryLine(summary) };
}

const REASON_TEXT: Record<HandoffReason, string> = {
  customer_request: 'Customer asked for an agent',
  repeated_misunderstanding: 'Bot repeatedly could not understand the customer',
  out_of_scope: 'Customer asked about things the bot does not handle',
};

function summaryLine(s: Omit<HandoffSummary, 'text'>): string {
  const parts = [`${REASON_TEXT[s.reason]} (${s.language}).`];
  if (s.activeFlow) {
    const slots = Object.entries(s.activeFlow.slots).map(([k, v]) => `${k}=${v}`).join(', ');
    parts.push(`During: ${s.activeFlow.title}${slots ? ` [${slots}]` : ''}${s.activeFlow.pendingQuestion ? `, waiting for ${s.activeFlow.pendingQuestion}` : ''}.`);
  }
  if (s.lastIntent) parts.push(`Last intent: ${s.lastIntent.name} (${s.lastIntent.confidence.toFixed(2)}).`);
  const known = Object.entries(s.memory).map(([k, v]) => `${k}=${v}`).join(', ');
  if (known) parts.push(`Known: ${known}.`);
  if (s.articlesUsed.length > 0) parts.push(`Articles shown: ${s.articlesUsed.join(', ')}.`);
  return parts.join(' ');
}

/** Moves the state to 'awaiting_agent' and returns the handoff action. */
export function handOff(state: DialogState, reason: HandoffReason, input: Understanding, catalog: FlowCatalog): DialogAction {
  const summary = buildHandoffSummary(state, reason, input, catalog);
  state.status = 'awaiting_agent';
  state.outcome = 'handoff';
  state.openQuestion = null;
  return { type: 'handoff', reason, summary };
}
