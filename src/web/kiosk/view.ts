// The kiosk page's DOM: finds the elements index.html declares and draws the state the
// controller hands it. All text goes in through textContent, never as HTML.
import { STRINGS, type Strings } from './i18n.ts';
import type { PendingMessage } from './chat-connection.ts';
import type { TalkMode, TalkState } from './push-to-talk.ts';
import type { ConversationStatus, Language, TurnView } from './wire.ts';

export const MAX_MESSAGE_CHARS = 1000; // the server's conversation.maxMessageChars default
const COUNTER_FROM = 900;

function find<T extends Element>(root: ParentNode, selector: string, type: new () => T): T {
  const el = root.querySelector(selector);
  if (!(el instanceof type)) throw new Error(`kiosk page is missing ${selector}`);
  return el;
}

export interface ChatPicture {
  turns: readonly TurnView[];
  pending: readonly PendingMessage[];
  /** Waiting for the appliance: the "…" bubble shows. */
  waiting: boolean;
  /** The line is down: pending messages wait for the reconnect. */
  offline: boolean;
}

/** What the status banner says beyond the conversation status. */
export interface StatusDetail {
  /** Place in line while waiting for an agent. */
  queue: { position: number; estimatedWaitSeconds: number } | null;
  agentName: string | null;
  /** An agent handed the customer back to the bot. */
  handedBack: boolean;
}

export type CsatStage = 'hidden' | 'asking' | 'sending' | 'thanks';
const NO_DETAIL: StatusDetail = { queue: null, agentName: null, handedBack: false };

export class KioskView {
  readonly welcome: HTMLElement;
  readonly chat: HTMLElement;
  readonly start: HTMLButtonElement;
  readonly startNew: HTMLButtonElement;
  readonly agentButton: HTMLButtonElement;
  readonly endButton: HTMLButtonElement;
  readonly langButtons: HTMLButtonElement[];
  readonly form: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  readonly send: HTMLButtonElement;
  readonly quickReplies: HTMLElement;
  readonly csatForm: HTMLFormElement;
  readonly csatStars: HTMLButtonElement[];
  readonly csatComment: HTMLTextAreaElement;
  readonly talkButton: HTMLButtonElement;
  private readonly talkLabel: HTMLElement;
  private talkState: TalkState = 'idle';
  private talkMode: TalkMode = 'hold';
  /** What the customer had typed before speaking; null when the input is not showing speech. */
  private typedDraft: string | null = null;
  private readonly csatSubmit: HTMLButtonElement;
  private readonly csatThanks: HTMLElement;
  private csatScore: number | null = null;
  private readonly chatOnly: HTMLElement[];
  private readonly counter: HTMLElement;
  private readonly transcript: HTMLOListElement;
  private readonly banner: HTMLElement;
  private readonly connection: HTMLElement;
  private readonly ended: HTMLElement;
  private readonly error: HTMLElement;
  private readonly welcomeError: HTMLElement;
  private readonly announcer: HTMLElement;
  private readonly idleWarning: HTMLElement;
  private strings: Strings = STRINGS.en;
  private lastPicture: ChatPicture = { turns: [], pending: [], waiting: false, offline: false };
  private status: ConversationStatus = 'active';
  private detail: StatusDetail = NO_DETAIL;

