// The kiosk's talk button: hold to speak and release to send (mouse, touch, or Space while
// focused), or tap once to start and again to send for customers who cannot hold. The
// microphone streams to /v1/speech while it is open and is closed the moment speaking ends.
import { MicrophoneError, openMicrophone, type Microphone, type MicrophoneErrorCode } from './microphone.ts';
import { FrameChunker, meterLevel, Resampler, speechSampleRate, toPcm16le } from './resampler.ts';
import type { KioskSession } from './session.ts';
import { SpeechConnection, SpeechFailure, type SpeechFailureCode } from './speech-connection.ts';
import type { Language } from './wire.ts';

export type TalkState =
  | 'idle' // ready for a press
  | 'listening' // the microphone is open and streaming
  | 'finishing' // released: waiting for the final result
  | 'unavailable'; // the last try failed; the button rests for a moment, then can be tried again

/** Hold: release sends. Toggle: a short tap started it, the next tap sends. */
export type TalkMode = 'hold' | 'toggle';

export type TalkErrorCode = MicrophoneErrorCode | SpeechFailureCode;

export interface PushToTalkEvents {
  state(state: TalkState, mode: TalkMode): void;
  /** Microphone loudness, 0…1, about fifty times a second while listening. */
  level(level: number): void;
  /** Everything recognized so far, as it should read in the input box. */
  transcript(text: string): void;
  /** Speaking ended: the recognized words ('' when nothing was understood). */
  heard(text: string): void;
  failed(code: TalkErrorCode): void;
}

export interface PushToTalkOptions {
  button: HTMLButtonElement;
  /** ws(s)://…/v1/speech */
  url: string;
  session: KioskSession;
  /** The language to recognize, read when speaking starts. */
  language(): Language;
  events: PushToTalkEvents;
}

/** A press shorter than this is a tap: listening stays on until the next tap. */
const TAP_MS = 350;
/** Nobody needs longer for one kiosk question; past this the button lets go by itself. */
const MAX_LISTEN_MS = 30_000;
/** How long the button rests after a failure before it can be tried again. */
const RETRY_AFTER_MS = 8_000;
/** A permission prompt nobody answers must not hold the button forever. */
const MIC_OPEN_TIMEOUT_MS = 10_000;

/** One press-to-release: microphone → resampler → 100 ms PCM16LE frames → speech socket. */
class Utterance {
  private mic: Microphone | null = null;
  private stopped = false;
  private readonly resampler: Resampler;
  private readonly chunker: FrameChunker;
  private readonly connection: SpeechConnection;
  /** Settles when the microphone is open (or failed to open). */
  readonly ready: Promise<void>;

  constructor(
    context: AudioContext,
    opts: { url: string; session: KioskSession; language: Language; onLevel(level: number): void; onTranscript(text: string): void; onFailure(err: SpeechFailure): void },
  ) {
    const rate = speechSampleRate(context.sampleRate);
    this.resampler = new Resampler(context.sampleRate, rate);
    this.chunker = new FrameChunker(rate / 10);
    this.connection = new SpeechConnection({ url: opts.url, session: opts.session, language: opts.language, sampleRate: rate, onTranscript: opts.onTranscript, onFailure: opts.onFailure });
    const onAudio = (samples: Float32Array) => {
      if (this.stopped) return;
      opts.onLevel(meterLevel(samples));
      this.send(this.chunker.push(this.resampler.push(samples)));
    };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MicrophoneError('MIC_UNAVAILABLE', 'the microphone did not open in time')), MIC_OPEN_TIMEOUT_MS);
    });
    const opening = openMicrophone(context, onAudio);
    // Opened after the customer already let go (or after the timeout): close it straight away.
    void opening.then((mic) => (this.stopped ? mic.close() : (this.mic = mic)), () => undefined);
    this.ready = Promise.race([opening.then(() => undefined), timeout]).finally(() => clearTimeout(timer));
  }

  /** Closes the microphone, sends what is left and returns the recognized text. */
  async finish(): Promise<string> {
    this.stopMicrophone();
    await this.ready;
    const tail = this.resampler.flush();
    this.send([...this.chunker.push(tail), this.chunker.flush()].filter((f): f is Float32Array => f !== null && f.length > 0));
    return this.connection.finish();
  }

  cancel(): void {
    this.stopMicrophone();
    this.connection.abort();
  }

  private stopMicrophone(): void {
    this.stopped = true;
    this.mic?.close();
    this.mic = null;
  }

  private send(frames: Float32Array[]): void {
    for (const f of frames) this.connection.sendAudio(toPcm16le(f));
  }
}

