// The dialog state machine. One customer message in, the next state plus what the bot says
// and does out; pure and synchronous (the clock and the knowledge base are injected).
//
//   active ──agent.request / N misunderstandings──▶ awaiting_agent ──returnToBot──▶ active
//   active ──goodbye / closeConversation──────────▶ closed (terminal: further turns throw)
//
// Within 'active', precedence per message: agent request > cancel > repeat > the answer to the
// pending question (slot value, yes/no) > a digression (KB question, small talk, another flow,
// which pushes onto the stack and resumes the interrupted flow when done) > KB-search fallback
// > clarification.
import { AppError } from '../errors/index.ts';
import type { Language, Understanding } from '../nlu/types.ts';
import type { Article } from '../knowledge/types.ts';
import { assignExperiments } from './experiments.ts';
import { capabilityList, clearlyRelevantArticle, FALLBACK_SEARCH_LIMIT } from './fallback.ts';
import { advance, ask, askAnythingElse, completeFlow, flowOf, pendingQuestion, recordFills, resumeSuspended, startFlow, today } from './flow-runner.ts';
import { handOff } from './handoff.ts';
import { INTENT, kbTopicOf } from './intents.ts';
import { rememberEntities } from './memory.ts';
import { message } from './messages.ts';
import { correctFromMessage, fillFromMessage } from './slot-filling.ts';
import { DIALOG_STATE_VERSION, type DialogState, type FlowFrame, type Outcome } from './state.ts';
import { lang, newTurn, say, sayMessage, settingsOf, yesNoSuggestions, type Turn } from './turn.ts';
import type { BotReply, DialogDeps, TurnResult } from './types.ts';
import { readYesNo } from './yes-no.ts';

export interface StartOptions {
  conversationId: string;
  language?: Language;
  /** Assignments already decided elsewhere (e.g. restored); experiments not listed are assigned here. */
  experimentAssignments?: Record<string, string>;
}

export function startConversation(opts: StartOptions, deps: DialogDeps): { state: DialogState; replies: BotReply[] } {
  const settings = deps.flows.settings;
  const language = opts.language ?? settings.defaultLanguage;
  const state: DialogState = {
    schemaVersion: DIALOG_STATE_VERSION,
    conversationId: opts.conversationId,
    status: 'active',
    language,
    turn: 0,
    stack: [],
    openQuestion: null,
    memory: {},
    misunderstandings: 0,
    outOfScopeStreak: 0,
    lastIntent: null,
    articlesUsed: [],
    resolvedCount: 0,
    experiments: { ...assignExperiments(deps.flows, opts.conversationId), ...opts.experimentAssignments },
    lastReplies: [],
    outcome: null,
  };
  const reply: BotReply = {
    text: message(settings, 'greeting', language, { capabilities: capabilityList(deps.flows, language) }),
    language,
    citations: [],
  };
  state.lastReplies = [{ text: reply.text, citations: [] }];
  return { state, replies: [reply] };
}

export function handleTurn(previous: DialogState, input: Understanding, deps: DialogDeps): TurnResult {
  if (previous.status === 'closed') {
    throw new AppError('CONVERSATION_CLOSED', `Conversation ${previous.conversationId} is closed`);
  }
  const state = structuredClone(previous);
  const turn = newTurn(state, input, deps);
  const settings = settingsOf(turn);
  state.turn += 1;
  if (input.languageConfidence >= settings.languageSwitchConfidence) state.language = input.language;

  if (state.status === 'awaiting_agent') {
    sayMessage(turn, 'agentWait');
    return finish(turn);
  }

  rememberEntities(state, input.entities, settings);
  state.lastIntent = { name: input.intent ?? INTENT.none, confidence: input.confidence };
  route(turn, understoodIntent(turn));
  if (!turn.misunderstood) {
    state.misunderstandings = 0;
    state.outOfScopeStreak = 0;
  }
  return finish(turn);
}

