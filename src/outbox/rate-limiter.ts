/**
 * Paces sends per channel: one every `60 s / perMinute`, so no 60-second window ever holds more than
 * `perMinute` sends — the platforms count per rolling minute, and a bucket that starts full (or
 * saves up while idle) would allow twice the limit in one window. In-process: with N workers, give
 * each 1/N of the platform's limit (see .env.example).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * `burst`: let a key save up to a minute's worth while idle (a per-client HTTP limit, where a
   * page making a few requests at once is normal). Never for platform sends (see above).
   */
  constructor(
    private readonly perMinute: Record<string, number>,
    private readonly clock = () => Date.now(),
    private readonly burst = false,
  ) {}

  /** Takes a token for `key` if one is available; otherwise returns how long to wait for one (ms). */
  take(key: string): { ok: true } | { ok: false; waitMs: number } {
    const r = this.reserve(key, 0);
    return r.ok ? { ok: true } : r;
  }

  /**
   * Reserves `key`'s next send slot when it comes within `maxWaitMs`, and says how long to wait for
   * it; otherwise reserves nothing and says when to come back. Reservations queue up one interval
   * apart, so a batch of sends in parallel is spread evenly instead of all but one being refused.
   */
  reserve(key: string, maxWaitMs: number): { ok: true; delayMs: number } | { ok: false; waitMs: number } {
    const limit = this.perMinute[key];
    if (!limit || limit <= 0) return { ok: true, delayMs: 0 };
    const now = this.clock();
    // Without `burst`, a bucket of one token: idle time is never saved up. Reservations may take
    // it below zero (a debt repaid by the refill).
    const capacity = this.burst ? limit : 1;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 60_000) * limit);
    bucket.at = now;
    this.buckets.set(key, bucket);
    const delayMs = Math.max(0, Math.ceil(((1 - bucket.tokens) / limit) * 60_000));
    if (delayMs > maxWaitMs) return { ok: false, waitMs: delayMs };
    bucket.tokens -= 1;
    return { ok: true, delayMs };
  }
}
