// The agent desktop's socket to /v1/agent: hello with the staff token, a ping to notice a
// dead line, and reconnects with backoff. The server owns all state, so after a reconnect
// its welcome (with the conversations still assigned) simply replaces what the page shows.
import { SIGNED_OUT_CODES } from '../shared/staff-session.ts';
import { parseAgentServerMessage, type AgentClientMessage, type AgentServerMessage } from './wire.ts';

export type AgentConnectionState = 'connecting' | 'open' | 'retrying' | 'stopped';

export interface AgentConnectionEvents {
  message(msg: AgentServerMessage): void;
  state(state: AgentConnectionState): void;
  /** The server refused this agent (signed out, wrong role): the connection has stopped. */
  fatal(error: { code: string; message: string }): void;
}

export interface AgentConnectionOptions {
  url: string;
  token(): string | null;
  events: AgentConnectionEvents;
  pingIntervalMs?: number;
  pongTimeoutMs?: number;
}

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
const HELLO_TIMEOUT_MS = 15_000;
const REFUSED = new Set([...SIGNED_OUT_CODES, 'AUTH_FORBIDDEN']);

export class AgentConnection {
  private ws: WebSocket | null = null;
  private stateNow: AgentConnectionState = 'connecting';
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private deadlineTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly opts: AgentConnectionOptions) {
    this.connect();
  }

  get state(): AgentConnectionState {
    return this.stateNow;
  }

  /** Sends now, or returns false when the line is down (the page keeps the agent's input). */
  send(msg: AgentClientMessage): boolean {
    if (this.stateNow !== 'open' || !this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(msg));
    return true;
  }

  stop(): void {
    this.setState('stopped');
    this.clearTimers();
    this.detach()?.close(1000, 'signed out');
  }

  /** Drops the socket as if the network had (for the "reconnect" button and tests). */
  reconnectNow(): void {
    this.dropAndRetry(0);
  }

  private connect(): void {
    if (this.stateNow === 'stopped') return;
    const token = this.opts.token();
    if (!token) {
      this.stop();
      this.opts.events.fatal({ code: 'AUTH_REQUIRED', message: 'not signed in' });
      return;
    }
    this.setState('connecting');
    const ws = new WebSocket(this.opts.url);
    this.ws = ws;
    this.deadlineTimer = setTimeout(() => this.dropAndRetry(), HELLO_TIMEOUT_MS);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', token } satisfies AgentClientMessage));
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      const msg = parseAgentServerMessage(ev.data, (why) => console.warn('agent desktop: ignored a server frame:', why));
      if (msg) this.onMessage(msg);
    };
    ws.onclose = () => {
      this.detach();
      this.clearTimers();
      this.scheduleRetry();
    };
  }

  private onMessage(msg: AgentServerMessage): void {
    if (msg.type === 'welcome') {
      this.attempt = 0;
      this.clearDeadline();
      this.setState('open');
      this.startPing();
    } else if (msg.type === 'pong') {
      this.clearDeadline();
      return;
    } else if (msg.type === 'error' && this.stateNow !== 'open') {
      // The hello was refused.
      if (REFUSED.has(msg.error.code)) {
        this.stop();
        this.opts.events.fatal(msg.error);
        return;
      }
      this.dropAndRetry();
      return;
    }
    this.opts.events.message(msg);
  }

  private startPing(): void {
    this.pingTimer = setInterval(() => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
      this.ws.send(JSON.stringify({ type: 'ping' } satisfies AgentClientMessage));
      // A half-open socket never reports close; no pong in time means it is gone.
      this.deadlineTimer ??= setTimeout(() => this.dropAndRetry(), this.opts.pongTimeoutMs ?? 10_000);
    }, this.opts.pingIntervalMs ?? 20_000);
  }

  private clearDeadline(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
  }

  private dropAndRetry(delayMs?: number): void {
    this.clearTimers();
    this.detach()?.close(4000, 'reconnecting');
    this.scheduleRetry(delayMs);
  }

  private scheduleRetry(delayMs?: number): void {
    if (this.stateNow === 'stopped' || this.retryTimer) return;
    this.setState('retrying');
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt += 1;
    const delay = delayMs ?? Math.round(base * (0.8 + Math.random() * 0.4));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private detach(): WebSocket | null {
    const ws = this.ws;
    this.ws = null;
    if (ws) ws.onopen = ws.onmessage = ws.onclose = null;
    return ws;
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.retryTimer = this.pingTimer = this.deadlineTimer = null;
  }

  private setState(state: AgentConnectionState): void {
    if (this.stateNow === state) return;
    this.stateNow = state;
    this.opts.events.state(state);
  }
}
