// Confirmation steps: yes/no via the NLU's affirm/deny or plain keywords, corrections, declines.
import { describe, expect, it } from 'vitest';
import { yesNoKeyword } from '../../src/dialog/yes-no.ts';
import { msg, runScript, type Script } from './fixtures.ts';

const lostCard = (lang: 'en' | 'zh') => [
  msg(lang === 'en' ? 'I lost my card' : '卡丢了', { intent: 'card.lost' }),
  msg('1234'),
] as const;

const toConfirm = (lang: 'en' | 'zh'): Script['steps'] => lostCard(lang).map((m) => [m, {}]);

const scripts: Script[] = [
  {
    name: 'deny at confirmation: nothing done, no ticket (en)',
    language: 'en',
    steps: [...toConfirm('en'), [msg('no', { intent: 'deny' }), { says: ['has not been blocked', 'anything else'], actions: [] }]],
  },
  {
    name: 'deny at confirmation: nothing done, no ticket (zh)',
    steps: [...toConfirm('zh'), [msg('不要', { intent: 'deny' }), { says: ['暂未冻结', '还有其他'], actions: [] }]],
  },
  ...(
    [
      ['yes', 'en', 'create_ticket'],
      ['Yes please.', 'en', 'create_ticket'],
      ['ok', 'en', 'create_ticket'],
      ['nope', 'en', null],
      ['是', 'zh', 'create_ticket'],
      ['对的', 'zh', 'create_ticket'],
      ['好的谢谢', 'zh', 'create_ticket'],
      ['不是', 'zh', null],
      ['不', 'zh', null],
      ['不用了。', 'zh', null],
    ] as const
  ).map(([text, lang, action]): Script => ({
    name: `NLU missed "${text}": keyword fallback reads it as ${action ? 'yes' : 'no'}`,
    steps: [
      ...toConfirm(lang),
      [msg(text, { intent: null, outOfScope: true }), {
        actions: action ? [action] : [],
        says: [action ? (lang === 'en' ? 'being blocked' : '正在冻结') : lang === 'en' ? 'has not been blocked' : '暂未冻结'],
      }],
    ],
  })),
  {
    name: 'a new value at confirmation replaces the old one and is confirmed again',
    steps: [
      ...toConfirm('en'),
      [msg('no, it is the account 6222020200119999', { intent: 'deny', entities: [['account_number', '6222020200119999']] }), {
        says: ['Shall I block the card ending 9999 now?'],
        actions: [],
      }],
      [msg('yes', { intent: 'affirm' }), { says: ['ending 9999 is being blocked'], actions: ['create_ticket'] }],
    ],
  },
  {
    name: 'anything but yes/no at confirmation asks for yes or no, in the customer language',
    steps: [
      ...toConfirm('zh'),
      [msg('嗯……让我想想', { intent: null }), { says: ['请回答“是”或“否”', '冻结尾号1234'] }],
      [msg('是的', { intent: 'affirm' }), { actions: ['create_ticket'] }],
    ],
  },
  {
    name: 'confirmation offers yes/no quick replies',
    steps: [[lostCard('en')[0], {}], [lostCard('en')[1], { check: (r) => expect(r.replies.at(-1)?.suggestions).toEqual(['Yes', 'No']) }]],
  },
];

describe('confirmation', () => {
  it.each(scripts.map((s) => [s.name, s] as const))('%s', (_name, script) => {
    runScript(script);
  });
});

describe('yes/no keywords', () => {
  it.each([
    ['yes', 'yes'],
    ['Yeah', 'yes'],
    ['yes, go ahead', 'yes'],
    ['sure!', 'yes'],
    ['No.', 'no'],
    ['no thank you', 'no'],
    ['是的', 'yes'],
    ['对', 'yes'],
    ['可以', 'yes'],
    ['嗯', 'yes'],
    ['不是', 'no'],
    ['不对', 'no'],
    ['不用', 'no'],
    ['算了吧', 'no'],
    ['what time do you open', null],
    ['我的卡丢了', null],
    ['', null],
  ] as const)('%s → %s', (text, expected) => {
    expect(yesNoKeyword(text)).toBe(expected);
  });
});
