// Context memory: an identifier given once is reused by later flows without asking again.
import { describe, expect, it } from 'vitest';
import { actionOf, msg, runScript, type Script } from './fixtures.ts';

const ACCOUNT = '6222020200116789';

const scripts: Script[] = [
  {
    name: 'account from a balance inquiry is reused by a statement request (en)',
    steps: [
      [msg(`what's the balance of account ${ACCOUNT}`, { intent: 'balance.inquiry', entities: [['account_number', ACCOUNT]] }), { says: ['account ending 6789'] }],
      [msg('no thanks', { intent: 'deny' }), { says: ['anything else'] }],
      [msg('I need a statement', { intent: 'statement.request' }), {
        says: ["I'll use the account ending 6789 you gave me earlier.", "Which month's statement"],
        notSays: ['Please tell me the account number'],
      }],
      [msg('March 2025', { entities: [['date', '2025-03-01']] }), { says: ['account ending 6789'] }],
      [msg('yes', { intent: 'affirm' }), { check: (r) => expect(actionOf(r, 'create_ticket').fields['account']).toBe(ACCOUNT) }],
    ],
  },
  {
    name: 'phone from a password reset is reused by an appointment (zh)',
    steps: [
      [msg('网银密码忘了', { intent: 'password.reset' }), {}],
      [msg('13800138000', { entities: [['phone', '+8613800138000']] }), { says: ['确认吗'] }],
      [msg('确认', { intent: 'affirm' }), { actions: ['create_ticket'] }],
      [msg('我想预约办业务', { intent: 'appointment.book' }), { says: ['哪一天'] }],
      [msg('明天', { entities: [['date', '2025-06-12']] }), {
        says: ['我将使用您之前提供的尾号8000的手机号。', '+8613800138000'],
        notSays: ['发到哪个手机号'],
      }],
    ],
  },
  {
    name: 'an identifier mentioned in passing is remembered before any flow needs it',
    steps: [
      [msg(`hi, my account is ${ACCOUNT}`, { intent: 'greet', entities: [['account_number', ACCOUNT]] }), { says: ['Hello'] }],
      [msg('how much money do I have', { intent: 'balance.inquiry' }), {
        says: ['account ending 6789'],
        notSays: ['Which account'],
      }],
    ],
  },
  {
    name: 'e-mail addresses are masked when the bot mentions reusing them',
    steps: [
      [msg('bob@example.com is my email', { intent: null, entities: [['email', 'bob@example.com']] }), {}],
      [msg('reset my password', { intent: 'password.reset' }), {}],
      [msg('email', { intent: null }), { says: ['e-mail address b***@example.com you gave me earlier', 'Shall I go ahead?'] }],
    ],
  },
];

describe('context memory', () => {
  it.each(scripts.map((s) => [s.name, s] as const))('%s', (_name, script) => {
    runScript(script);
  });
});
