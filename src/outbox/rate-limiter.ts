/**
 * A token bucket per channel: at most `perMinute` sends, smoothly (not in bursts at the top of the
 * minute). In-process: with N workers, give each 1/N of the platform's limit (see .env.example).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: Record<string, number>, private readonly clock = () => Date.now()) {}

  /** Takes a token for `key` if one is available; otherwise returns how long to wait for one (ms). */
  take(key: string): { ok: true } | { ok: false; waitMs: number } {
    const limit = this.perMinute[key];
    if (!limit || limit <= 0) return { ok: true };
    const now = this.clock();
    const bucket = this.buckets.get(key) ?? { tokens: limit, at: now };
    const refill = ((now - bucket.at) / 60_000) * limit;
    bucket.tokens = Math.min(limit, bucket.tokens + refill);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, waitMs: Math.ceil(((1 - bucket.tokens) / limit) * 60_000) };
  }
}
