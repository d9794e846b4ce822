// The branch kiosk chat page served at `/`: a welcome screen, then one conversation with the
// assistant over the WebSocket chat, wiped after two idle minutes for the next customer.
import './styles.css';
import { ChatConnection, type ChatError, type ConnectionState, type PendingMessage } from './chat-connection.ts';
import { errorText } from './i18n.ts';
import { IdleWatch, idleTimeoutFrom } from './idle.ts';
import { microphoneSupported } from './microphone.ts';
import { PushToTalk } from './push-to-talk.ts';
import { captureDeviceToken, KioskSession } from './session.ts';
import { KioskView, type StatusDetail } from './view.ts';
import type { ConversationStatus, Language, TurnView } from './wire.ts';

/** What survives a reload of the page in this tab (never beyond the idle timeout). */
const SAVED_KEY = 'switchboard.kiosk.conversation';
interface Saved {
  conversationId: string;
  language: Language;
  pending: PendingMessage[];
  lastActivity: number;
}

class KioskApp {
  private language: Language;
  private readonly defaultLanguage: Language;
  private connection: ChatConnection | null = null;
  private turns = new Map<number, TurnView>();
  private status: ConversationStatus = 'active';
  private detail: StatusDetail = { queue: null, agentName: null, handedBack: false };
  /** Who wrote each agent turn, as far as this page was told. */
  /** Between Start and the welcome: the "…" bubble shows. */
  private opening = false;
  private lastActivity = Date.now();
  /** Shown errors are kept as codes, so a language switch can say them again. */
  private shownError: ChatError | null = null;
  private connectionState: ConnectionState = 'connecting';
  private readonly idle: IdleWatch;
  private readonly idleTimeoutMs: number;
  private readonly talk: PushToTalk | undefined;

  constructor(
    private readonly view: KioskView,
    private readonly session: KioskSession,
  ) {
    this.defaultLanguage = navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
    this.language = this.defaultLanguage;
    this.idleTimeoutMs = idleTimeoutFrom(location.search);
    this.idle = new IdleWatch({
      timeoutMs: this.idleTimeoutMs,
      target: document,
      onWarn: () => view.showIdleWarning(true),
      onActive: () => {
        view.showIdleWarning(false);
        this.lastActivity = Date.now();
        this.save();
      },
      onIdle: () => this.reset(),
    });
    this.talk = this.createTalk();
    this.bindEvents();
  }