  constructor(private readonly doc: Document) {
    const q = <T extends Element>(sel: string, type: new () => T) => find(doc, sel, type);
    this.welcome = q('[data-screen="welcome"]', HTMLElement);
    this.chat = q('[data-screen="chat"]', HTMLElement);
    this.start = q('[data-testid="welcome-start"]', HTMLButtonElement);
    this.startNew = q('[data-testid="start-new"]', HTMLButtonElement);
    this.agentButton = q('[data-testid="agent-button"]', HTMLButtonElement);
    this.endButton = q('[data-testid="end-button"]', HTMLButtonElement);
    this.langButtons = [...doc.querySelectorAll('[data-lang]')].filter((b): b is HTMLButtonElement => b instanceof HTMLButtonElement);
    this.form = q('form.composer', HTMLFormElement);
    this.input = q('[data-testid="message-input"]', HTMLTextAreaElement);
    this.send = q('[data-testid="send"]', HTMLButtonElement);
    this.quickReplies = q('.quick-replies', HTMLElement);
    this.chatOnly = [...doc.querySelectorAll('[data-chat-only]')].filter((e): e is HTMLElement => e instanceof HTMLElement);
    this.counter = q('[data-testid="counter"]', HTMLElement);
    this.transcript = q('[data-testid="transcript"]', HTMLOListElement);
    this.banner = q('[data-testid="status-banner"]', HTMLElement);
    this.connection = q('[data-testid="connection"]', HTMLElement);
    this.ended = q('[data-testid="ended"]', HTMLElement);
    this.error = q('[data-testid="error"]', HTMLElement);
    this.welcomeError = q('[data-testid="welcome-error"]', HTMLElement);
    this.announcer = q('[data-testid="announcer"]', HTMLElement);
    this.idleWarning = q('[data-testid="idle-warning"]', HTMLElement);
    this.input.maxLength = MAX_MESSAGE_CHARS;
    this.csatForm = q('form.csat', HTMLFormElement);
    this.csatStars = [...this.csatForm.querySelectorAll('button[data-score]')].filter((b): b is HTMLButtonElement => b instanceof HTMLButtonElement);
    this.csatComment = q('[data-testid="csat-comment"]', HTMLTextAreaElement);
    this.csatSubmit = q('[data-testid="csat-submit"]', HTMLButtonElement);
    this.csatThanks = q('[data-testid="csat-thanks"]', HTMLElement);
    this.talkButton = q('[data-testid="talk-button"]', HTMLButtonElement);
    this.talkLabel = q('[data-testid="talk-label"]', HTMLElement);
  }

  get text(): Strings {
    return this.strings;
  }

  setLanguage(lang: Language): void {
    const s = (this.strings = STRINGS[lang]);
    this.doc.documentElement.lang = s.htmlLang;
    this.doc.title = s.title;
    for (const el of this.doc.querySelectorAll<HTMLElement>('[data-i18n]')) {
      const value = s[el.dataset.i18n as keyof Strings];
      if (typeof value === 'string') el.textContent = value;
    }
    for (const el of this.doc.querySelectorAll<HTMLElement>('[data-i18n-label]')) {
      const value = s[el.dataset.i18nLabel as keyof Strings];
      if (typeof value === 'string') el.setAttribute('aria-label', value);
    }
    for (const b of this.langButtons) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
    this.input.placeholder = s.inputPlaceholder;
    this.csatStars.forEach((b, i) => b.setAttribute('aria-label', s.csatStar(i + 1)));
    this.renderTalk(this.talkState, this.talkMode);
    this.updateComposer();
    this.renderStatus(this.status, this.detail);
    this.renderChat(this.lastPicture);
  }

  showScreen(screen: 'welcome' | 'chat'): void {
    this.welcome.hidden = screen !== 'welcome';
    this.chat.hidden = screen !== 'chat';
    for (const el of this.chatOnly) el.hidden = screen !== 'chat';
    this.idleWarning.hidden = true;
  }

  /** Empties everything a previous customer typed or read. */
  clearChat(): void {
    this.typedDraft = null;
    this.input.classList.remove('speech-draft');
    this.input.readOnly = false;
    this.input.value = '';
    this.announcer.textContent = '';
    this.showError(null);
    this.showConnection(null);
    this.renderStatus('active');
    this.showCsat('hidden');
    this.renderChat({ turns: [], pending: [], waiting: false, offline: false });
    this.updateComposer();
  }

