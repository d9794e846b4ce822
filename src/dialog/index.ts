// Public face of the dialog engine: a pure, synchronous state machine over flows that are data
// (models/flows/*.yaml). Other folders import only from here.
export { startConversation, handleTurn, closeConversation, returnToBot, type StartOptions } from './engine.ts';
export { loadFlows, type LoadFlowsOptions } from './load-flows.ts';
export { buildCatalog, findFlow, type FlowCatalog, type FlowFamily, type FlowSource, type FlowProblem, type CatalogInput } from './catalog.ts';
export { assignExperiments, assignVariant, assignmentPoint, describeAssignments } from './experiments.ts';
export { parseDialogState, DIALOG_STATE_VERSION, type DialogState, type FlowFrame, type Outcome } from './state.ts';
export type { FlowDefinition, SlotDefinition, Experiment, ExperimentVariant, DialogSettings } from './flow-schema.ts';
export type {
  BotReply,
  DialogAction,
  DialogDeps,
  HandoffReason,
  HandoffSummary,
  KnowledgeLookup,
  TicketPriority,
  TurnResult,
} from './types.ts';
export { INTENT, kbTopicOf } from './intents.ts';
