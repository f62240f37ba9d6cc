/**
 * Per-client request limits for the public HTTP surface (the appraisal API, the web chat): at most
 * `perMinute` requests per key in any rolling 60 seconds (a sliding-window log, so no minute ever
 * holds more than the limit, unlike a bucket that starts full and refills).
 *
 * In memory, per process: with N web processes behind a load balancer a client may get up to N times
 * the limit. That is acceptable for what these limits are for — keeping one client from tying up a
 * process, not metering — and needs no shared store. Keys idle for a minute are forgotten, and the
 * table holds at most `maxKeys` keys (the least recently seen goes first), so a flood of addresses
 * cannot grow memory without bound.
 */
import type { Request, RequestHandler, Response } from 'express';

export type LimitDecision = { ok: true } | { ok: false; retryAfterMs: number };

export class SlidingWindowLimiter {
  /** Times of each key's accepted requests within the window, oldest first; Map order = least recently seen first. */
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly perWindow: number,
    private readonly windowMs = 60_000,
    private readonly clock: () => number = () => Date.now(),
    private readonly maxKeys = 10_000,
  ) {
    if (!Number.isInteger(perWindow) || perWindow < 1) throw new Error(`rate limit must be a whole number ≥ 1, got ${perWindow}`);
  }

  /** Counts a request for `key` when the key is under its limit; otherwise says when the next one will be accepted. */
  take(key: string): LimitDecision {
    const now = this.clock();
    const since = now - this.windowMs;
    let times = this.hits.get(key);
    if (times) {
      while (times.length > 0 && times[0]! <= since) times.shift();
      // Re-inserted (below, or here when refused): the Map's order stays "least recently seen
      // first", so a client being refused right now is never the first to be forgotten.
      this.hits.delete(key);
      if (times.length >= this.perWindow) {
        this.hits.set(key, times);
        return { ok: false, retryAfterMs: Math.max(1, times[0]! + this.windowMs - now) };
      }
    } else {
      times = [];
      if (this.hits.size >= this.maxKeys) this.evict(since);
    }
    times.push(now);
    this.hits.set(key, times);
    return { ok: true };
  }

  /** How many keys are tracked (for tests of the bound). */
  get size(): number {
    return this.hits.size;
  }

  /** Drops keys idle for a whole window, then, if still full, the least recently seen tenth. */
  private evict(since: number): void {
    for (const [key, times] of this.hits) {
      if (times[times.length - 1]! <= since) this.hits.delete(key);
    }
    if (this.hits.size < this.maxKeys) return;
    let drop = Math.max(1, Math.floor(this.maxKeys / 10));
    for (const key of this.hits.keys()) {
      if (drop-- <= 0) break;
      this.hits.delete(key);
    }
  }
}

/**
 * The client's address: `req.ip`, which honours the app's `trust proxy` setting (TRUST_PROXY), so
 * behind a reverse proxy it is the citizen's address rather than the proxy's.
 */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

/** `Retry-After` in whole seconds (at least 1), as RFC 9110 §10.2.3 wants. */
export function setRetryAfter(res: Response, retryAfterMs: number): number {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  res.set('Retry-After', String(seconds));
  return seconds;
}

/**
 * Middleware: at most `perMinute` requests per client address in any rolling minute. Over it, sets
 * `Retry-After` and hands over to `onLimited` (which answers 429 in the caller's words).
 */
export function perAddressLimit(
  perMinute: number,
  onLimited: (req: Request, res: Response, retryAfterSeconds: number) => void,
  clock?: () => number,
): RequestHandler {
  const limiter = new SlidingWindowLimiter(perMinute, 60_000, clock);
  return (req, res, next) => {
    const decision = limiter.take(clientAddress(req));
    if (decision.ok) {
      next();
      return;
    }
    onLimited(req, res, setRetryAfter(res, decision.retryAfterMs));
  };
}
