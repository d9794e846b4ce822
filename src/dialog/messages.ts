// The bot's own words outside any flow (greeting, fallback, handoff, "back to …"), in both
// languages. Defaults live here; settings.yaml may override any of them by key.
import type { EntityType, Language } from '../nlu/types.ts';
import type { DialogSettings } from './flow-schema.ts';
import { renderTemplate, type Localized } from './templates.ts';

export const DEFAULT_MESSAGES = {
  greeting: {
    en: 'Hello, I am the branch assistant. I can help with {capabilities}, or answer questions about our services. How can I help you?',
    zh: '您好，我是网点智能助手。我可以帮您{capabilities}，也可以解答业务问题。请问有什么可以帮您？',
  },
  hello: { en: 'Hello!', zh: '您好！' },
  welcome: { en: "You're welcome.", zh: '不客气。' },
  goodbye: { en: 'Thank you for visiting. Goodbye!', zh: '感谢您的光临，再见！' },
  anythingElse: { en: 'Is there anything else I can help you with?', zh: '请问还有其他可以帮您的吗？' },
  whatElse: { en: 'Sure, what can I help you with?', zh: '好的，请问您需要什么帮助？' },
  clarify: {
    en: "Sorry, I didn't quite understand. I can help with {capabilities}, or answer questions about our services. Could you rephrase?",
    zh: '抱歉，我没有完全理解。我可以帮您{capabilities}，也可以解答业务问题。能换个说法吗？',
  },
  handoff: {
    en: "I'm connecting you to a colleague now. They will see everything we discussed, so you won't need to repeat yourself.",
    zh: '正在为您转接人工客服，客服会看到我们刚才的对话内容，您无需重复说明。',
  },
  agentWait: {
    en: 'An agent will be with you shortly. Thank you for your patience.',
    zh: '人工客服马上就到，感谢您的耐心等待。',
  },
  backTo: { en: 'Back to {title}: {prompt}', zh: '我们继续{title}：{prompt}' },
  reuse: { en: "I'll use the {what} you gave me earlier.", zh: '我将使用您之前提供的{what}。' },
  cancelled: { en: "OK, I've cancelled {title}.", zh: '好的，已为您取消{title}。' },
  nothingToCancel: { en: 'There is nothing in progress to cancel.', zh: '目前没有正在办理的业务需要取消。' },
  declined: { en: "OK, I haven't done anything.", zh: '好的，我没有进行任何操作。' },
  yesNo: { en: 'Please answer yes or no. {prompt}', zh: '请回答“是”或“否”。{prompt}' },
  alreadyDoing: { en: "We're already working on {title}.", zh: '我们正在办理{title}。' },
  stackFull: { en: "Let's finish {title} first.", zh: '我们先把{title}办完吧。' },
  offerDeclined: { en: 'No problem.', zh: '好的。' },
  dateNotFuture: { en: 'That date has already passed. {prompt}', zh: '这个日期已经过去了。{prompt}' },
  dateNotPast: { en: "That date hasn't come yet. {prompt}", zh: '这个日期还没到。{prompt}' },
  flowUnavailable: {
    en: 'Sorry, I can no longer continue {title}. How else can I help?',
    zh: '抱歉，暂时无法继续办理{title}。还有什么可以帮您？',
  },
  botBack: { en: "Hello again, I'm the branch assistant. How else can I help you?", zh: '您好，我是网点智能助手，请问还有什么可以帮您？' },
  listSeparator: { en: ', ', zh: '、' },
  yes: { en: 'Yes', zh: '是' },
  no: { en: 'No', zh: '否' },
  describe_account_number: { en: 'account ending {last4}', zh: '尾号{last4}的账户' },
  describe_card_number: { en: 'card ending {last4}', zh: '尾号{last4}的银行卡' },
  describe_phone: { en: 'phone number ending {last4}', zh: '尾号{last4}的手机号' },
  describe_email: { en: 'e-mail address {masked}', zh: '邮箱{masked}' },
  describe_person_name: { en: 'name {value}', zh: '姓名{value}' },
  describe_order_number: { en: 'order number {value}', zh: '订单号{value}' },
  describe_date: { en: 'date {value}', zh: '日期{value}' },
  describe_amount: { en: 'amount {value}', zh: '金额{value}' },
} as const satisfies Record<string, Localized>;

export type MessageKey = keyof typeof DEFAULT_MESSAGES;

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(DEFAULT_MESSAGES, key);
}

export function message(
  settings: DialogSettings,
  key: MessageKey,
  language: Language,
  params: Readonly<Record<string, string>> = {},
): string {
  const text = settings.messages[key] ?? DEFAULT_MESSAGES[key];
  return renderTemplate(text[language], params);
}

/** "a, b and c" is overkill for a kiosk; a plain separated list reads fine in both languages. */
export function joinList(settings: DialogSettings, items: readonly string[], language: Language): string {
  // Not rendered: rendering trims, and the separator's trailing space matters.
  const separator = (settings.messages.listSeparator ?? DEFAULT_MESSAGES.listSeparator)[language];
  return items.join(separator);
}

/** How the bot refers to a remembered value without reading out a whole account number. */
export function describeEntity(settings: DialogSettings, type: EntityType, value: string, language: Language): string {
  return message(settings, `describe_${type}`, language, {
    value,
    last4: value.replace(/\D/g, '').slice(-4),
    masked: maskEmail(value),
  });
}

function maskEmail(value: string): string {
  const at = value.indexOf('@');
  if (at <= 0) return value;
  return `${value[0] ?? ''}***${value.slice(at)}`;
}
