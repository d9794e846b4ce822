// Inactivity reset: a kiosk is shared by strangers, so after a quiet spell the conversation
// is wiped and the welcome screen returns. A warning shows shortly before.

export interface IdleWatchOptions {
  timeoutMs: number;
  onWarn(): void;
  /** The customer did something (hide the warning, note the time). */
  onActive(): void;
  onIdle(): void;
  /** Any customer interaction on this target postpones the reset. */
  target: EventTarget;
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'] as const;

export class IdleWatch {
  private warnTimer: ReturnType<typeof setTimeout> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  private armed = false;
  private readonly onActivity = () => {
    if (!this.armed) return;
    this.restart();
    this.opts.onActive();
  };

  constructor(private readonly opts: IdleWatchOptions) {
    for (const type of ACTIVITY_EVENTS) opts.target.addEventListener(type, this.onActivity, { capture: true, passive: true });
  }

  /** Starts (or restarts) counting; call when a conversation is on screen. */
  arm(): void {
    this.armed = true;
    this.restart();
  }

  disarm(): void {
    this.armed = false;
    this.clear();
  }

  private restart(): void {
    this.clear();
    const { timeoutMs } = this.opts;
    // Warn in the last quarter, at most 20 s before the reset.
    const warnAfter = timeoutMs - Math.min(20_000, timeoutMs / 4);
    this.warnTimer = setTimeout(() => this.opts.onWarn(), warnAfter);
    this.idleTimer = setTimeout(() => {
      this.disarm();
      this.opts.onIdle();
    }, timeoutMs);
  }

  private clear(): void {
    if (this.warnTimer) clearTimeout(this.warnTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.warnTimer = this.idleTimer = null;
  }
}

/** The reset delay: `?idle=<seconds>` (for tests and branch tuning), else two minutes. */
export function idleTimeoutFrom(search: string): number {
  const seconds = Number(new URLSearchParams(search).get('idle'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 120_000;
}
