// Optional forward of applied events to the CRM's own HTTP endpoint, in apply order, with
// the event id as Idempotency-Key (so a retry after a timeout is harmless) and backoff on
// failure. Runs behind the store: a slow or down CRM endpoint never stalls MQTT intake.
import type { Logger } from '../../ops/index.ts';
import { Backoff } from '../backoff.ts';
import type { CrmStore } from './crm-store.ts';

const CURSOR = 'forwarded_order';

export class Forwarder {
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;
  #backoff = new Backoff({ initialMs: 500, maxMs: 30_000, multiplier: 2 });
  forwarded = 0;

  constructor(private readonly o: { url: string; store: CrmStore; logger: Logger; pollMs?: number; timeoutMs?: number; headers?: Record<string, string> }) {}

  start(): void {
    this.#schedule(0);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
  }

  #schedule(ms: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#run().then(
        (delay) => this.#schedule(delay),
        (err: unknown) => {
          const delay = this.#backoff.next();
          this.o.logger.warn({ err, retryInMs: delay }, 'forwarding to the CRM endpoint failed; will retry');
          this.#schedule(delay);
        },
      );
    }, ms);
  }

  /** Forwards one batch; returns the delay before the next run. */
  async #run(): Promise<number> {
    const from = this.o.store.counter(CURSOR);
    const batch = this.o.store.appliedAfter(from, 100);
    if (batch.length === 0) return this.o.pollMs ?? 500;
    let done = from;
    for (const e of batch) {
      const res = await fetch(this.o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': e.eventId, ...this.o.headers },
        body: e.envelope,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000),
      });
      if (!res.ok) throw new Error(`CRM endpoint answered ${res.status}`);
      done = e.appliedOrder;
      this.forwarded++;
    }
    // Another bridge instance may have forwarded the same range: the endpoint dedupes by key.
    this.o.store.advanceCounter(CURSOR, from, done);
    this.#backoff.reset();
    return 0;
  }
}
