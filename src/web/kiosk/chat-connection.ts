// One live chat conversation over /v1/chat that survives dropped sockets: it reconnects with
// backoff, resumes the same conversation, and re-sends every message whose echo it has not
// seen (same clientMessageId, so the server answers a resend without a second turn).
import type { KioskSession } from './session.ts';
import { newClientMessageId, parseServerMessage, type ClientMessage, type Language, type ServerMessage } from './wire.ts';
import { ConnectionTimers, detachSocket } from '../shared/connection-timers.ts';

export type ConnectionState =
  | 'connecting' // opening a socket or waiting for welcome
  | 'open' // welcomed; messages flow
  | 'retrying' // socket lost, a reconnect is scheduled
  | 'stopped'; // stop() was called or the conversation cannot be resumed

export interface PendingMessage {
  readonly clientMessageId: string;
  readonly text: string;
}

export interface ChatError {
  code: string;
  message: string;
}

export interface ChatConnectionEvents {
  welcome(msg: Extract<ServerMessage, { type: 'welcome' }>): void;
  turns(msg: Extract<ServerMessage, { type: 'turns' }>, acknowledged: PendingMessage | null): void;
  /** The server refused a message; it will not be re-sent. */
  messageFailed(message: PendingMessage, error: ChatError): void;
  /** The conversation cannot be opened or resumed at all; the connection has stopped. */
  fatal(error: ChatError): void;
  /** Anything else worth showing (e.g. the appliance is unreachable while retrying). */
  problem(error: ChatError): void;
  state(state: ConnectionState): void;
  /** Waiting for an agent: the customer's place in line. */
  queue?(msg: Extract<ServerMessage, { type: 'queue' }>): void;
  /** The conversation changed hands (an agent joined, a transfer, back to the bot, resolved). */
  status?(msg: Extract<ServerMessage, { type: 'status' }>): void;
  /** The agent resolved the conversation: ask for a 1–5 score. */
  csatRequest?(msg: Extract<ServerMessage, { type: 'csat_request' }>): void;
  csatThanks?(msg: Extract<ServerMessage, { type: 'csat_thanks' }>): void;
}

export interface ChatConnectionOptions {
  url: string;
  session: KioskSession;
  language: Language;
  /** Resume this conversation instead of starting one. */
  conversationId?: string | null;
  /** Messages a previous page load sent without seeing their echo. */
  pending?: readonly PendingMessage[];
  events: ChatConnectionEvents;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
}

/** Hello refused for these: the token is stale, so fetch a new session and try again. */
const TOKEN_CODES = new Set(['AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_INVALID', 'AUTH_REQUIRED']);
/** Message refused for these: a transient server condition, so keep it and re-send later. */
const TRANSIENT_CODES = new Set(['INTERNAL', 'SERVICE_UNAVAILABLE']);
const HELLO_TIMEOUT_MS = 15_000;

const sameText = (a: string, b: string) => a.normalize('NFC').trim() === b.normalize('NFC').trim();

export class ChatConnection {
  private ws: WebSocket | null = null;
  private stateNow: ConnectionState = 'connecting';
  private convId: string | null;
  private readonly pending: PendingMessage[];
  /** Messages sent on the current socket, oldest first, not yet answered (echo or error). */
  private inFlight: PendingMessage[] = [];
  private tokenRetried = false;
  private readonly timers = new ConnectionTimers(() => this.dropAndRetry());
  /** A score not yet acknowledged with csat_thanks. */
  private pendingCsat: ClientMessage | null = null;

  constructor(private readonly opts: ChatConnectionOptions) {
    this.convId = opts.conversationId ?? null;
    this.pending = [...(opts.pending ?? [])];
    void this.connect();
  }

  get state(): ConnectionState {
    return this.stateNow;
  }

  get conversationId(): string | null {
    return this.convId;
  }

  /** Messages not yet echoed by the server, oldest first. */
  get unconfirmed(): readonly PendingMessage[] {
    return this.pending;
  }

  /** Queues the customer's message; it goes out now if the socket is up, else after the reconnect. */
  send(text: string): PendingMessage {
    if (this.stateNow === 'stopped') throw new Error('chat connection is stopped');
    const message: PendingMessage = { clientMessageId: newClientMessageId(), text };
    this.pending.push(message);
    if (this.stateNow === 'open') this.transmit(message);
    return message;
  }

  /** Sends the satisfaction score now, or right after the next welcome if the line is down. */
  sendCsat(score: number, comment?: string): void {
    if (this.stateNow === 'stopped') return;
    const frame: ClientMessage = comment ? { type: 'csat', score, comment } : { type: 'csat', score };
    this.pendingCsat = frame;
    if (this.stateNow === 'open') this.flushCsat();
  }

