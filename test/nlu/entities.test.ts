// Entity extraction, table-driven: what a customer types → the normalized values the dialog
// and the agent desktop receive.
import { describe, expect, it } from 'vitest';
import { extractEntities, type EntityType, type Language } from '../../src/nlu/index.ts';

// Saturday 18 May 2024, noon local time: relative dates resolve against this day.
const reference = new Date(2024, 4, 18, 12, 0, 0);

type Case = [text: string, language: Language, expected: [EntityType, string][]];

const cases: Record<string, Case[]> = {
  order_number: [
    ['my order ORD-20240518-001 has not arrived', 'en', [['order_number', 'ORD-20240518-001']]],
    ['order 12345678 is late', 'en', [['order_number', '12345678']]],
    ['order number: AB-99812', 'en', [['order_number', 'AB-99812']]],
    ['Order #A1234567, please check', 'en', [['order_number', 'A1234567']]],
    ['订单号 12345678 还没到', 'zh', [['order_number', '12345678']]],
    ['我的订单号是AB123456', 'zh', [['order_number', 'AB123456']]],
    ['我的order号是 AB123', 'zh', [['order_number', 'AB123']]],
    ['where is my order?', 'en', []],
  ],
  account_number: [
    ['my account number is 6222021234567890', 'en', [['account_number', '6222021234567890']]],
    ['acct 12345678', 'en', [['account_number', '12345678']]],
    ['账号 6222 0212 3456 7890', 'zh', [['account_number', '6222021234567890']]],
    ['我的账户是12345678901', 'zh', [['account_number', '12345678901']]],
    ['account 1234567', 'en', []],
  ],
  card_number: [
    ['card 4111 1111 1111 1111 was charged twice', 'en', [['card_number', '4111111111111111']]],
    ['4111111111111111', 'en', [['card_number', '4111111111111111']]],
    ['my number is 4111111111111112', 'en', []],
    ['the card ending 1234 was declined', 'en', [['card_number', '****1234']]],
    ['last four digits are 9876', 'en', [['card_number', '****9876']]],
    ['尾号1234的卡被盗刷了', 'zh', [['card_number', '****1234']]],
    ['卡号 5500 0000 0000 0004', 'zh', [['card_number', '5500000000000004']]],
  ],
  phone: [
    ['call me on 13812345678', 'en', [['phone', '+8613812345678']]],
    ['我的手机号是138-1234-5678', 'zh', [['phone', '+8613812345678']]],
    ['+86 138 1234 5678', 'zh', [['phone', '+8613812345678']]],
    ['my number is (415) 555-2671', 'en', [['phone', '+14155552671']]],
    ['reach me at 415-555-2671', 'en', [['phone', '+14155552671']]],
    ['+44 20 7946 0958 is the office', 'en', [['phone', '+442079460958']]],
    ['phone 4155552671', 'en', [['phone', '+14155552671']]],
    ['座机 010-12345678', 'zh', [['phone', '+861012345678']]],
  ],
  email: [
    ['write to John.Smith@Example.COM please', 'en', [['email', 'john.smith@example.com']]],
    ['邮箱是wang.xm@qq.com', 'zh', [['email', 'wang.xm@qq.com']]],
  ],
  date: [
    ['it happened on 2024-05-18', 'en', [['date', '2024-05-18']]],
    ['2024/5/8 的交易', 'zh', [['date', '2024-05-08']]],
    ['on May 18 I paid', 'en', [['date', '2024-05-18']]],
    ['on May 3rd, 2023', 'en', [['date', '2023-05-03']]],
    ['18 May 2024', 'en', [['date', '2024-05-18']]],
    ['the 2nd of June', 'en', [['date', '2024-06-02']]],
    ['5/20/2024', 'en', [['date', '2024-05-20']]],
    ['can you deliver tomorrow', 'en', [['date', '2024-05-19']]],
    ['I was charged yesterday', 'en', [['date', '2024-05-17']]],
    ['today please', 'en', [['date', '2024-05-18']]],
    ['明天能送到吗', 'zh', [['date', '2024-05-19']]],
    ['昨天扣款了', 'zh', [['date', '2024-05-17']]],
    ['5月18日下的单', 'zh', [['date', '2024-05-18']]],
    ['2024年5月18日', 'zh', [['date', '2024-05-18']]],
    ['五月二十号', 'zh', [['date', '2024-05-20']]],
    // Months (statement periods) resolve to their first day.
    ['statement for March 2024', 'en', [['date', '2024-03-01']]],
    ['2024-03 please', 'en', [['date', '2024-03-01']]],
    ['2024年3月的对账单', 'zh', [['date', '2024-03-01']]],
    ['3月份的', 'zh', [['date', '2024-03-01']]],
    ['last month', 'en', [['date', '2024-04-01']]],
    ['this month', 'en', [['date', '2024-05-01']]],
    ['上个月的账单', 'zh', [['date', '2024-04-01']]],
    ['贷款三个月', 'zh', []],
    // Weekdays (appointments), from Saturday 18 May 2024.
    ['on Tuesday', 'en', [['date', '2024-05-21']]],
    ['next Saturday', 'en', [['date', '2024-05-25']]],
    ['周六可以吗', 'zh', [['date', '2024-05-18']]],
    ['下周三上午', 'zh', [['date', '2024-05-22']]],
    ['星期五', 'zh', [['date', '2024-05-24']]],
    ['2024-02-30', 'en', []],
  ],
  amount: [
    ['I was charged $50', 'en', [['amount', '50.00 USD']]],
    ['refund $1,234.5 please', 'en', [['amount', '1234.50 USD']]],
    ['it cost 50 dollars', 'en', [['amount', '50.00 USD']]],
    ['¥120', 'zh', [['amount', '120.00 CNY']]],
    ['扣了120元', 'zh', [['amount', '120.00 CNY']]],
    ['120.50 RMB', 'en', [['amount', '120.50 CNY']]],
    ['一百二十元', 'zh', [['amount', '120.00 CNY']]],
    ['两千零五块', 'zh', [['amount', '2005.00 CNY']]],
    ['20 euros', 'en', [['amount', '20.00 EUR']]],
    ['I have 3 cards', 'en', []],
  ],
  person_name: [
    ['my name is John Smith', 'en', [['person_name', 'John Smith']]],
    ["Hi, I'm Li Wei, I lost my card", 'en', [['person_name', 'Li Wei']]],
    ['my name is john smith and my order is late', 'en', [['person_name', 'John Smith']]],
    ["I'm looking for my order", 'en', []],
    ["I'm Sorry", 'en', []],
    ['我叫王小明', 'zh', [['person_name', '王小明']]],
    ['我是张伟，我的卡丢了', 'zh', [['person_name', '张伟']]],
    ['我是欧阳娜娜', 'zh', [['person_name', '欧阳娜娜']]],
    ['我是张伟想查订单', 'zh', [['person_name', '张伟']]],
    ['我是新用户', 'zh', []],
    ['我是高级会员', 'zh', []],
  ],
  mixed: [
    [
      'my name is Anna Lee, order 87654321, phone 13912345678, email anna@lee.io',
      'en',
      [['person_name', 'Anna Lee'], ['order_number', '87654321'], ['phone', '+8613912345678'], ['email', 'anna@lee.io']],
    ],
    ['account 12345678, phone 13812345678', 'en', [['account_number', '12345678'], ['phone', '+8613812345678']]],
    ['我叫李娜，订单号12345678，明天之前退我120元', 'zh', [['person_name', '李娜'], ['order_number', '12345678'], ['date', '2024-05-19'], ['amount', '120.00 CNY']]],
    ['１３８１２３４５６７８', 'zh', [['phone', '+8613812345678']]],
  ],
};

describe('extractEntities', () => {
  for (const [group, table] of Object.entries(cases)) {
    describe(group, () => {
      it.each(table)('%s', (text, language, expected) => {
        const entities = extractEntities(text, language, { referenceDate: reference });
        expect(entities.map((e) => [e.type, e.value])).toEqual(expected);
        for (const e of entities) expect(text.slice(e.start, e.end)).toBe(e.text);
      });
    });
  }

  it('reports the span as the customer wrote it', () => {
    const [phone] = extractEntities('call 138 1234 5678 now', 'en');
    expect(phone).toEqual({ type: 'phone', value: '+8613812345678', text: '138 1234 5678', start: 5, end: 18 });
  });

  it('does not guess relative dates without a reference date', () => {
    expect(extractEntities('tomorrow, on May 18, or 2024-05-20', 'en').map((e) => e.value)).toEqual(['2024-05-20']);
  });

  it('treats a phone-shaped number after "account" as the account, not also as a phone', () => {
    const entities = extractEntities('my account is 13812345678', 'en');
    expect(entities.map((e) => e.type)).toEqual(['account_number']);
  });
});