/** Ends a conversation the customer walked away from (kiosk timeout, hang-up). */
export function closeConversation(previous: DialogState): TurnResult {
  if (previous.status === 'closed') throw new AppError('CONVERSATION_CLOSED', `Conversation ${previous.conversationId} is closed`);
  const state = structuredClone(previous);
  // A conversation already handed off keeps 'handoff' as its outcome.
  const outcome: Outcome = state.outcome ?? (state.resolvedCount > 0 ? 'resolved' : 'abandoned');
  state.status = 'closed';
  state.outcome = outcome;
  return { state, replies: [], actions: [{ type: 'close', outcome }], outcome };
}

/** An agent hands the conversation back: the bot starts afresh but keeps memory and history. */
export function returnToBot(previous: DialogState, deps: DialogDeps): { state: DialogState; replies: BotReply[] } {
  if (previous.status !== 'awaiting_agent') {
    throw new AppError('CONVERSATION_STATE_CONFLICT', `Conversation ${previous.conversationId} is ${previous.status}, not with an agent`);
  }
  const state = structuredClone(previous);
  Object.assign(state, { status: 'active', stack: [], openQuestion: null, misunderstandings: 0, outOfScopeStreak: 0, outcome: null });
  const reply: BotReply = { text: message(deps.flows.settings, 'botBack', state.language), language: state.language, citations: [] };
  return { state, replies: [reply] };
}

function finish(turn: Turn): TurnResult {
  const { state } = turn;
  if (turn.replies.length > 0) state.lastReplies = turn.replies.map((r) => ({ text: r.text, citations: r.citations }));
  const result: TurnResult = { state, replies: turn.replies, actions: turn.actions };
  if (turn.outcome) result.outcome = turn.outcome;
  return result;
}

/** The intent when the NLU placed the message, else null. 'none' is the NLU's name for chatter. */
function understoodIntent(turn: Turn): string | null {
  const { input } = turn;
  if (input.outOfScope || input.intent === null || input.intent === INTENT.none) return null;
  if (input.confidence < settingsOf(turn).minIntentConfidence) return null;
  return input.intent;
}

function route(turn: Turn, intent: string | null): void {
  if (intent === INTENT.agent) return void handOffTo(turn, 'customer_request');
  if (intent === INTENT.cancel) return cancel(turn);
  if (intent === INTENT.repeat) return repeat(turn);

  const top = turn.state.stack.at(-1);
  if (top) {
    const flow = flowOf(turn, top);
    if (!flow) {
      if (resumeSuspended(turn)) return;
    } else if (answerPending(turn, top, intent)) return;
  } else if (turn.state.openQuestion && answerOpenQuestion(turn, intent)) return;
  turn.state.openQuestion = null;

  if (intent !== null && routeIntent(turn, intent)) return;
  notUnderstood(turn);
}

/** The answer to the flow's pending question. False lets the message be handled as a digression. */
function answerPending(turn: Turn, frame: FlowFrame, intent: string | null): boolean {
  const flow = flowOf(turn, frame);
  if (!flow) return false;
  const { input } = turn;

  if (frame.pending.kind === 'confirm') {
    if (correctFromMessage(flow, frame, input).length > 0) {
      ask(turn, frame, flow);
      return true;
    }
    const answer = readYesNo(input);
    if (answer === 'yes') {
      completeFlow(turn, frame, flow);
      return true;
    }
    if (answer === 'no') {
      turn.state.stack.pop();
      say(turn, flow.declined?.[lang(turn)] ?? message(settingsOf(turn), 'declined', lang(turn)));
      if (!resumeSuspended(turn)) askAnythingElse(turn);
      return true;
    }
    if (isDigression(intent)) return false;
    return misunderstoodInFlow(turn, frame, 'yes_no');
  }

  const fill = fillFromMessage(flow, frame, input, today(turn), frame.pending.slot);
  recordFills(turn, fill.filled);
  if (fill.asked?.kind === 'filled') {
    advance(turn, frame, flow);
    return true;
  }
  if (isDigression(intent)) return false;
  const problem = fill.asked?.kind === 'invalid' ? fill.asked.problem : 'wrong_type';
  return misunderstoodInFlow(turn, frame, problem);
}

