// The working context of one turn: the (cloned) state being advanced and what the bot says
// and does. Handlers append to it; engine.ts turns it into the TurnResult.
import type { Language, Understanding } from '../nlu/types.ts';
import type { DialogSettings } from './flow-schema.ts';
import { message, type MessageKey } from './messages.ts';
import type { DialogState, Outcome } from './state.ts';
import type { BotReply, DialogAction, DialogDeps } from './types.ts';

export interface Turn {
  readonly state: DialogState;
  readonly input: Understanding;
  readonly deps: DialogDeps;
  readonly replies: BotReply[];
  readonly actions: DialogAction[];
  outcome?: Outcome;
  /** Sentences (e.g. "I'll use the account ending 6789…") said in front of the next reply. */
  notes: string[];
  /** Set when this turn counted as a misunderstanding; any other turn resets the streak. */
  misunderstood: boolean;
}

export function newTurn(state: DialogState, input: Understanding, deps: DialogDeps): Turn {
  return { state, input, deps, replies: [], actions: [], notes: [], misunderstood: false };
}

export function settingsOf(turn: Turn): DialogSettings {
  return turn.deps.flows.settings;
}

export function lang(turn: Turn): Language {
  return turn.state.language;
}

export function say(turn: Turn, text: string, extra: { citations?: string[]; suggestions?: string[] } = {}): void {
  const joiner = lang(turn) === 'zh' ? '' : ' ';
  const full = [...turn.notes, text].filter((t) => t !== '').join(joiner);
  turn.notes = [];
  const reply: BotReply = { text: full, language: lang(turn), citations: extra.citations ?? [] };
  if (extra.suggestions && extra.suggestions.length > 0) reply.suggestions = extra.suggestions;
  turn.replies.push(reply);
}

export function sayMessage(turn: Turn, key: MessageKey, params: Record<string, string> = {}, suggestions?: string[]): void {
  say(turn, message(settingsOf(turn), key, lang(turn), params), suggestions ? { suggestions } : {});
}

export function text(turn: Turn, key: MessageKey, params: Record<string, string> = {}): string {
  return message(settingsOf(turn), key, lang(turn), params);
}

export function yesNoSuggestions(turn: Turn): string[] {
  return [text(turn, 'yes'), text(turn, 'no')];
}
