/**
 * Paces sends per channel: one every `60 s / perMinute`, so no 60-second window ever holds more than
 * `perMinute` sends — the platforms count per rolling minute, and a bucket that starts full (or
 * saves up while idle) would allow twice the limit in one window. In-process: with N workers, give
 * each 1/N of the platform's limit (see .env.example).
 *
 * Pacing alone is not a guarantee: a timer that fires late bunches sends that were reserved apart
 * (measured: 3,006 in the busiest minute under a 3,000 limit). So the actual send times are also kept,
 * and {@link RateLimiter.admit} holds a send back until the `perMinute`-th previous one is more than a
 * minute (plus a margin for network jitter on the way to the platform) in the past.
 */
import { SlidingWindowLimiter } from '../http/rate-limit';

const WINDOW_MS = 60_000;
/** The platform timestamps on arrival: our sends' own spacing may shrink by the jitter of the way there. */
const WINDOW_MARGIN_MS = 250;

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  /** Per key, the actual send times of the last window (src/http/rate-limit.ts, as for HTTP clients). */
  private readonly sent = new Map<string, SlidingWindowLimiter>();

  constructor(
    private readonly perMinute: Record<string, number>,
    private readonly clock = () => Date.now(),
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
    // A bucket of one token: idle time is never saved up. Reservations may take it below zero (a
    // debt repaid by the refill).
    const bucket = this.buckets.get(key) ?? { tokens: 1, at: now };
    bucket.tokens = Math.min(1, bucket.tokens + ((now - bucket.at) / WINDOW_MS) * limit);
    bucket.at = now;
    this.buckets.set(key, bucket);
    const delayMs = Math.max(0, Math.ceil(((1 - bucket.tokens) / limit) * WINDOW_MS));
    if (delayMs > maxWaitMs) return { ok: false, waitMs: delayMs };
    bucket.tokens -= 1;
    return { ok: true, delayMs };
  }

  /**
   * Waits, if needed, until one more send of `key` keeps every rolling minute within the limit, and
   * records it as sent now. Call right before the send, after the reserved slot's delay.
   */
  async admit(key: string, sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))): Promise<void> {
    const limit = this.perMinute[key];
    if (!limit || limit <= 0) return;
    let window = this.sent.get(key);
    if (!window) {
      window = new SlidingWindowLimiter(limit, WINDOW_MS + WINDOW_MARGIN_MS, this.clock);
      this.sent.set(key, window);
    }
    // `take` checks and records with no await in between: concurrent sends of one process cannot both pass.
    for (let d = window.take(key); !d.ok; d = window.take(key)) await sleep(d.retryAfterMs);
  }
}
