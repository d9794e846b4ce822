// What the dialog engine gives back each turn and what it needs injected.
import type { Article, SearchHit } from '../knowledge/types.ts';
import type { Language } from '../nlu/types.ts';
import type { FlowCatalog } from './catalog.ts';
import type { DialogState, Outcome } from './state.ts';

export interface KnowledgeLookup {
  /** The published article of a topic in one language, or null. */
  byTopic(topic: string, language: Language): Article | null;
  search(text: string, language: Language, limit: number): SearchHit[];
}

export interface DialogDeps {
  flows: FlowCatalog;
  knowledge: KnowledgeLookup;
  now: () => Date;
  /** App configuration that overrides settings.yaml (the appliance config owns this knob too). */
  maxMisunderstandings?: number;
}

export interface BotReply {
  text: string;
  language: Language;
  /** Ids of the KB articles this reply is based on. */
  citations: string[];
  /** Quick-reply buttons for screens (choice labels, yes/no). */
  suggestions?: string[];
}

export type HandoffReason = 'customer_request' | 'repeated_misunderstanding' | 'out_of_scope';

/** Everything an agent needs to take over without asking the customer to repeat themselves. */
export interface HandoffSummary {
  reason: HandoffReason;
  language: Language;
  lastIntent: { name: string; confidence: number } | null;
  lastCustomerMessage: string;
  /** The flow that was running (the top of the stack), with what it had collected. */
  activeFlow: { id: string; version: number; title: string; pendingQuestion: string | null; slots: Record<string, string> } | null;
  /** Flows suspended under the active one. */
  suspendedFlows: { id: string; version: number; slots: Record<string, string> }[];
  /** Entities the customer gave during the conversation, by type. */
  memory: Record<string, string>;
  articlesUsed: string[];
  turns: number;
  experiments: Record<string, string>;
  /** One English line for the agent's queue view. */
  text: string;
}

export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';

export type DialogAction =
  | { type: 'handoff'; reason: HandoffReason; summary: HandoffSummary }
  | {
      type: 'create_ticket';
      subject: string;
      description: string;
      priority: TicketPriority;
      /** Slot values plus flowId/flowVersion/language. */
      fields: Record<string, string>;
    }
  | { type: 'close'; outcome: Outcome };

export interface TurnResult {
  state: DialogState;
  replies: BotReply[];
  actions: DialogAction[];
  /** Set on the turn the conversation ends (handoff or close): what the app records for A/B results. */
  outcome?: Outcome;
}
