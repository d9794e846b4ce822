// A small bilingual customer-service corpus: big enough to be realistic, small enough to
// train in well under a second.
import type { TrainingCorpus } from '../../src/nlu/index.ts';

export const bilingualCorpus: TrainingCorpus = {
  intents: [
    {
      name: 'password.reset',
      examples: {
        en: ['I forgot my password', 'reset my password', 'I cannot log in, I lost my password', 'how do I change my password', 'my password does not work anymore', 'help me recover my login password'],
        zh: ['我忘记密码了', '重置密码', '密码忘了怎么办', '我登录不了，密码丢了', '怎么修改密码', '帮我找回登录密码'],
      },
    },
    {
      name: 'order.status',
      examples: {
        en: ['where is my order', 'track my order', 'my order has not arrived yet', 'what is the status of my order', 'when will my package be delivered', 'has my order shipped'],
        zh: ['我的订单到哪了', '查一下订单状态', '订单还没到', '我的包裹什么时候送到', '帮我查物流', '订单发货了吗'],
      },
    },
    {
      name: 'card.lost',
      examples: {
        en: ['I lost my card', 'my credit card was stolen', 'block my card please', 'someone stole my bank card', 'freeze my card', 'I cannot find my debit card'],
        zh: ['我的卡丢了', '信用卡被偷了', '请帮我冻结银行卡', '银行卡丢失了怎么办', '挂失我的卡', '我找不到我的借记卡了'],
      },
    },
    {
      name: 'refund.request',
      examples: {
        en: ['I want a refund', 'give me my money back', 'how do I return this item', 'refund my purchase', 'I would like to return my order and get a refund', 'can I get a refund for this'],
        zh: ['我要退款', '把钱退给我', '怎么退货', '申请退款', '我想退货退款', '这个可以退款吗'],
      },
    },
    {
      name: 'agent.request',
      examples: {
        en: ['let me talk to a human', 'I want to speak to an agent', 'connect me to customer service', 'transfer me to a real person', 'agent please', 'can I talk to someone'],
        zh: ['转人工', '我要找人工客服', '帮我接通客服', '我想和真人说话', '人工服务', '找个客服跟我说'],
      },
    },
    {
      name: 'opening.hours',
      examples: {
        en: ['what are your opening hours', 'when are you open', 'what time does the branch close', 'are you open on sunday', 'business hours of the branch', 'what time do you open tomorrow'],
        zh: ['你们几点开门', '营业时间是什么', '网点几点关门', '周日营业吗', '你们的营业时间', '明天几点开门'],
      },
    },
    {
      name: 'none',
      examples: {
        en: ['tell me a joke', 'what is your favorite movie', 'who won the football game', 'sing me a song', 'what is the meaning of life', 'do you like pizza'],
        zh: ['讲个笑话', '你喜欢什么电影', '昨天足球比赛谁赢了', '给我唱首歌', '人生的意义是什么', '你喜欢吃披萨吗'],
      },
    },
  ],
};

/** A larger generated corpus (deterministic) whose training takes long enough to notice if it
 * ever ran on the main thread. */
export function syntheticCorpus(intents: number, examplesPerIntent: number): TrainingCorpus {
  const words = 'account balance card transfer payment refund order delivery password login branch loan fee limit statement deposit cash atm pin address'.split(' ');
  const verbs = 'check change cancel open close update find report block explain'.split(' ');
  let state = 7;
  const next = (n: number): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state % n;
  };
  return {
    intents: Array.from({ length: intents }, (_, i) => ({
      name: `synthetic.${i}`,
      examples: {
        en: Array.from({ length: examplesPerIntent }, (_, j) =>
          `please ${verbs[i % verbs.length]} my ${words[i % words.length]} ${words[(i * 7) % words.length]} ${words[next(words.length)]} ${verbs[next(verbs.length)]} number ${j}`,
        ),
      },
    })),
  };
}