  /** The talk button: speech goes in through the same conversation as typed words. */
  private createTalk(): PushToTalk {
    const v = this.view;
    this.offerTalk();
    this.session.onSpeechLanguages = () => this.offerTalk();
    const talk = new PushToTalk({
      button: v.talkButton,
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/speech`,
      session: this.session,
      language: () => this.language,
      events: {
        state: (state, mode) => {
          v.renderTalk(state, mode);
          if (state === 'listening' && !v.showingSpeech) {
            this.clearError();
            v.showSpeech('');
          }
        },
        level: (level) => v.showTalkLevel(level),
        transcript: (text) => {
          if (v.showingSpeech) v.showSpeech(text);
        },
        heard: (text) => {
          v.showSpeech(null);
          if (!text) return this.showError({ code: 'SPEECH_NOT_UNDERSTOOD', message: 'nothing recognized' });
          // If it cannot go out (conversation over), leave the words in the box rather than lose them.
          if (!this.sendText(text) && v.input.value === '') {
            v.input.value = text;
            v.updateComposer();
          }
        },
        failed: (code) => {
          v.showSpeech(null);
          this.showError({ code, message: 'voice input failed' });
        },
      },
    });
    // Never leave the microphone open behind the customer's back.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.stopTalking();
    });
    window.addEventListener('pagehide', () => this.stopTalking());
    return talk;
  }

  /**
   * The talk button shows where the page may use a microphone (https or the appliance's own
   * screen) and the appliance can hear the chosen language (speech on, model installed).
   */
  private offerTalk(): void {
    const available = microphoneSupported() && this.session.speechLanguages.includes(this.language);
    if (!available) this.talk?.cancel();
    this.view.offerTalk(available);
  }

  private stopTalking(): void {
    this.talk?.cancel();
    this.view.showSpeech(null);
  }

  /** Resumes the conversation this tab had before a reload, if it is recent enough. */
  boot(): void {
    const saved = this.loadSaved();
    this.view.setLanguage(saved?.language ?? this.language);
    if (saved) {
      this.language = saved.language;
      this.open(saved.conversationId, saved.pending);
    } else {
      this.view.showScreen('welcome');
    }
  }

  private bindEvents(): void {
    const v = this.view;
    for (const b of v.langButtons) b.addEventListener('click', () => this.setLanguage(b.dataset.lang === 'zh' ? 'zh' : 'en'));
    v.start.addEventListener('click', () => this.open(null, []));
    v.startNew.addEventListener('click', () => {
      this.close();
      this.open(null, []);
    });
    v.endButton.addEventListener('click', () => this.reset());
    v.agentButton.addEventListener('click', () => this.sendText(v.text.agentMessage));
    v.quickReplies.addEventListener('click', (e) => {
      const b = e.target instanceof Element ? e.target.closest<HTMLButtonElement>('button[data-suggestion]') : null;
      if (b?.dataset.suggestion) this.sendText(b.dataset.suggestion);
    });
    v.input.addEventListener('input', () => v.updateComposer());
    for (const star of v.csatStars) star.addEventListener('click', () => v.selectCsat(Number(star.dataset.score)));
    v.csatForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const score = v.csatChoice;
      if (score === null || !this.connection) return;
      const comment = v.csatComment.value.trim();
      this.connection.sendCsat(score, comment || undefined);
      v.showCsat('sending');
    });
    v.input.addEventListener('keydown', (e) => {
      // Enter sends, Shift+Enter breaks the line, and Enter that confirms an IME candidate (Chinese input) does neither.
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        v.form.requestSubmit();
      }
    });
    v.form.addEventListener('submit', (e) => {
      e.preventDefault();
      if (v.showingSpeech) return; // words still being recognized go out when speaking ends
      if (this.sendText(v.input.value)) {
        v.input.value = '';
        v.updateComposer();
      }
    });
  }

  private setLanguage(lang: Language): void {
    this.language = lang;
    this.view.setLanguage(lang);
    this.offerTalk();
    // Redraw the connection line first: its "open" path clears errors, and the one on screen must stay, translated.
    const error = this.shownError;
    if (this.connection) this.onConnectionState(this.connectionState);
    if (error) this.showError(error);
    this.save();
  }

  private open(conversationId: string | null, pending: PendingMessage[]): void {
    const v = this.view;
    v.clearChat();
    v.setLanguage(this.language);
    v.showError(null, 'welcome');
    v.showScreen('chat');
    this.turns.clear();
    this.status = 'active';
    this.detail = { queue: null, agentName: null, handedBack: false };
    this.opening = true;
    this.connectionState = 'connecting';
    this.shownError = null;
    this.lastActivity = Date.now();
    this.connection = new ChatConnection({
      url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/chat`,
      session: this.session,
      language: this.language,
      conversationId,
      pending,
      events: {
        welcome: (msg) => {
          const first = this.turns.size === 0 && !conversationId;
          this.turns = new Map(msg.turns.map((t) => [t.seq, t]));
          this.opening = false;
          // After a reload the banner still names the agent serving the customer.
          if (msg.status === 'with_agent') this.detail = { queue: null, agentName: msg.agentName, handedBack: false };
          this.setStatus(msg.status);
          const greeting = msg.turns.at(-1);
          if (first && greeting && greeting.speaker !== 'customer') v.announce(greeting);
          this.redraw();
          this.save();
        },
        turns: (msg) => {
          for (const t of msg.turns) {
            this.turns.set(t.seq, t);
          }
          this.clearError();
          this.setStatus(msg.status);
          const reply = msg.turns.filter((t) => t.speaker !== 'customer').at(-1);
          if (reply) v.announce(reply);
          this.redraw();
          this.save();
        },
        messageFailed: (message, error) => {
          this.showError(error);
          if (error.code === 'CONVERSATION_CLOSED') this.setStatus('closed');
          // Give the words back so the customer can fix and resend them.
          else if (v.input.value === '') {
            v.input.value = message.text;
            v.updateComposer();
          }
          this.redraw();
          this.save();
        },
        queue: (msg) => {
          this.detail = { ...this.detail, queue: { position: msg.position, estimatedWaitSeconds: msg.estimatedWaitSeconds } };
          this.setStatus(this.status === 'active' ? 'awaiting_agent' : this.status);
        },
        status: (msg) => {
          if (msg.status === 'with_agent') this.detail = { queue: null, agentName: msg.agentName, handedBack: false };
          else if (msg.status === 'awaiting_agent') this.detail = { ...this.detail, agentName: null };
          this.setStatus(msg.status);
          this.redraw();
          this.save();
        },
        csatRequest: () => v.showCsat('asking'),
        csatThanks: () => v.showCsat('thanks'),
        fatal: (error) => this.reset(error),
        problem: (error) => this.showError(error),
        state: (state) => this.onConnectionState(state),
      },
    });
    this.idle.arm();
    this.redraw();
    this.save();
    v.input.focus();
  }

