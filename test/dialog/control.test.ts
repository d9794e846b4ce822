// Conversation control: cancel, repeat, greetings, thanks, goodbye and how a conversation ends.
import { describe, expect, it } from 'vitest';
import { closeConversation, handleTurn, startConversation } from '../../src/dialog/index.ts';
import { CONTROL, makeDeps, msg, runScript, type Script } from './fixtures.ts';

const scripts: Script[] = [
  {
    name: 'cancel mid-flow (en)',
    steps: [
      [msg('reset my password', { intent: 'password.reset' }), {}],
      [msg('cancel that', { intent: 'cancel' }), { says: ["cancelled resetting your online banking password", 'anything else'], actions: [] }],
      [msg('email', { intent: null }), { says: ["didn't quite understand"] }],
    ],
  },
  {
    name: 'cancel mid-flow (zh)',
    steps: [
      [msg('卡丢了', { intent: 'card.lost' }), {}],
      [msg('1234'), {}],
      [msg('算了，重新开始', { intent: 'cancel' }), { says: ['已为您取消挂失银行卡'], actions: [] }],
    ],
  },
  {
    name: 'cancel in a nested flow cancels only it; the interrupted flow resumes',
    steps: [
      [msg('reset my password', { intent: 'password.reset' }), {}],
      [msg('book an appointment', { intent: 'appointment.book' }), {}],
      [msg('forget it', { intent: 'cancel' }), { says: ['cancelled booking a branch appointment', 'Back to resetting your online banking password'] }],
    ],
  },
  {
    name: 'cancel with nothing running',
    steps: [[msg('cancel', { intent: 'cancel' }), { says: ['nothing in progress'] }]],
  },
  {
    name: 'repeat re-asks the pending question, in the language of the request',
    steps: [
      [msg('reset my password', { intent: 'password.reset' }), {}],
      [msg('sorry, say that again?', { intent: 'repeat' }), { says: ['Did you register online banking with your e-mail or your phone number?'] }],
      [msg('再说一遍', { intent: 'repeat' }), { says: ['您开通网银时登记的是邮箱还是手机号？'] }],
    ],
  },
  {
    name: 'repeat with nothing pending repeats the last answer',
    steps: [
      [msg('when do you open', { intent: 'kb.opening-hours' }), {}],
      [msg('what?', { intent: 'repeat' }), { says: ['Is there anything else'] }],
    ],
  },
  {
    name: 'greeting and thanks outside a flow',
    steps: [
      [msg('hello', { intent: 'greet' }), { says: ['Hello!', 'what can I help you with'] }],
      [msg('thanks', { intent: 'thanks' }), { says: ["You're welcome", 'anything else'] }],
    ],
  },
  {
    name: 'goodbye after something was resolved closes as resolved (en)',
    steps: [
      [msg('when do you open', { intent: 'kb.opening-hours' }), {}],
      [msg('bye', { intent: 'goodbye' }), { says: ['Goodbye'], actions: ['close'], outcome: 'resolved', status: 'closed' }],
    ],
  },
  {
    name: 'goodbye mid-flow with nothing resolved closes as abandoned (zh)',
    steps: [
      [msg('卡丢了', { intent: 'card.lost' }), {}],
      [msg('再见', { intent: 'goodbye' }), { says: ['再见'], actions: ['close'], outcome: 'abandoned' }],
    ],
  },
  {
    name: '"no" to "anything else?" ends the conversation as resolved',
    steps: [
      [msg('你们几点开门', { intent: 'kb.opening-hours' }), { says: ['还有其他可以帮您的吗'] }],
      [msg('没有了', { intent: 'deny' }), { actions: ['close'], outcome: 'resolved' }],
    ],
  },
  {
    name: '"yes" to "anything else?" invites the next question',
    steps: [
      [msg('when do you open', { intent: 'kb.opening-hours' }), {}],
      [msg('yes', { intent: 'affirm' }), { says: ['what can I help you with'], actions: [] }],
    ],
  },
  {
    name: 'a new request after "anything else?" is handled, not read as yes/no',
    steps: [
      [msg('when do you open', { intent: 'kb.opening-hours' }), {}],
      [msg('no wait, I lost my card', { intent: 'card.lost' }), { says: ['last 4 digits'], actions: [] }],
    ],
  },
];

describe('conversation control', () => {
  it.each(scripts.map((s) => [s.name, s] as const))('%s', (_name, script) => {
    runScript(script);
  });

  it('a closed conversation rejects further turns with CONVERSATION_CLOSED', () => {
    const deps = makeDeps();
    const { state } = startConversation({ conversationId: 'c-closed', experimentAssignments: CONTROL }, deps);
    const closed = handleTurn(state, msg('bye', { intent: 'goodbye' }), deps).state;
    expect(() => handleTurn(closed, msg('hello', { intent: 'greet' }), deps)).toThrow(expect.objectContaining({ code: 'CONVERSATION_CLOSED' }));
  });

  it('a customer who walks away is closed as abandoned, or resolved if they got an answer', () => {
    const deps = makeDeps();
    const { state } = startConversation({ conversationId: 'c-away', experimentAssignments: CONTROL }, deps);
    expect(closeConversation(state)).toMatchObject({ outcome: 'abandoned', actions: [{ type: 'close', outcome: 'abandoned' }] });
    const answered = handleTurn(state, msg('when do you open', { intent: 'kb.opening-hours' }), deps).state;
    expect(closeConversation(answered).outcome).toBe('resolved');
    const handedOff = handleTurn(state, msg('agent', { intent: 'agent.request' }), deps).state;
    expect(closeConversation(handedOff).outcome).toBe('handoff');
  });
});