  stop(): void {
    this.setState('stopped');
    this.timers.clear();
    this.detach()?.close(1000, 'kiosk reset');
  }

  private async connect(): Promise<void> {
    this.setState('connecting');
    let token: string;
    try {
      token = await this.opts.session.token();
    } catch (err) {
      const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : 'OFFLINE';
      this.opts.events.problem({ code: code.startsWith('HTTP_') || err instanceof TypeError ? 'OFFLINE' : code, message: String(err) });
      return this.scheduleRetry();
    }
    if (this.stateNow === 'stopped') return;
    const ws = new WebSocket(this.opts.url);
    this.ws = ws;
    this.timers.armDeadline(HELLO_TIMEOUT_MS);
    ws.onopen = () => {
      const hello: ClientMessage = this.convId ? { type: 'hello', token, conversationId: this.convId } : { type: 'hello', token, language: this.opts.language };
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (ev) => {
      const msg = typeof ev.data === 'string' ? parseServerMessage(ev.data) : null;
      if (msg) this.onServerMessage(msg);
    };
    ws.onclose = () => {
      this.detach();
      this.timers.clear();
      this.scheduleRetry();
    };
  }

  private onServerMessage(msg: ServerMessage): void {
    const events = this.opts.events;
    switch (msg.type) {
      case 'welcome': {
        this.convId = msg.conversationId;
        this.timers.connected();
        this.tokenRetried = false;
        this.setState('open');
        this.startPing();
        events.welcome(msg);
        for (const m of this.pending) this.transmit(m);
        this.flushCsat();
        return;
      }
      case 'queue':
        events.queue?.(msg);
        return;
      case 'status':
        events.status?.(msg);
        return;
      case 'csat_request':
        events.csatRequest?.(msg);
        return;
      case 'csat_thanks':
        this.pendingCsat = null;
        events.csatThanks?.(msg);
        return;
      case 'turns': {
        const first = msg.turns[0];
        let acked: PendingMessage | null = null;
        const oldest = this.inFlight[0];
        if (oldest && first?.speaker === 'customer' && sameText(first.text, oldest.text)) {
          this.inFlight.shift();
          acked = oldest;
          this.forget(oldest);
        }
        events.turns(msg, acked);
        return;
      }
      case 'pong':
        this.timers.clearDeadline();
        return;
      case 'error':
        return this.onError(msg.error);
    }
  }

  private onError(error: ChatError): void {
    const events = this.opts.events;
    if (this.stateNow !== 'open') {
      // The hello was refused.
      if (TOKEN_CODES.has(error.code) && !this.tokenRetried) {
        this.tokenRetried = true;
        this.opts.session.invalidate();
        return this.dropAndRetry(0);
      }
      this.stop();
      return events.fatal(error);
    }
    // Replies come in the order messages were sent, so an error answers the oldest one in flight.
    const failed = this.inFlight.shift();
    if (!failed) return events.problem(error);
    if (TRANSIENT_CODES.has(error.code)) {
      events.problem(error);
      return this.dropAndRetry();
    }
    this.forget(failed);
    events.messageFailed(failed, error);
  }

  private transmit(message: PendingMessage): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    const frame: ClientMessage = { type: 'message', text: message.text, clientMessageId: message.clientMessageId };
    this.ws.send(JSON.stringify(frame));
    this.inFlight.push(message);
  }

  private flushCsat(): void {
    if (this.pendingCsat && this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(this.pendingCsat));
  }

  private forget(message: PendingMessage): void {
    const i = this.pending.indexOf(message);
    if (i >= 0) this.pending.splice(i, 1);
  }

  private startPing(): void {
    const ping = () => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
      this.ws.send(JSON.stringify({ type: 'ping' } satisfies ClientMessage));
      return true;
    };
    this.timers.startPing(ping, this.opts.pingIntervalMs ?? 20_000, this.opts.pongTimeoutMs ?? 10_000);
  }

  /** Abandons the current socket without waiting for its close handshake, then reconnects. */
  private dropAndRetry(delayMs?: number): void {
    this.timers.clear();
    this.detach()?.close(4000, 'reconnecting');
    this.scheduleRetry(delayMs);
  }

  private scheduleRetry(delayMs?: number): void {
    if (this.stateNow === 'stopped' || this.timers.retryPending) return;
    this.setState('retrying');
    this.inFlight = [];
    this.timers.scheduleRetry(() => void this.connect(), delayMs);
  }

  private detach(): WebSocket | null {
    const ws = detachSocket(this.ws);
    this.ws = null;
    return ws;
  }

  private setState(state: ConnectionState): void {
    if (this.stateNow === state) return;
    this.stateNow = state;
    this.opts.events.state(state);
  }
}
