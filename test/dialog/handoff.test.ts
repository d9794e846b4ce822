// Handoff: on request at any point, after repeated misunderstanding, with a full summary; then
// the bot only says an agent is coming until the conversation is handed back.
import { describe, expect, it } from 'vitest';
import { handleTurn, returnToBot, startConversation } from '../../src/dialog/index.ts';
import { actionOf, CONTROL, makeDeps, msg, replyText, runScript, type Script } from './fixtures.ts';

const agentEn = msg('I want to talk to a person', { intent: 'agent.request' });
const agentZh = msg('转人工', { intent: 'agent.request' });

const scripts: Script[] = [
  {
    name: 'agent request as the first message (en)',
    steps: [[agentEn, { says: ['connecting you to a colleague'], actions: ['handoff'], outcome: 'handoff', status: 'awaiting_agent' }]],
  },
  {
    name: 'agent request mid slot filling carries the flow and its slots (zh)',
    steps: [
      [msg('我要重置密码', { intent: 'password.reset' }), {}],
      [msg('邮箱', { intent: null }), {}],
      [agentZh, {
        says: ['正在为您转接人工客服'],
        outcome: 'handoff',
        check: (r) => {
          const h = actionOf(r, 'handoff');
          expect(h.reason).toBe('customer_request');
          expect(h.summary.language).toBe('zh');
          expect(h.summary.activeFlow).toMatchObject({ id: 'password-reset', slots: { channel: 'email' }, pendingQuestion: 'contact' });
          expect(h.summary.lastIntent).toEqual({ name: 'agent.request', confidence: 0.9 });
          expect(h.summary.text).toContain('resetting your online banking password');
        },
      }],
    ],
  },
  {
    name: 'agent request at the confirmation step beats the yes/no reading',
    steps: [
      [msg('I lost my card', { intent: 'card.lost' }), {}],
      [msg('1234'), {}],
      [msg('no, get me a human', { intent: 'agent.request' }), { actions: ['handoff'] }],
    ],
  },
  {
    name: 'summary carries memory, KB articles used and experiments',
    steps: [
      [msg('when do you open', { intent: 'kb.opening-hours' }), { cites: ['opening-hours.en'] }],
      [msg('my account 6222020200116789 balance', { intent: 'balance.inquiry', entities: [['account_number', '6222020200116789']] }), {}],
      [msg('yes please', { intent: 'affirm' }), {
        // "yes" to the balance flow's offer of an agent.
        actions: ['handoff'],
        check: (r) => {
          const h = actionOf(r, 'handoff');
          expect(h.reason).toBe('customer_request');
          expect(h.summary.memory).toEqual({ account_number: '6222020200116789' });
          expect(h.summary.articlesUsed).toEqual(['opening-hours.en', 'balance-inquiry.en']);
          expect(h.summary.experiments).toEqual(CONTROL);
          expect(h.summary.lastCustomerMessage).toBe('yes please');
        },
      }],
    ],
  },
  {
    name: 'after handoff every message gets the waiting reply and no flow runs (en)',
    steps: [
      [agentEn, {}],
      [msg('I lost my card', { intent: 'card.lost' }), { says: ['An agent will be with you shortly'], notSays: ['last 4 digits'], actions: [], status: 'awaiting_agent' }],
      [msg('转人工', { intent: 'agent.request' }), { says: ['人工客服马上就到'], actions: [] }],
    ],
  },
  {
    name: 'repeated wrong answers to a question hand off as repeated_misunderstanding (en)',
    steps: [
      [msg('reset my password', { intent: 'password.reset' }), {}],
      [msg('banana', { intent: null }), { says: ['e-mail address or your phone number?'], actions: [] }],
      [msg('purple monkey', { intent: null }), {
        actions: ['handoff'],
        notSays: ['Done'],
        check: (r) => expect(actionOf(r, 'handoff').reason).toBe('repeated_misunderstanding'),
      }],
    ],
  },
  {
    name: 'repeated out-of-scope chatter hands off as out_of_scope, never a guessed answer (zh)',
    steps: [
      [msg('今天天气怎么样', { intent: 'none', outOfScope: true }), { says: ['抱歉，我没有完全理解', '挂失银行卡'], actions: [] }],
      [msg('讲个笑话吧', { intent: 'none', outOfScope: true }), {
        says: ['正在为您转接人工客服'],
        check: (r) => expect(actionOf(r, 'handoff').reason).toBe('out_of_scope'),
      }],
    ],
  },
  {
    name: 'an understood message resets the misunderstanding streak',
    steps: [
      [msg('blah', { intent: null }), { actions: [] }],
      [msg('when do you open', { intent: 'kb.opening-hours' }), { actions: [] }],
      [msg('blah blah', { intent: null }), { actions: [], says: ["didn't quite understand"] }],
    ],
  },
  {
    name: 'the appliance config can raise the misunderstanding limit',
    deps: makeDeps({ maxMisunderstandings: 3 }),
    steps: [
      [msg('blah', { intent: null }), { actions: [] }],
      [msg('blah blah', { intent: null }), { actions: [] }],
      [msg('blah blah blah', { intent: null }), { actions: ['handoff'] }],
    ],
  },
];

describe('handoff', () => {
  it.each(scripts.map((s) => [s.name, s] as const))('%s', (_name, script) => {
    runScript(script);
  });

  it('an agent can hand the conversation back to the bot, which keeps its memory', () => {
    const deps = makeDeps();
    let { state } = startConversation({ conversationId: 'c-back', language: 'en', experimentAssignments: CONTROL }, deps);
    state = handleTurn(state, msg('my card 1234 is gone', { intent: 'card.lost', entities: [['card_number', '1234']] }), deps).state;
    state = handleTurn(state, agentEn, deps).state;
    const back = returnToBot(state, deps);
    expect(back.state.status).toBe('active');
    expect(replyText(back)).toContain('How else can I help');
    const next = handleTurn(back.state, msg('I lost my card', { intent: 'card.lost' }), deps);
    expect(replyText(next)).toContain('card ending 1234');
    expect(() => returnToBot(next.state, deps)).toThrow(expect.objectContaining({ code: 'CONVERSATION_STATE_CONFLICT' }));
  });
});
