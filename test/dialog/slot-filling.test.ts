// Slot filling with clarifying questions, validated answers and completion, in both languages.
import { describe, expect, it } from 'vitest';
import { actionOf, msg, runScript, type Script } from './fixtures.ts';

const scripts: Script[] = [
  {
    name: 'password reset by e-mail (en)',
    steps: [
      [msg('I forgot my password', { intent: 'password.reset' }), { says: ['e-mail or your phone number?'], actions: [] }],
      [msg('my email', { intent: null }), { says: ['Please tell me the e-mail address you registered with'] }],
      [msg('bob@example.com', { entities: [['email', 'bob@example.com']] }), { says: ['Shall I go ahead?', 'bob@example.com'] }],
      [msg('yes', { intent: 'affirm' }), {
        says: ['reset request for bob@example.com is registered', 'To reset your online banking password'],
        cites: ['password-reset.en'],
        actions: ['create_ticket'],
        check: (r) => {
          const ticket = actionOf(r, 'create_ticket');
          expect(ticket.subject).toBe('Online banking password reset via email');
          expect(ticket.priority).toBe('normal');
          expect(ticket.fields).toMatchObject({ channel: 'email', contact: 'bob@example.com', flowId: 'password-reset', language: 'en' });
        },
      }],
    ],
  },
  {
    name: 'password reset by phone (zh)',
    steps: [
      [msg('我忘记密码了', { intent: 'password.reset' }), { says: ['邮箱还是手机号'] }],
      [msg('手机', { intent: null }), { says: ['请告诉我您登记的手机号'] }],
      [msg('13800138000', { entities: [['phone', '+8613800138000']] }), { says: ['+8613800138000', '确认吗'] }],
      [msg('是的', { intent: 'affirm' }), { says: ['密码重置申请', '重置网银密码：'], cites: ['password-reset.zh'], actions: ['create_ticket'] }],
    ],
  },
  {
    name: 'wrong entity type is re-asked with a hint (en)',
    steps: [
      [msg('reset my password', { intent: 'password.reset' }), {}],
      [msg('email please', { intent: null }), { says: ['e-mail address you registered'] }],
      [msg('13800138000', { entities: [['phone', '+8613800138000']] }), { says: ["doesn't look like a complete e-mail address", 'name@example.com'], actions: [] }],
      [msg('bob@example.com', { entities: [['email', 'bob@example.com']] }), { says: ['Shall I go ahead?'] }],
    ],
  },
  {
    name: 'wrong entity type is re-asked with a hint (zh)',
    steps: [
      [msg('重置密码', { intent: 'password.reset' }), {}],
      [msg('用邮箱', { intent: null }), { says: ['请告诉我您登记的邮箱'] }],
      [msg('13800138000', { entities: [['phone', '+8613800138000']] }), { says: ['不是完整的邮箱', 'name@example.com'] }],
      [msg('bob@example.com', { entities: [['email', 'bob@example.com']] }), { says: ['确认吗'] }],
    ],
  },
  {
    name: 'an e-mail given at the channel question answers both questions',
    steps: [
      [msg('reset my password', { intent: 'password.reset' }), {}],
      [msg("it's bob@example.com", { entities: [['email', 'bob@example.com']] }), { says: ['e-mail address bob@example.com. Shall I go ahead?'] }],
    ],
  },
  {
    name: 'slots the first message already answers are not asked',
    steps: [
      [msg('I lost my card, account 6222020200112233', { intent: 'card.lost', entities: [['account_number', '6222020200112233']] }), {
        says: ['block the card ending 2233'],
        notSays: ['last 4 digits'],
      }],
    ],
  },
  {
    name: 'lost card by last four digits, urgent ticket (en)',
    steps: [
      [msg('I lost my card', { intent: 'card.lost' }), { says: ['last 4 digits'] }],
      [msg('1234'), { says: ['Shall I block the card ending 1234 now?'] }],
      [msg('yes do it', { intent: 'affirm' }), {
        says: ['ending 1234 is being blocked', 'block it immediately'],
        cites: ['lost-card.en'],
        check: (r) => {
          const ticket = actionOf(r, 'create_ticket');
          expect(ticket.priority).toBe('urgent');
          expect(ticket.subject).toContain('1234');
          expect(ticket.fields['card']).toBe('1234');
        },
      }],
    ],
  },
  {
    name: 'lost card (zh)',
    steps: [
      [msg('我的卡丢了', { intent: 'card.lost' }), { says: ['卡号后四位'] }],
      [msg('尾号是5678'), { says: ['冻结尾号5678的银行卡吗'] }],
      [msg('对', { intent: 'affirm' }), { says: ['正在冻结'], cites: ['lost-card.zh'], actions: ['create_ticket'] }],
    ],
  },
  {
    name: 'appointment date must not be in the past, then phone, confirm, ticket (en)',
    steps: [
      [msg('I want to book an appointment', { intent: 'appointment.book' }), { says: ['Which day'] }],
      [msg('last Monday', { entities: [['date', '2025-06-09']] }), { says: ['already passed', 'Which day'] }],
      [msg('Friday', { entities: [['date', '2025-06-13']] }), { says: ['phone number'] }],
      [msg('13912345678', { entities: [['phone', '+8613912345678']] }), { says: ['2025-06-13', '+8613912345678', 'Shall I book'] }],
      [msg('yes', { intent: 'affirm' }), { says: ['registered'], actions: ['create_ticket'] }],
    ],
  },
  {
    name: 'statement request (zh)',
    steps: [
      [msg('我要打印对账单', { intent: 'statement.request' }), { says: ['账号'] }],
      [msg('6222020200112233', { entities: [['account_number', '6222020200112233']] }), { says: ['哪个月'] }],
      [msg('下个月', { entities: [['date', '2025-07-01']] }), { says: ['还没到'] }],
      [msg('2025年3月', { entities: [['date', '2025-03-01']] }), { says: ['尾号2233', '2025-03', '确认吗'] }],
      [msg('好的', { intent: 'affirm' }), {
        says: ['2025-03'],
        check: (r) => expect(actionOf(r, 'create_ticket')).toMatchObject({ priority: 'low', subject: 'Statement 2025-03 for account ending 2233' }),
      }],
    ],
  },
  {
    name: 'choice slots offer their choices as quick replies',
    steps: [
      [msg('reset my password', { intent: 'password.reset' }), { check: (r) => expect(r.replies[0]?.suggestions).toEqual(['e-mail address', 'phone number']) }],
    ],
  },
];

describe('slot filling', () => {
  it.each(scripts.map((s) => [s.name, s] as const))('%s', (_name, script) => {
    runScript(script);
  });
});