function isDigression(intent: string | null): boolean {
  return intent !== null && intent !== INTENT.affirm && intent !== INTENT.deny;
}

function misunderstoodInFlow(turn: Turn, frame: FlowFrame, problem: 'wrong_type' | 'date_not_future' | 'date_not_past' | 'yes_no'): boolean {
  if (countMisunderstanding(turn)) return true;
  const flow = flowOf(turn, frame);
  if (!flow) return false;
  if (problem === 'wrong_type') {
    const q = pendingQuestion(turn, frame, flow, true);
    say(turn, q.text, { suggestions: q.suggestions });
    return true;
  }
  const q = pendingQuestion(turn, frame, flow);
  const key = problem === 'yes_no' ? 'yesNo' : problem === 'date_not_future' ? 'dateNotFuture' : 'dateNotPast';
  sayMessage(turn, key, { prompt: q.text }, q.suggestions);
  return true;
}

/** Replies to "anything else?" / "shall I get an agent?". False when the message is about something new. */
function answerOpenQuestion(turn: Turn, intent: string | null): boolean {
  const question = turn.state.openQuestion;
  if (!question || (intent !== null && isDigression(intent))) return false;
  const answer = readYesNo(turn.input);
  if (answer === null) return false;
  turn.state.openQuestion = null;
  if (question.kind === 'offer_agent') {
    if (answer === 'yes') return handOffTo(turn, 'customer_request');
    sayMessage(turn, 'offerDeclined');
    askAnythingElse(turn);
    return true;
  }
  if (answer === 'yes') sayMessage(turn, 'whatElse');
  else close(turn);
  return true;
}

/** Intents that mean something on their own: small talk, a KB topic, or a flow trigger. */
function routeIntent(turn: Turn, intent: string): boolean {
  const { deps } = turn;
  switch (intent) {
    case INTENT.goodbye:
      close(turn);
      return true;
    case INTENT.greet:
      sayMessage(turn, 'hello');
      if (!resumeSuspended(turn)) sayMessage(turn, 'whatElse');
      return true;
    case INTENT.thanks:
      sayMessage(turn, 'welcome');
      if (!resumeSuspended(turn)) askAnythingElse(turn);
      return true;
    case INTENT.affirm:
    case INTENT.deny:
      sayMessage(turn, 'whatElse');
      return true;
  }

  // A flow that lists the intent wins over a plain KB answer: card.lost and kb.lost-card both start
  // the lost-card flow, which ends by citing the same article anyway.
  const flowId = deps.flows.triggers.get(intent);
  if (flowId) return startOrRefocus(turn, flowId);

  const topic = kbTopicOf(intent);
  if (topic) {
    const article = deps.knowledge.byTopic(topic, lang(turn)) ?? searchFallback(turn);
    if (!article) return false;
    answerWithArticle(turn, article);
    return true;
  }
  return false;
}

function startOrRefocus(turn: Turn, flowId: string): boolean {
  const { state } = turn;
  const top = state.stack.at(-1);
  const running = state.stack.find((f) => f.flowId === flowId);
  const blocker = running ?? (state.stack.length >= settingsOf(turn).maxStackDepth ? top : undefined);
  if (blocker && top) {
    const flow = flowOf(turn, blocker);
    const topFlow = flowOf(turn, top);
    if (flow && topFlow) {
      sayMessage(turn, running ? 'alreadyDoing' : 'stackFull', { title: flow.title[lang(turn)] });
      const q = pendingQuestion(turn, top, topFlow);
      say(turn, q.text, { suggestions: q.suggestions });
      return true;
    }
  }
  startFlow(turn, flowId);
  return true;
}