  renderChat(picture: ChatPicture): void {
    this.lastPicture = picture;
    const s = this.strings;
    const items: HTMLLIElement[] = picture.turns.map((t) => this.turnItem(t));
    for (const p of picture.pending) {
      const li = bubble('customer', p.text, s.you);
      li.dataset.pending = 'true';
      if (picture.offline) {
        const note = this.doc.createElement('span');
        note.className = 'pending-note';
        note.textContent = s.sending;
        li.append(note);
      }
      items.push(li);
    }
    if (picture.waiting) items.push(this.typingItem());
    this.transcript.replaceChildren(...items);
    this.transcript.scrollTop = this.transcript.scrollHeight;
    this.renderQuickReplies(picture);
  }

  renderStatus(status: ConversationStatus, detail: StatusDetail = NO_DETAIL): void {
    this.status = status;
    this.detail = detail;
    const s = this.strings;
    const banner =
      status === 'awaiting_agent'
        ? detail.queue
          ? `${s.agentRequested} ${s.queuePosition(detail.queue.position, detail.queue.estimatedWaitSeconds)}`
          : s.agentRequested
        : status === 'with_agent'
          ? s.agentJoined(detail.agentName)
          : status === 'active' && detail.handedBack
            ? s.handedBack
            : null;
    this.banner.hidden = banner === null;
    this.banner.textContent = banner ?? '';
    this.banner.dataset.status = status;
    this.ended.hidden = status !== 'closed';
    this.form.hidden = status === 'closed';
    this.agentButton.disabled = status !== 'active';
  }

  /** The satisfaction prompt after an agent resolved the conversation. */
  showCsat(stage: CsatStage): void {
    this.csatForm.hidden = stage !== 'asking' && stage !== 'sending';
    this.csatThanks.hidden = stage !== 'thanks';
    if (stage === 'hidden' || stage === 'thanks') {
      this.csatComment.value = '';
      this.selectCsat(null);
    }
    for (const b of this.csatStars) b.disabled = stage === 'sending';
    this.csatComment.disabled = stage === 'sending';
    this.csatSubmit.disabled = stage === 'sending' || this.csatScore === null;
  }

  /** Marks stars 1..score; null clears the choice. */
  selectCsat(score: number | null): void {
    this.csatScore = score;
    this.csatStars.forEach((b, i) => {
      b.setAttribute('aria-checked', String(score === i + 1));
      b.classList.toggle('lit', score !== null && i < score);
    });
    this.csatSubmit.disabled = score === null;
  }

  get csatChoice(): number | null {
    return this.csatScore;
  }

  /** Tells screen readers about a new reply (the transcript itself is not a live region). */
  announce(turn: TurnView): void {
    this.announcer.textContent = this.strings.newBotMessage(this.speakerName(turn.speaker), turn.text);
  }

  showError(text: string | null, where: 'chat' | 'welcome' = 'chat'): void {
    const el = where === 'chat' ? this.error : this.welcomeError;
    el.hidden = text === null;
    el.textContent = text ?? '';
  }

  showConnection(text: string | null): void {
    this.connection.hidden = text === null;
    this.connection.textContent = text ?? '';
  }

  showIdleWarning(visible: boolean): void {
    this.idleWarning.hidden = !visible;
  }

  offerTalk(available: boolean): void {
    this.talkButton.hidden = !available;
  }

  renderTalk(state: TalkState, mode: TalkMode): void {
    this.talkState = state;
    this.talkMode = mode;
    const s = this.strings;
    const b = this.talkButton;
    b.dataset.state = state;
    b.dataset.mode = mode;
    b.setAttribute('aria-pressed', String(state === 'listening'));
    b.disabled = state === 'finishing' || state === 'unavailable';
    this.talkLabel.textContent =
      state === 'listening' ? (mode === 'toggle' ? s.talkListeningToggle : s.talkListening) : state === 'finishing' ? s.talkFinishing : state === 'unavailable' ? s.talkUnavailable : s.talkHold;
    if (state !== 'listening') this.showTalkLevel(0);
  }

  /** The microphone level meter, 0…1. */
  showTalkLevel(level: number): void {
    this.talkButton.style.setProperty('--level', level.toFixed(3));
  }

  get showingSpeech(): boolean {
    return this.typedDraft !== null;
  }

