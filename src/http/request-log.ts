/**
 * One structured log line per request, with its status and duration. Only the method, the path
 * (never the query string, where tokens travel: `hub.verify_token`, a session id) and the outcome
 * are logged — no headers, no body — and the path's own secrets are masked (see `loggablePath`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';

/**
 * Paths that carry a secret: the appraisal `.ics` links end in an HMAC that is the only thing
 * protecting the booking's details (src/appraisal/calendar-link.ts).
 */
const SECRET_SEGMENTS: [RegExp, string][] = [[/^(\/appraisal\/bookings\/[^/]+\/)[^/]+(\.ics)$/, '$1[redacted]$2']];

/** The request path as it may be logged. */
export function loggablePath(path: string): string {
  for (const [pattern, replacement] of SECRET_SEGMENTS) if (pattern.test(path)) return path.replace(pattern, replacement);
  return path;
}

/** Logs `req` once its response is finished (for requests served outside express too: ./webhooks.ts). */
export type LogRequest = (req: IncomingMessage, res: ServerResponse) => void;

export function requestLogger(logger: Logger): LogRequest {
  return (req, res) => {
    const started = process.hrtime.bigint();
    // `originalUrl`: routers mounted at a prefix rewrite `req.path` by the time the response ends.
    const url = (req as { originalUrl?: string }).originalUrl || req.url || '/';
    const q = url.search(/[?#]/);
    const path = loggablePath(q < 0 ? url : url.slice(0, q));
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, path, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
  };
}

/** The same, as express middleware. */
export function requestLog(logger: Logger): RequestHandler {
  const log = requestLogger(logger);
  return (req, res, next) => {
    log(req, res);
    next();
  };
}
