// Test helpers for the dialog engine: hand-built Understanding objects, an in-memory knowledge
// stub, the demo flows from models/flows, and a runner for table-driven multi-turn scripts.
import { expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { Article, SearchHit } from '../../src/knowledge/types.ts';
import type { Entity, EntityType, Language, Understanding } from '../../src/nlu/types.ts';
import {
  handleTurn,
  loadFlows,
  parseDialogState,
  startConversation,
  type DialogAction,
  type DialogDeps,
  type DialogState,
  type FlowCatalog,
  type TurnResult,
} from '../../src/dialog/index.ts';

export const FLOWS_DIR = fileURLToPath(new URL('../../models/flows/', import.meta.url));
export const INTENTS_DIR = fileURLToPath(new URL('../../models/nlu/intents/', import.meta.url));

/** A fixed Wednesday noon, local time: date slots compare against it. */
export const NOW = new Date(2025, 5, 11, 12, 0, 0);

export interface MsgOptions {
  intent?: string | null;
  confidence?: number;
  language?: Language;
  languageConfidence?: number;
  outOfScope?: boolean;
  entities?: [EntityType, string][];
}

/** What the NLU would say about a message; language defaults from the script (CJK → zh). */
export function msg(text: string, opts: MsgOptions = {}): Understanding {
  const intent = opts.intent === undefined ? null : opts.intent;
  const cjk = /\p{Script=Han}/u.test(text);
  const wordy = /[a-z]{3,}/i.test(text.replace(/\S+@\S+/g, ''));
  const entities: Entity[] = (opts.entities ?? []).map(([type, value]) => {
    const at = text.indexOf(value);
    return { type, value, text: value, start: Math.max(0, at), end: Math.max(0, at) + value.length };
  });
  return {
    text,
    language: opts.language ?? (cjk ? 'zh' : 'en'),
    // Digits and addresses carry no language: the engine must keep the conversation's language.
    languageConfidence: opts.languageConfidence ?? (cjk || wordy ? 0.95 : 0.3),
    intent,
    confidence: opts.confidence ?? (intent === null ? 0.2 : 0.9),
    outOfScope: opts.outOfScope ?? intent === null,
    ranking: intent === null ? [] : [{ intent, score: opts.confidence ?? 0.9 }],
    entities,
  };
}

export function article(topic: string, language: Language, body: string): Article {
  return {
    id: `${topic}.${language}`,
    topic,
    language,
    category: 'general',
    title: topic,
    body,
    tags: [],
    questions: [],
    status: 'published',
    version: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
  };
}

export const ARTICLES: Article[] = [
  article('password-reset', 'en', 'To reset your online banking password, use the link we send to your registered contact.'),
  article('password-reset', 'zh', '重置网银密码：请使用我们发送到您登记联系方式的链接。'),
  article('lost-card', 'en', 'If your card is lost, block it immediately and request a replacement.'),
  article('lost-card', 'zh', '银行卡丢失请立即冻结并申请补卡。'),
  article('balance-inquiry', 'en', 'Check your balance in the mobile app, at an ATM, or at the counter with ID.'),
  article('balance-inquiry', 'zh', '您可以通过手机银行、ATM或持身份证到柜台查询余额。'),
  article('opening-hours', 'en', 'We are open 9:00 to 17:00, Monday to Saturday.'),
  article('opening-hours', 'zh', '营业时间为周一至周六 9:00 至 17:00。'),
  article('atm-locations', 'en', 'ATMs are in the lobby and at the metro entrance.'),
  article('atm-locations', 'zh', 'ATM位于大堂和地铁站入口。'),
];

/** KB stub: byTopic from ARTICLES; search answers from a per-test table keyed by message text. */
export function knowledgeStub(searchTable: Record<string, [string, number][]> = {}): DialogDeps['knowledge'] & { searches: string[] } {
  const searches: string[] = [];
  return {
    searches,
    byTopic: (topic, language) => ARTICLES.find((a) => a.topic === topic && a.language === language) ?? null,
    search: (text, _language, limit): SearchHit[] => {
      searches.push(text);
      return (searchTable[text] ?? []).slice(0, limit).map(([id, score]) => {
        const found = ARTICLES.find((a) => a.id === id);
        if (!found) throw new Error(`no stub article ${id}`);
        return { article: found, score, snippet: found.body.slice(0, 40) };
      });
    },
  };
}

let demoCatalog: FlowCatalog | null = null;
export function demoFlows(): FlowCatalog {
  demoCatalog ??= loadFlows(FLOWS_DIR);
  return demoCatalog;
}

/**
 * Deps with the demo flows and the experiments pinned to control unless said otherwise, so scripts
 * do not depend on which variant a conversation id hashes to.
 */
export function makeDeps(over: Partial<DialogDeps> & { search?: Record<string, [string, number][]> } = {}): DialogDeps {
  const { search, ...rest } = over;
  return { flows: demoFlows(), knowledge: knowledgeStub(search), now: () => NOW, ...rest };
}

export const CONTROL = { 'password-reset-shape': 'control' };

export interface Expect {
  /** Substrings that must all appear in the turn's replies (joined). */
  says?: (string | RegExp)[];
  /** Substrings that must not appear. */
  notSays?: (string | RegExp)[];
  /** Article ids cited in the turn, in any reply. */
  cites?: string[];
  /** Action types in order (exactly); `[]` means none. */
  actions?: DialogAction['type'][];
  outcome?: TurnResult['outcome'];
  status?: DialogState['status'];
  check?: (r: TurnResult) => void;
}

export type Step = [Understanding, Expect];

export interface Script {
  name: string;
  language?: Language;
  experiments?: Record<string, string>;
  deps?: DialogDeps;
  greeting?: Expect;
  steps: Step[];
}

/** Runs a script; the state goes through JSON and back between every turn, as it does via SQLite. */
export function runScript(script: Script): TurnResult[] {
  const deps = script.deps ?? makeDeps();
  const start = startConversation(
    { conversationId: `conv-${script.name}`, experimentAssignments: script.experiments ?? CONTROL, ...(script.language ? { language: script.language } : {}) },
    deps,
  );
  if (script.greeting) expectTurn({ state: start.state, replies: start.replies, actions: [] }, script.greeting, 'greeting');
  let state = start.state;
  const results: TurnResult[] = [];
  script.steps.forEach(([input, expected], i) => {
    const result = handleTurn(state, input, deps);
    expectTurn(result, expected, `turn ${i + 1} ("${input.text}")`);
    results.push(result);
    state = parseDialogState(JSON.parse(JSON.stringify(result.state)));
  });
  return results;
}

export function replyText(r: Pick<TurnResult, 'replies'>): string {
  return r.replies.map((x) => x.text).join('\n');
}

function expectTurn(result: TurnResult, e: Expect, where: string): void {
  const text = replyText(result);
  for (const s of e.says ?? []) {
    if (typeof s === 'string') expect(text, `${where} should say "${s}"`).toContain(s);
    else expect(text, `${where} should match ${String(s)}`).toMatch(s);
  }
  for (const s of e.notSays ?? []) {
    if (typeof s === 'string') expect(text, `${where} should not say "${s}"`).not.toContain(s);
    else expect(text, `${where} should not match ${String(s)}`).not.toMatch(s);
  }
  if (e.cites) expect(result.replies.flatMap((r) => r.citations), `${where} citations`).toEqual(expect.arrayContaining(e.cites));
  if (e.actions) expect(result.actions.map((a) => a.type), `${where} actions`).toEqual(e.actions);
  if ('outcome' in e) expect(result.outcome, `${where} outcome`).toBe(e.outcome);
  if (e.status) expect(result.state.status, `${where} status`).toBe(e.status);
  e.check?.(result);
}

export function actionOf<T extends DialogAction['type']>(r: TurnResult, type: T): Extract<DialogAction, { type: T }> {
  const found = r.actions.find((a): a is Extract<DialogAction, { type: T }> => a.type === type);
  if (!found) throw new Error(`no ${type} action in ${JSON.stringify(r.actions)}`);
  return found;
}
