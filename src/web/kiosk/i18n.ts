// Every string the kiosk shows, in both languages; bot replies come already translated
// from the server. Error codes map to plain words here, never to the server's message.
import type { Language } from './wire.ts';

/** Whole minutes for a wait estimate, never "0 minutes". */
const minutes = (seconds: number) => Math.max(1, Math.round(seconds / 60));

const en = {
  htmlLang: 'en',
  title: 'Switchboard — Help desk',
  brand: 'Branch Help',
  welcomeHeading: 'How can we help you today?',
  welcomeLead: 'Ask about opening hours, cards, accounts and more. Choose your language, then tap Start.',
  start: 'Start',
  privacy: 'For your privacy, the conversation is cleared when you finish or leave the kiosk.',
  languageGroup: 'Language',
  transcriptLabel: 'Conversation',
  you: 'You',
  assistant: 'Assistant',
  agent: 'Agent',
  system: 'Notice',
  source: 'Source:',
  suggestionsLabel: 'Quick replies',
  inputLabel: 'Type your message',
  inputPlaceholder: 'Type your question here…',
  send: 'Send',
  typing: 'The assistant is typing',
  counter: (n: number, max: number) => `${n} / ${max}`,
  agentButton: 'Talk to a person',
  agentMessage: 'I want to talk to a person',
  endButton: 'End',
  agentRequested: 'An agent has been requested. Please stay here — you can keep chatting meanwhile.',
  withAgent: 'You are now chatting with a member of staff.',
  ended: 'This conversation has ended.',
  startNew: 'Start a new conversation',
  reconnecting: 'Connection lost — reconnecting…',
  connecting: 'Connecting…',
  idleWarning: 'Are you still there? Touch the screen to continue.',
  sending: 'Sending…',
  newBotMessage: (who: string, text: string) => `${who}: ${text}`,
  queuePosition: (position: number, waitSeconds: number) =>
    `You are number ${position} in line${waitSeconds > 0 ? `, about ${minutes(waitSeconds)} ${minutes(waitSeconds) === 1 ? 'minute' : 'minutes'}` : ''}.`,
  agentJoined: (name: string | null) => (name ? `${name} has joined and is now chatting with you.` : 'A member of staff has joined and is now chatting with you.'),
  handedBack: 'You are back with the assistant. You can ask for a person again at any time.',
  csatQuestion: 'How satisfied are you with the help you received?',
  csatStars: 'Your rating',
  csatStar: (n: number) => `${n} ${n === 1 ? 'star' : 'stars'}`,
  csatCommentLabel: 'Anything you would like to tell us? (optional)',
  csatSubmit: 'Send rating',
  csatThanks: 'Thank you for your feedback!',
  talkHold: 'Hold to talk',
  talkListening: 'Listening… release to send',
  talkListeningToggle: 'Listening… tap to send',
  talkFinishing: 'Recognizing…',
  talkUnavailable: 'Voice unavailable',
  talkHint: 'Hold the button while you speak and let go to send. Or tap once, speak, and tap again.',
};

export type Strings = typeof en;

const zh: Strings = {
  htmlLang: 'zh-Hans',
  title: 'Switchboard — 智能客服',
  brand: '网点智能客服',
  welcomeHeading: '请问有什么可以帮您？',
  welcomeLead: '您可以咨询营业时间、银行卡、账户等问题。请选择语言，然后点击“开始”。',
  start: '开始',
  privacy: '为保护您的隐私，结束或离开后对话内容将被清除。',
  languageGroup: '语言',
  transcriptLabel: '对话',
  you: '您',
  assistant: '智能助手',
  agent: '人工客服',
  system: '提示',
  source: '来源：',
  suggestionsLabel: '快捷回复',
  inputLabel: '输入您的消息',
  inputPlaceholder: '请在此输入您的问题…',
  send: '发送',
  typing: '智能助手正在输入',
  counter: (n, max) => `${n} / ${max}`,
  agentButton: '转人工',
  agentMessage: '我要转人工',
  endButton: '结束',
  agentRequested: '正在为您转接人工客服，请稍候。等待期间您仍可继续提问。',
  withAgent: '人工客服已接入，正在为您服务。',
  ended: '本次对话已结束。',
  startNew: '开始新的对话',
  reconnecting: '连接已断开，正在重新连接…',
  connecting: '正在连接…',
  idleWarning: '您还在吗？请触摸屏幕继续。',
  sending: '发送中…',
  newBotMessage: (who, text) => `${who}：${text}`,
  queuePosition: (position, waitSeconds) => `您当前排在第 ${position} 位${waitSeconds > 0 ? `，预计等待约 ${minutes(waitSeconds)} 分钟` : ''}。`,
  agentJoined: (name) => (name ? `人工客服${name}已接入，正在为您服务。` : '人工客服已接入，正在为您服务。'),
  handedBack: '您已回到智能助手服务，如需人工服务可随时再次转人工。',
  csatQuestion: '您对本次服务满意吗？',
  csatStars: '您的评分',
  csatStar: (n) => `${n} 星`,
  csatCommentLabel: '还有什么想告诉我们的吗？（选填）',
  csatSubmit: '提交评价',
  csatThanks: '感谢您的评价！',
  talkHold: '按住说话',
  talkListening: '正在聆听…松开发送',
  talkListeningToggle: '正在聆听…再点一下发送',
  talkFinishing: '正在识别…',
  talkUnavailable: '语音暂不可用',
  talkHint: '按住按钮说话，松开即发送；也可以点一下开始说话，说完再点一下。',
};