  /** Speech recognized so far, greyed in the input box; null gives back what the customer had typed. */
  showSpeech(text: string | null): void {
    if (text !== null) {
      this.typedDraft ??= this.input.value;
      this.input.value = text;
    } else if (this.typedDraft !== null) {
      this.input.value = this.typedDraft;
      this.typedDraft = null;
    }
    const speaking = this.typedDraft !== null;
    this.input.classList.toggle('speech-draft', speaking);
    this.input.readOnly = speaking;
    this.updateComposer();
  }

  /** Send is enabled only with something to send; the counter appears near the limit. */
  updateComposer(): void {
    const length = this.input.value.length;
    this.send.disabled = this.input.value.trim() === '' || this.typedDraft !== null;
    this.counter.hidden = length < COUNTER_FROM;
    this.counter.textContent = this.strings.counter(length, MAX_MESSAGE_CHARS);
    this.counter.classList.toggle('at-limit', length >= MAX_MESSAGE_CHARS);
    // Grow with the text up to a few lines, then scroll inside.
    this.input.style.height = 'auto';
    this.input.style.height = `${Math.min(this.input.scrollHeight, 220)}px`;
  }

  private renderQuickReplies(picture: ChatPicture): void {
    const last = picture.turns.at(-1);
    const labels = !picture.waiting && picture.pending.length === 0 && last && last.speaker !== 'customer' ? (last.suggestions ?? []) : [];
    this.quickReplies.replaceChildren(
      ...labels.map((label) => {
        const b = this.doc.createElement('button');
        b.type = 'button';
        b.className = 'btn suggestion';
        b.dataset.testid = 'suggestion';
        b.dataset.suggestion = label;
        b.textContent = label;
        return b;
      }),
    );
    this.quickReplies.hidden = labels.length === 0;
  }

  private turnItem(turn: TurnView): HTMLLIElement {
    // the server names each agent turn's author (turns stored before it did show the plain label)
    const agentName = turn.speaker === 'agent' ? turn.author : undefined;
    const li = bubble(turn.speaker, turn.text, agentName ? `${this.strings.agent} · ${agentName}` : this.speakerName(turn.speaker));
    if (turn.language) li.lang = turn.language === 'zh' ? 'zh-Hans' : 'en';
    if (turn.citations.length > 0) {
      const list = this.doc.createElement('ul');
      list.className = 'citations';
      for (const c of turn.citations) {
        const chip = this.doc.createElement('li');
        chip.className = 'citation';
        chip.dataset.testid = 'citation';
        chip.dataset.articleId = c.articleId;
        const label = this.doc.createElement('span');
        label.className = 'citation-label';
        label.textContent = this.strings.source;
        chip.append(label, ` ${c.title}`);
        list.append(chip);
      }
      li.append(list);
    }
    return li;
  }

  private typingItem(): HTMLLIElement {
    const li = this.doc.createElement('li');
    li.className = 'turn turn-bot typing';
    li.dataset.testid = 'typing';
    const dots = this.doc.createElement('span');
    dots.className = 'bubble';
    dots.setAttribute('role', 'img');
    dots.setAttribute('aria-label', this.strings.typing);
    for (let i = 0; i < 3; i++) dots.append(Object.assign(this.doc.createElement('span'), { className: 'dot' }));
    li.append(dots);
    return li;
  }

  private speakerName(speaker: TurnView['speaker']): string {
    const s = this.strings;
    return { customer: s.you, bot: s.assistant, agent: s.agent, system: s.system }[speaker];
  }
}

function bubble(speaker: TurnView['speaker'], text: string, who: string): HTMLLIElement {
  const li = document.createElement('li');
  li.className = `turn turn-${speaker}`;
  li.dataset.testid = 'turn';
  li.dataset.speaker = speaker;
  const name = document.createElement('span');
  name.className = speaker === 'agent' ? 'speaker' : 'speaker sr-only';
  name.textContent = who;
  const body = document.createElement('p');
  body.className = 'bubble';
  body.textContent = text;
  li.append(name, body);
  return li;
}
