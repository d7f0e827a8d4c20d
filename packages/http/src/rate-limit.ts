import { TooManyRequestsError } from './errors';

export interface RateLimit {
  /** Attempts allowed per key within the window. */
  limit: number;
  windowMs: number;
}

const SWEEP_EVERY = 1000;

/**
 * A sliding-window counter per key (a client address, an address and a user name), in this process's
 * memory: enough for one instance of a service; several instances behind a balancer each count their own.
 * A refused attempt is not counted, so a client that waits as told (Retry-After) gets through.
 */
export function createRateLimiter({ limit, windowMs }: RateLimit, now: () => number = Date.now) {
  const hits = new Map<string, number[]>();
  let calls = 0;

  const sweep = (at: number) => {
    for (const [key, times] of hits) if ((times[times.length - 1] ?? 0) <= at - windowMs) hits.delete(key);
  };

  return {
    /** Counts one attempt for `key`; past the limit throws TooManyRequestsError (429 with Retry-After). */
    hit(key: string, describe: (retryAfterSeconds: number) => string): void {
      const at = now();
      if (++calls % SWEEP_EVERY === 0) sweep(at);
      const recent = (hits.get(key) ?? []).filter((t) => t > at - windowMs);
      if (recent.length >= limit) {
        hits.set(key, recent);
        const retryAfterSeconds = Math.max(1, Math.ceil((recent[0]! + windowMs - at) / 1000));
        throw new TooManyRequestsError(describe(retryAfterSeconds), retryAfterSeconds);
      }
      recent.push(at);
      hits.set(key, recent);
    },
  };
}
