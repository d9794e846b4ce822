// One utterance over /v1/speech (the vosk-server protocol): config, PCM16LE frames, then eof;
// every frame is answered with a partial or, at a pause, a final. Audio recorded before the
// socket opens waits in a queue, so the first word is not lost while the line comes up.
import type { KioskSession } from './session.ts';
import type { Language } from './wire.ts';

export type SpeechServerMessage = { type: 'partial'; text: string } | { type: 'final'; text: string } | { type: 'error'; code: string };

/** A server frame, or null when it is not one this page understands. */
export function parseSpeechMessage(raw: string): SpeechServerMessage | null {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  if (typeof r.partial === 'string') return { type: 'partial', text: r.partial };
  if (typeof r.text === 'string') return { type: 'final', text: r.text };
  if (typeof r.error === 'object' && r.error !== null && typeof (r.error as Record<string, unknown>).code === 'string') {
    return { type: 'error', code: (r.error as Record<string, string>).code! };
  }
  return null;
}

/** What the customer is told: the appliance is busy, or voice input is not available at all. */
export type SpeechFailureCode = 'SPEECH_BUSY' | 'SPEECH_UNAVAILABLE';

export class SpeechFailure extends Error {
  constructor(
    readonly code: SpeechFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'SpeechFailure';
  }
}

const BUSY_CODES = new Set(['SPEECH_BUSY', 'SPEECH_ENGINE_UNAVAILABLE']);
/** 1013 "try again later" is what the appliance closes with when every recognizer is taken. */
const BUSY_CLOSE = 1013;
const OPEN_TIMEOUT_MS = 8_000;
const FINISH_TIMEOUT_MS = 15_000;

/**
 * Joins recognizer words as a customer would write them: `[unk]` dropped, and no spaces between
 * Chinese characters (the model returns words separated by spaces).
 */
export function transcriptText(raw: string): string {
  return raw
    .split(/\s+/)
    .filter((w) => w && w !== '[unk]' && w !== '<unk>')
    .join(' ')
    .replace(/(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])/g, '');
}

export interface SpeechConnectionOptions {
  url: string;
  session: KioskSession;
  language: Language;
  sampleRate: number;
  /** Finals so far plus the current partial, as the customer should see it. */
  onTranscript(text: string): void;
  /** The line failed before finish() settled; the utterance is lost. */
  onFailure(failure: SpeechFailure): void;
}

type State = 'connecting' | 'open' | 'finishing' | 'done';

export class SpeechConnection {
  private ws: WebSocket | null = null;
  private state: State = 'connecting';
  private readonly queue: ArrayBuffer[] = [];
  private readonly finals: string[] = [];
  private partial = '';
  private tokenRetried = false;
  private opened = false;
  private finishRequested = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private settle: { resolve(text: string): void; reject(err: SpeechFailure): void } | null = null;

  constructor(private readonly opts: SpeechConnectionOptions) {
    void this.connect();
  }

  /** Queues one frame of PCM16LE audio; it goes out as soon as the socket is open. */
  sendAudio(frame: ArrayBuffer): void {
    if (this.state === 'done' || this.finishRequested) return;
    if (this.state === 'open' && this.ws?.readyState === WebSocket.OPEN) this.ws.send(frame);
    else this.queue.push(frame);
  }

  /** Ends the utterance: resolves with the whole recognized text ('' when nothing was understood). */
  finish(): Promise<string> {
    if (this.state === 'done') return Promise.reject(new SpeechFailure('SPEECH_UNAVAILABLE', 'speech connection already ended'));
    this.finishRequested = true;
    const result = new Promise<string>((resolve, reject) => (this.settle = { resolve, reject }));
    this.restartTimer(FINISH_TIMEOUT_MS, 'no final result in time');
    if (this.state === 'open') this.sendEof();
    return result;
  }

  /** Drops the utterance without waiting for a result. */
  abort(): void {
    this.end();
    this.detach()?.close(1000, 'cancelled');
  }

  private async connect(): Promise<void> {
    this.restartTimer(OPEN_TIMEOUT_MS, 'speech socket did not open in time');
    let token: string;
    try {
      token = await this.opts.session.token();
    } catch (err) {
      return this.fail(new SpeechFailure('SPEECH_UNAVAILABLE', `no kiosk session: ${String(err)}`));
    }
    if (this.state === 'done') return;
    // Browsers cannot set an Authorization header on a WebSocket: the token rides as a subprotocol.
    const ws = new WebSocket(this.opts.url, ['vosk', `bearer.${token}`]);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      this.opened = true;
      this.state = 'open';
      if (!this.finishRequested) this.clearTimer();
      ws.send(JSON.stringify({ config: { sample_rate: this.opts.sampleRate, language: this.opts.language } }));
      for (const frame of this.queue.splice(0)) ws.send(frame);
      if (this.finishRequested) this.sendEof();
    };
    ws.onmessage = (ev) => {
      const msg = typeof ev.data === 'string' ? parseSpeechMessage(ev.data) : null;
      if (msg) this.onMessage(msg);
    };
    ws.onclose = (ev) => this.onClose(ev.code);
  }

  private onMessage(msg: SpeechServerMessage): void {
    if (this.state === 'done') return;
    switch (msg.type) {
      case 'partial':
        this.partial = transcriptText(msg.text);
        break;
      case 'final': {
        // A pause ends an utterance mid-stream (the appliance's endpointing); keep every one.
        const text = transcriptText(msg.text);
        if (text) this.finals.push(text);
        this.partial = '';
        break;
      }
      case 'error':
        return this.fail(new SpeechFailure(BUSY_CODES.has(msg.code) ? 'SPEECH_BUSY' : 'SPEECH_UNAVAILABLE', `speech error ${msg.code}`));
    }
    this.opts.onTranscript(this.text());
  }

  private onClose(code: number): void {
    this.detach();
    if (this.state === 'done') return;
    if (this.state === 'finishing' && code === 1000) {
      const settle = this.settle;
      const text = this.text();
      this.end();
      settle?.resolve(text);
      return;
    }
    // A refused upgrade (401: token expired or revoked) reaches the page only as a close before
    // open, like a network failure: fetch a new session once and try again. Nothing was sent yet.
    if (!this.opened && !this.tokenRetried) {
      this.tokenRetried = true;
      this.state = 'connecting';
      this.opts.session.invalidate();
      void this.connect();
      return;
    }
    this.fail(new SpeechFailure(code === BUSY_CLOSE ? 'SPEECH_BUSY' : 'SPEECH_UNAVAILABLE', `speech socket closed (${code})`));
  }

  private sendEof(): void {
    this.state = 'finishing';
    this.ws?.send(JSON.stringify({ eof: 1 }));
  }

  private text(): string {
    return [...this.finals, this.partial].filter(Boolean).join(this.opts.language === 'zh' ? '' : ' ');
  }

  private fail(failure: SpeechFailure): void {
    if (this.state === 'done') return;
    const settle = this.settle;
    this.end();
    this.detach()?.close(1000, 'failed');
    if (settle) settle.reject(failure);
    else this.opts.onFailure(failure);
  }

  private end(): void {
    this.state = 'done';
    this.settle = null;
    this.queue.length = 0;
    this.clearTimer();
  }

  private restartTimer(ms: number, why: string): void {
    this.clearTimer();
    this.timer = setTimeout(() => this.fail(new SpeechFailure('SPEECH_UNAVAILABLE', why)), ms);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private detach(): WebSocket | null {
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.onopen = ws.onmessage = ws.onclose = null;
    return ws;
  }
}