  /** Returns true when the text was queued for sending. */
  private sendText(raw: string): boolean {
    const text = raw.trim();
    if (!text || !this.connection || this.connection.state === 'stopped' || this.status === 'closed') return false;
    this.clearError();
    if (this.detail.handedBack) this.setStatus(this.status, { ...this.detail, handedBack: false });
    this.connection.send(text);
    this.redraw();
    this.save();
    return true;
  }

  private onConnectionState(state: ConnectionState): void {
    this.connectionState = state;
    const everOpened = !this.opening;
    this.view.showConnection(state === 'retrying' || (state === 'connecting' && everOpened) ? this.view.text.reconnecting : null);
    if (state === 'open') this.clearError();
    this.redraw();
  }

  private setStatus(status: ConversationStatus, detail: StatusDetail = this.detail): void {
    this.detail = detail;
    // Leaving a person (or the line for one) for the bot: say so until the customer writes again.
    if (status === 'active' && (this.status === 'with_agent' || this.status === 'awaiting_agent')) this.detail = { ...this.detail, handedBack: true, agentName: null };
    if (status !== 'awaiting_agent') this.detail = { ...this.detail, queue: null };
    if (status !== 'active') this.detail = { ...this.detail, handedBack: false };
    this.status = status;
    this.view.renderStatus(status, this.detail);
  }

  private showError(error: ChatError): void {
    this.shownError = error;
    this.view.showError(errorText(error.code, this.language));
  }

  private clearError(): void {
    this.shownError = null;
    this.view.showError(null);
  }

  private redraw(): void {
    const pending = this.connection?.unconfirmed ?? [];
    this.view.renderChat({
      turns: [...this.turns.values()].sort((a, b) => a.seq - b.seq),
      pending,
      waiting: this.opening || pending.length > 0,
      offline: this.connectionState === 'retrying' || (this.connectionState === 'connecting' && !this.opening),
    });
  }

  /** Stops the conversation on this screen (the transcript stays on the appliance). */
  private close(): void {
    this.stopTalking();
    this.connection?.stop();
    this.connection = null;
    this.turns.clear();
    sessionStorage.removeItem(SAVED_KEY);
  }

  /** Back to a clean welcome screen for the next customer. */
  private reset(error?: ChatError): void {
    this.close();
    this.idle.disarm();
    this.opening = false;
    this.shownError = null;
    this.language = this.defaultLanguage;
    this.view.clearChat();
    this.view.setLanguage(this.language);
    this.view.showScreen('welcome');
    this.view.showError(error ? errorText(error.code, this.language) : null, 'welcome');
    this.view.start.focus();
  }

  private save(): void {
    const id = this.connection?.conversationId;
    if (!id) return;
    const saved: Saved = { conversationId: id, language: this.language, pending: [...(this.connection?.unconfirmed ?? [])], lastActivity: this.lastActivity };
    sessionStorage.setItem(SAVED_KEY, JSON.stringify(saved));
  }

  private loadSaved(): Saved | null {
    const raw = sessionStorage.getItem(SAVED_KEY);
    sessionStorage.removeItem(SAVED_KEY);
    if (!raw) return null;
    try {
      const v: unknown = JSON.parse(raw);
      if (typeof v !== 'object' || v === null) return null;
      const r = v as Record<string, unknown>;
      if (typeof r.conversationId !== 'string' || typeof r.lastActivity !== 'number') return null;
      if (Date.now() - r.lastActivity > this.idleTimeoutMs) return null; // someone else may be standing here now
      const pending = Array.isArray(r.pending)
        ? r.pending.filter((p): p is PendingMessage => typeof p === 'object' && p !== null && typeof p.clientMessageId === 'string' && typeof p.text === 'string')
        : [];
      return { conversationId: r.conversationId, language: r.language === 'zh' ? 'zh' : 'en', pending, lastActivity: r.lastActivity };
    } catch {
      return null;
    }
  }
}

captureDeviceToken(location, localStorage, history);
new KioskApp(new KioskView(document), new KioskSession(localStorage)).boot();
