// Digressions mid-flow: a KB question or small talk is answered and the bot returns to the
// pending question; another flow is stacked on top and the first resumes after it.
import { describe, it } from 'vitest';
import { msg, runScript, type Script } from './fixtures.ts';

const scripts: Script[] = [
  {
    name: 'KB question during slot filling, then back (en)',
    steps: [
      [msg('reset my password', { intent: 'password.reset' }), {}],
      [msg('what time do you open?', { intent: 'kb.opening-hours' }), {
        says: ['open 9:00 to 17:00', 'Back to resetting your online banking password: Did you register online banking with your e-mail or your phone number?'],
        cites: ['opening-hours.en'],
      }],
      [msg('phone', { intent: null }), { says: ['phone number you registered with'] }],
    ],
  },
  {
    name: 'KB question during slot filling, then back (zh)',
    steps: [
      [msg('重置密码', { intent: 'password.reset' }), {}],
      [msg('你们几点开门', { intent: 'kb.opening-hours' }), {
        says: ['营业时间为周一至周六', '我们继续重置网银密码：您开通网银时登记的是邮箱还是手机号？'],
        cites: ['opening-hours.zh'],
      }],
    ],
  },
  {
    name: 'KB question at the confirmation step returns to the confirmation',
    steps: [
      [msg('I lost my card', { intent: 'card.lost' }), {}],
      [msg('4321'), { says: ['block the card ending 4321'] }],
      [msg('where is the nearest ATM', { intent: 'kb.atm-locations' }), { says: ['ATMs are in the lobby', 'Back to reporting a lost or stolen card: Shall I block the card ending 4321 now?'] }],
      [msg('yes', { intent: 'affirm' }), { actions: ['create_ticket'] }],
    ],
  },
  {
    name: 'a second flow mid-flow runs first, then the first resumes (en)',
    steps: [
      [msg('reset my password', { intent: 'password.reset' }), {}],
      [msg('wait, I also lost my card', { intent: 'card.lost' }), { says: ['last 4 digits'], notSays: ['Back to'] }],
      [msg('1234'), { says: ['card ending 1234'] }],
      [msg('yes', { intent: 'affirm' }), {
        says: ['being blocked', 'Back to resetting your online banking password: Did you register'],
        actions: ['create_ticket'],
      }],
      [msg('email', { intent: null }), { says: ['e-mail address you registered with'] }],
    ],
  },
  {
    name: 'a second flow mid-flow runs first, then the first resumes (zh)',
    steps: [
      [msg('我要打对账单', { intent: 'statement.request' }), { says: ['账号'] }],
      [msg('先帮我挂失银行卡', { intent: 'card.lost' }), { says: ['卡号后四位'] }],
      [msg('8888'), { says: ['尾号8888'] }],
      [msg('好', { intent: 'affirm' }), { says: ['正在冻结', '我们继续申请账户对账单：请问需要哪个账户的对账单？'] }],
    ],
  },
  {
    name: 'the interrupted flow resumes and reuses what the nested flow learnt',
    steps: [
      [msg('book an appointment', { intent: 'appointment.book' }), { says: ['Which day'] }],
      [msg('first I need to reset my password', { intent: 'password.reset' }), { says: ['e-mail or your phone'] }],
      [msg('my phone 13800138000', { entities: [['phone', '+8613800138000']] }), { says: ['phone number +8613800138000. Shall I go ahead?'] }],
      [msg('yes', { intent: 'affirm' }), { says: ['Back to booking a branch appointment: Which day'] }],
      [msg('Friday', { entities: [['date', '2025-06-13']] }), {
        says: ["I'll use the phone number ending 8000 you gave me earlier.", 'Shall I book an appointment on 2025-06-13'],
      }],
    ],
  },
  {
    name: 'an answer that also carries another intent fills the pending slot first',
    steps: [
      [msg('I need a statement', { intent: 'statement.request' }), { says: ['account number'] }],
      [msg('actually what is my balance on 6222020200116789', { intent: 'balance.inquiry', entities: [['account_number', '6222020200116789']] }), {
        // The account answers the pending question, so there is no digression at all.
        says: ["Which month's statement"],
      }],
    ],
  },
  {
    name: 'asking for the running flow again just repeats its question',
    steps: [
      [msg('reset my password', { intent: 'password.reset' }), {}],
      [msg('I said I need to reset my password', { intent: 'password.reset' }), { says: ["We're already working on resetting", 'e-mail or your phone number?'] }],
    ],
  },
  {
    name: 'small talk mid-flow is answered and the question repeated',
    steps: [
      [msg('我的卡丢了', { intent: 'card.lost' }), {}],
      [msg('谢谢', { intent: 'thanks' }), { says: ['不客气', '我们继续挂失银行卡：'] }],
      [msg('你好', { intent: 'greet' }), { says: ['您好', '卡号后四位'] }],
    ],
  },
];

describe('digressions and return', () => {
  it.each(scripts.map((s) => [s.name, s] as const))('%s', (_name, script) => {
    runScript(script);
  });
});
