/**
 * Per-client-address request limit for the public appraisal API (anyone on the internet can call
 * it). A token bucket per address, like the outbox's sender limit (src/outbox/rate-limiter.ts), with
 * idle addresses forgotten so the table cannot grow without bound. In-process: with several web
 * processes each allows the configured rate.
 */
import type { RequestHandler } from 'express';
import { RateLimiter } from '../outbox';

/** Addresses tracked at most; past it, the table starts afresh (a flood of addresses is itself suspicious). */
const MAX_TRACKED = 10_000;

export function perAddressLimit(perMinute: number, onLimited: RequestHandler, clock: () => number = () => Date.now()): RequestHandler {
  // RateLimiter takes its limits per key: each address becomes a key the first time it is seen.
  let limits: Record<string, number> = {};
  let limiter = new RateLimiter(limits, clock, true);
  return (req, res, next) => {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if (!(address in limits)) {
      if (Object.keys(limits).length >= MAX_TRACKED) {
        limits = {};
        limiter = new RateLimiter(limits, clock, true);
      }
      limits[address] = perMinute;
    }
    const taken = limiter.take(address);
    if (taken.ok) {
      next();
      return;
    }
    res.set('Retry-After', String(Math.ceil(taken.waitMs / 1000)));
    void onLimited(req, res, next);
  };
}
