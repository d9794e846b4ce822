// The agent desktop's socket to /v1/agent: hello with the staff token, a ping to notice a
// dead line, and reconnects with backoff. The server owns all state, so after a reconnect
// its welcome (with the conversations still assigned) simply replaces what the page shows.
import { SIGNED_OUT_CODES } from '../shared/staff-session.ts';
import { parseAgentServerMessage, type AgentClientMessage, type AgentServerMessage } from './wire.ts';
import { ConnectionTimers, detachSocket } from '../shared/connection-timers.ts';

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

const HELLO_TIMEOUT_MS = 15_000;
const REFUSED = new Set([...SIGNED_OUT_CODES, 'AUTH_FORBIDDEN']);

export class AgentConnection {
  private ws: WebSocket | null = null;
  private stateNow: AgentConnectionState = 'connecting';
  private readonly timers = new ConnectionTimers(() => this.dropAndRetry());

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
    this.timers.clear();
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
    this.timers.armDeadline(HELLO_TIMEOUT_MS);
    ws.onopen = () => ws.send(JSON.stringify({ type: 'hello', token } satisfies AgentClientMessage));
    ws.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      const msg = parseAgentServerMessage(ev.data, (why) => console.warn('agent desktop: ignored a server frame:', why));
      if (msg) this.onMessage(msg);
    };
    ws.onclose = () => {
      this.detach();
      this.timers.clear();
      this.scheduleRetry();
    };
  }

  private onMessage(msg: AgentServerMessage): void {
    if (msg.type === 'welcome') {
      this.timers.connected();
      this.setState('open');
      this.startPing();
    } else if (msg.type === 'pong') {
      this.timers.clearDeadline();
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
    const ping = () => this.send({ type: 'ping' });
    this.timers.startPing(ping, this.opts.pingIntervalMs ?? 20_000, this.opts.pongTimeoutMs ?? 10_000);
  }

  private dropAndRetry(delayMs?: number): void {
    this.timers.clear();
    this.detach()?.close(4000, 'reconnecting');
    this.scheduleRetry(delayMs);
  }

  private scheduleRetry(delayMs?: number): void {
    if (this.stateNow === 'stopped' || this.timers.retryPending) return;
    this.setState('retrying');
    this.timers.scheduleRetry(() => this.connect(), delayMs);
  }

  private detach(): WebSocket | null {
    const ws = detachSocket(this.ws);
    this.ws = null;
    return ws;
  }

  private setState(state: AgentConnectionState): void {
    if (this.stateNow === state) return;
    this.stateNow = state;
    this.opts.events.state(state);
  }
}
