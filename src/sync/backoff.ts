// Reconnect delays: exponential growth with "equal jitter" (each wait uniformly between half
// and all of the current step), so a fleet of branches coming back after a central outage
// does not reconnect in lockstep, yet no branch retries in a tight loop.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  multiplier: number;
}

export class Backoff {
  #attempt = 0;

  constructor(
    private readonly policy: BackoffPolicy,
    /** Injected so tests are deterministic; returns [0, 1). */
    private readonly random: () => number = Math.random,
  ) {}

  /** The wait before the next attempt; each call counts one more failed attempt. */
  next(): number {
    const step = Math.min(this.policy.maxMs, this.policy.initialMs * this.policy.multiplier ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 64);
    return Math.round(step / 2 + this.random() * (step / 2));
  }

  /** After a connection that worked: start again from the initial delay. */
  reset(): void {
    this.#attempt = 0;
  }

  get attempts(): number {
    return this.#attempt;
  }
}

/** A seeded [0,1) generator (mulberry32) for reproducible jitter in tests and benchmarks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
