// The timers every reconnecting page socket needs (kiosk chat, agent desktop): jittered
// backoff between attempts, a deadline for the hello and for each pong (a half-open socket
// never reports close), and a ping interval. Owning them in one place keeps "clear all on
// reconnect" from drifting between pages.

const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];

export class ConnectionTimers {
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private deadlineTimer: ReturnType<typeof setTimeout> | null = null;

  /** `onDeadline` runs when a hello or pong did not arrive in time. */
  constructor(private readonly onDeadline: () => void) {}

  get retryPending(): boolean {
    return this.retryTimer !== null;
  }

  /** Runs `reconnect` after the next backoff step (± 20% jitter), or after `delayMs`. */
  scheduleRetry(reconnect: () => void, delayMs?: number): void {
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)]!;
    this.attempt += 1;
    const delay = delayMs ?? Math.round(base * (0.8 + Math.random() * 0.4));
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      reconnect();
    }, delay);
  }

  /** The server answered: the next outage starts the backoff from the beginning. */
  connected(): void {
    this.attempt = 0;
    this.clearDeadline();
  }

  /** Starts the deadline unless one is already running. */
  armDeadline(ms: number): void {
    this.deadlineTimer ??= setTimeout(() => {
      this.deadlineTimer = null;
      this.onDeadline();
    }, ms);
  }

  clearDeadline(): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = null;
  }

  /** Every `everyMs`, `ping()` sends a ping (returning false if the socket is not open); a pong must follow within `pongTimeoutMs`. */
  startPing(ping: () => boolean, everyMs: number, pongTimeoutMs: number): void {
    this.pingTimer = setInterval(() => {
      if (ping()) this.armDeadline(pongTimeoutMs);
    }, everyMs);
  }

  clear(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.clearDeadline();
    this.retryTimer = this.pingTimer = null;
  }
}

/** Stops listening to a socket (its late events must not reach the page) and returns it to close. */
export function detachSocket(ws: WebSocket | null): WebSocket | null {
  if (ws) ws.onopen = ws.onmessage = ws.onclose = null;
  return ws;
}
