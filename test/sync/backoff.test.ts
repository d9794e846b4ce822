// Reconnect backoff: exponential, capped, jittered within [step/2, step], reset after success.
import { expect, it } from 'vitest';
import { Backoff, seededRandom } from '../../src/sync/backoff.ts';

it('grows exponentially with jitter, caps at maxMs and resets', () => {
  const lo = new Backoff({ initialMs: 100, maxMs: 1000, multiplier: 2 }, () => 0);
  expect(Array.from({ length: 6 }, () => lo.next())).toEqual([50, 100, 200, 400, 500, 500]);
  const hi = new Backoff({ initialMs: 100, maxMs: 1000, multiplier: 2 }, () => 0.999999);
  expect(Array.from({ length: 6 }, () => hi.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
  lo.reset();
  expect(lo.next()).toBe(50);
});

it('spreads a fleet: seeded jitter gives different waits for the same attempt', () => {
  const waits = Array.from({ length: 50 }, (_, i) => new Backoff({ initialMs: 1000, maxMs: 60_000, multiplier: 2 }, seededRandom(i)).next());
  expect(new Set(waits).size).toBeGreaterThan(40);
  expect(Math.min(...waits)).toBeGreaterThanOrEqual(500);
  expect(Math.max(...waits)).toBeLessThanOrEqual(1000);
});