export class PushToTalk {
  private stateNow: TalkState = 'idle';
  private mode: TalkMode = 'hold';
  private utterance: Utterance | null = null;
  /** A press (pointer or Space) is down. */
  private pressed = false;
  /** …and it was the one that started listening (so its release may send). */
  private pressStarted = false;
  private pressedAt = 0;
  private ignoreClicksUntil = 0;
  private maxTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: PushToTalkOptions) {
    this.bind(opts.button);
  }

  get state(): TalkState {
    return this.stateNow;
  }

  /** Drops whatever is being said and closes the microphone (reset, page hidden, conversation over). */
  cancel(): void {
    this.clearTimers();
    this.utterance?.cancel();
    this.utterance = null;
    this.pressed = false;
    this.setState('idle', 'hold');
  }

  private bind(button: HTMLButtonElement): void {
    button.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || button.disabled) return;
      // Keep receiving the release even if the finger slides off the button.
      button.setPointerCapture(e.pointerId);
      this.press(e.timeStamp);
    });
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture'] as const) button.addEventListener(type, (e) => this.release(e.timeStamp));
    // A long touch must not open the context menu or select text.
    button.addEventListener('contextmenu', (e) => e.preventDefault());
    button.addEventListener('keydown', (e) => {
      if (e.key !== ' ') return;
      e.preventDefault();
      if (!e.repeat) this.press(e.timeStamp);
    });
    button.addEventListener('keyup', (e) => {
      if (e.key !== ' ') return;
      e.preventDefault();
      this.ignoreClicksUntil = e.timeStamp + 500;
      this.release(e.timeStamp);
    });
    button.addEventListener('blur', (e) => this.release(e.timeStamp));
    // Enter, switch access and screen readers "click" without a pointer (detail 0): that toggles.
    button.addEventListener('click', (e) => {
      if (e.detail !== 0 || this.pressed || e.timeStamp < this.ignoreClicksUntil) return;
      if (this.stateNow === 'idle') this.start('toggle');
      else if (this.stateNow === 'listening') this.finish();
    });
  }

  /** `at`: the event's own time stamp, so a busy main thread does not turn a tap into a hold. */
  private press(at: number): void {
    if (this.pressed) return;
    this.pressed = true;
    this.pressStarted = false;
    this.pressedAt = at;
    if (this.stateNow === 'listening' && this.mode === 'toggle') return this.finish();
    if (this.stateNow === 'idle') {
      this.pressStarted = true;
      this.start('hold');
    }
  }

  private release(at: number): void {
    if (!this.pressed) return;
    this.pressed = false;
    if (!this.pressStarted || this.stateNow !== 'listening') return;
    if (at - this.pressedAt < TAP_MS) this.setState('listening', 'toggle');
    else this.finish();
  }

  private start(mode: TalkMode): void {
    if (this.stateNow !== 'idle') return;
    const { events } = this.opts;
    let context: AudioContext;
    try {
      // Created here, inside the gesture, so the browser lets it run.
      context = new AudioContext({ latencyHint: 'interactive' });
    } catch {
      return this.fail('MIC_UNAVAILABLE');
    }
    const u: Utterance = new Utterance(context, {
      url: this.opts.url,
      session: this.opts.session,
      language: this.opts.language(),
      onLevel: (level) => this.utterance === u && events.level(level),
      onTranscript: (text) => this.utterance === u && events.transcript(text),
      onFailure: (err) => this.utterance === u && this.fail(err.code),
    });
    this.utterance = u;
    u.ready.catch((err: unknown) => {
      if (this.utterance === u) this.fail(err instanceof MicrophoneError ? err.code : 'MIC_UNAVAILABLE');
    });
    this.setState('listening', mode);
    this.maxTimer = setTimeout(() => this.finish(), MAX_LISTEN_MS);
  }

  private finish(): void {
    const u = this.utterance;
    if (this.stateNow !== 'listening' || !u) return;
    this.clearTimers();
    this.setState('finishing', this.mode);
    this.opts.events.level(0);
    u.finish().then(
      (text) => {
        if (this.utterance !== u) return;
        this.utterance = null;
        this.setState('idle', 'hold');
        this.opts.events.heard(text);
      },
      (err: unknown) => {
        if (this.utterance !== u) return;
        this.fail(err instanceof SpeechFailure || err instanceof MicrophoneError ? err.code : 'SPEECH_UNAVAILABLE');
      },
    );
  }

  private fail(code: TalkErrorCode): void {
    this.clearTimers();
    this.utterance?.cancel();
    this.utterance = null;
    this.pressed = false;
    this.opts.events.level(0);
    this.setState('unavailable', 'hold');
    this.opts.events.failed(code);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.setState('idle', 'hold');
    }, RETRY_AFTER_MS);
  }

  private clearTimers(): void {
    if (this.maxTimer) clearTimeout(this.maxTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.maxTimer = this.retryTimer = null;
  }

  private setState(state: TalkState, mode: TalkMode): void {
    if (this.stateNow === state && this.mode === mode) return;
    this.stateNow = state;
    this.mode = mode;
    this.opts.events.state(state, mode);
  }
}