export const STRINGS: Record<Language, Strings> = { en, zh };

const ERRORS: Record<string, Record<Language, string>> = {
  MESSAGE_TOO_LONG: { en: 'That message is too long. Please shorten it.', zh: '消息太长了，请缩短后再发送。' },
  VALIDATION_FAILED: { en: 'That message could not be sent. Please try again.', zh: '消息无法发送，请重试。' },
  CONVERSATION_CLOSED: { en: 'This conversation has ended. Please start a new one.', zh: '本次对话已结束，请开始新的对话。' },
  CONVERSATION_NOT_FOUND: { en: 'Your previous conversation could not be found. Please start again.', zh: '找不到之前的对话，请重新开始。' },
  AUTH_FORBIDDEN: { en: 'This kiosk is not allowed to chat. Please ask a member of staff.', zh: '本终端无法使用在线咨询，请联系工作人员。' },
  AUTH_TOKEN_INVALID: { en: 'This kiosk is not set up. Please ask a member of staff.', zh: '本终端尚未配置，请联系工作人员。' },
  AUTH_REQUIRED: { en: 'This kiosk is not set up. Please ask a member of staff.', zh: '本终端尚未配置，请联系工作人员。' },
  NLU_NOT_READY: { en: 'The assistant is still starting up. Please try again in a moment.', zh: '智能助手正在启动，请稍后再试。' },
  SERVICE_UNAVAILABLE: { en: 'The service is busy. Please try again in a moment.', zh: '服务繁忙，请稍后再试。' },
  RATE_LIMITED: { en: 'Too many messages at once. Please wait a moment.', zh: '发送过于频繁，请稍候。' },
  OFFLINE: { en: 'The help desk cannot be reached right now. Retrying…', zh: '暂时无法连接服务，正在重试…' },
  // Voice input (the talk button).
  MIC_DENIED: { en: 'This screen is not allowed to use the microphone. Please type your question.', zh: '本终端未获准使用麦克风，请输入文字提问。' },
  MIC_NOT_FOUND: { en: 'No microphone was found. Please type your question.', zh: '未检测到麦克风，请输入文字提问。' },
  MIC_UNAVAILABLE: { en: 'The microphone could not be started. Please try again in a moment, or type your question.', zh: '麦克风无法启动，请稍后再试，或输入文字提问。' },
  SPEECH_UNAVAILABLE: { en: 'Voice input is not available right now. Please type your question.', zh: '语音输入暂不可用，请输入文字提问。' },
  SPEECH_BUSY: { en: 'Voice input is busy. Please try again in a moment, or type your question.', zh: '语音服务繁忙，请稍后再试，或输入文字提问。' },
  SPEECH_NOT_UNDERSTOOD: { en: 'Sorry, we did not catch that. Hold the button and speak again, or type your question.', zh: '抱歉，没有听清。请按住按钮再说一次，或输入文字。' },
};
const FALLBACK_ERROR: Record<Language, string> = { en: 'Sorry, something went wrong. Please try again.', zh: '抱歉，出现了问题，请重试。' };

/** What the customer reads for an error code (the server's own message is for logs, not people). */
export function errorText(code: string, lang: Language): string {
  return ERRORS[code]?.[lang] ?? FALLBACK_ERROR[lang];
}
