// Slows password guessing: after too many failed sign-ins for one username (or from one
// address) within a window, further attempts are refused until the lockout passes. Kept in
// memory and bounded: a restart forgets it, which an attacker cannot trigger remotely.
export interface ThrottleSettings {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
  /** Most keys tracked at once; the oldest are forgotten first. */
  maxKeys: number;
}

export const DEFAULT_THROTTLE: ThrottleSettings = { maxFailures: 5, windowMs: 15 * 60_000, lockoutMs: 15 * 60_000, maxKeys: 10_000 };

interface Entry {
  failures: number[];
  lockedUntil: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly settings: ThrottleSettings = DEFAULT_THROTTLE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until these keys may try again, or 0 when they may now. */
  retryAfterSeconds(keys: readonly string[]): number {
    const t = this.now();
    const until = Math.max(0, ...keys.map((k) => this.entries.get(k)?.lockedUntil ?? 0));
    return until > t ? Math.ceil((until - t) / 1000) : 0;
  }

  recordFailure(keys: readonly string[]): void {
    const t = this.now();
    for (const key of keys) {
      const entry = this.entries.get(key) ?? { failures: [], lockedUntil: 0 };
      entry.failures = [...entry.failures.filter((f) => t - f < this.settings.windowMs), t];
      if (entry.failures.length >= this.settings.maxFailures) {
        entry.lockedUntil = t + this.settings.lockoutMs;
        entry.failures = [];
      }
      this.entries.delete(key); // re-insert: Map order is the eviction order
      this.entries.set(key, entry);
    }
    while (this.entries.size > this.settings.maxKeys) this.entries.delete(this.entries.keys().next().value!);
  }

  recordSuccess(keys: readonly string[]): void {
    for (const key of keys) this.entries.delete(key);
  }
}