function answerWithArticle(turn: Turn, article: Article): void {
  const { state } = turn;
  say(turn, article.body, { citations: [article.id] });
  if (!state.articlesUsed.includes(article.id)) state.articlesUsed.push(article.id);
  state.resolvedCount += 1;
  if (!resumeSuspended(turn)) askAnythingElse(turn);
}

function searchFallback(turn: Turn): Article | null {
  const { input, deps } = turn;
  if (input.text.trim() === '') return null;
  const hits = deps.knowledge.search(input.text, lang(turn), FALLBACK_SEARCH_LIMIT);
  return clearlyRelevantArticle(hits, lang(turn), settingsOf(turn).kbFallback);
}

function notUnderstood(turn: Turn): void {
  const { state } = turn;
  const top = state.stack.at(-1);
  if (top) {
    // A digression we could not place: the pending question is the most useful thing to repeat.
    misunderstoodInFlow(turn, top, top.pending.kind === 'confirm' ? 'yes_no' : 'wrong_type');
    return;
  }
  const article = searchFallback(turn);
  if (article) return answerWithArticle(turn, article);
  if (countMisunderstanding(turn)) return;
  sayMessage(turn, 'clarify', { capabilities: capabilityList(turn.deps.flows, lang(turn)) });
}

/** Counts a misunderstood turn; true when that was one too many and the customer was handed off. */
function countMisunderstanding(turn: Turn): boolean {
  const { state, deps, input } = turn;
  turn.misunderstood = true;
  state.misunderstandings += 1;
  state.outOfScopeStreak = input.outOfScope || input.intent === INTENT.none ? state.outOfScopeStreak + 1 : 0;
  const limit = deps.maxMisunderstandings ?? settingsOf(turn).maxMisunderstandings;
  if (state.misunderstandings < limit) return false;
  // Only plainly off-topic messages make it 'out_of_scope'; garbled answers to a question do not.
  handOffTo(turn, state.outOfScopeStreak >= state.misunderstandings && state.stack.length === 0 ? 'out_of_scope' : 'repeated_misunderstanding');
  return true;
}

function handOffTo(turn: Turn, reason: Parameters<typeof handOff>[1]): true {
  turn.actions.push(handOff(turn.state, reason, turn.input, turn.deps.flows));
  turn.outcome = 'handoff';
  sayMessage(turn, 'handoff');
  return true;
}

function close(turn: Turn): void {
  const { state } = turn;
  const outcome: Outcome = state.resolvedCount > 0 ? 'resolved' : 'abandoned';
  state.status = 'closed';
  state.outcome = outcome;
  state.openQuestion = null;
  turn.actions.push({ type: 'close', outcome });
  turn.outcome = outcome;
  sayMessage(turn, 'goodbye');
}

/** Cancels the running flow (only the top one: a suspended flow resumes), or says there is nothing to cancel. */
function cancel(turn: Turn): void {
  const { state } = turn;
  state.openQuestion = null;
  const frame = state.stack.pop();
  if (!frame) return sayMessage(turn, 'nothingToCancel');
  const flow = flowOf(turn, frame);
  sayMessage(turn, 'cancelled', { title: flow?.title[lang(turn)] ?? frame.flowId });
  if (!resumeSuspended(turn)) askAnythingElse(turn);
}

/** Repeats the pending question in the customer's current language, else the last replies. */
function repeat(turn: Turn): void {
  const { state } = turn;
  const top = state.stack.at(-1);
  const flow = top ? flowOf(turn, top) : null;
  if (top && flow) {
    const q = pendingQuestion(turn, top, flow);
    return say(turn, q.text, { suggestions: q.suggestions });
  }
  if (state.openQuestion?.kind === 'anything_else') return sayMessage(turn, 'anythingElse', {}, yesNoSuggestions(turn));
  for (const r of state.lastReplies) say(turn, r.text, { citations: r.citations });
}
