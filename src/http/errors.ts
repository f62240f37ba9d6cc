/** Turns errors into clear JSON answers: 400 with the validation issues or for unstorable text, 404, or a logged 500. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../logger';

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
};

/**
 * PostgreSQL's refusals of text it cannot store: a NUL character (22021 character_not_in_repertoire,
 * "invalid byte sequence for encoding UTF8: 0x00") and an unpaired surrogate in jsonb (22P05
 * untranslatable_character, or 22P02 "invalid input syntax for type json" on PGlite and some
 * servers). The request's data causes them, never the server, so they are a 400, not a 500 that a
 * platform would retry forever. Inputs are cleaned at the edges (src/storable-text.ts); this is the
 * net under the edges that do not yet.
 */
function isUnstorableText(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth += 1) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (code === '22021' || code === '22P05') return true;
    if (code === '22P02' && typeof message === 'string' && /type json/.test(message)) return true;
    // drizzle wraps the driver's error in `cause`.
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/** The answer to a fault of ours (logged, never detailed to the client). */
export const INTERNAL_ERROR = { error: 'internal error' };

/**
 * Errors that carry their own 4xx status — body-parser's and our raw body reader's (malformed JSON,
 * body too large, client gone) — and their JSON answer; undefined for anything else.
 */
export function clientErrorJson(err: unknown): { status: number; json: { error: string } } | undefined {
  const e = err as { status?: unknown; expose?: unknown; message?: unknown } | undefined;
  if (typeof e?.status !== 'number' || e.status < 400 || e.status >= 500) return undefined;
  return { status: e.status, json: { error: e.expose ? String(e.message) : 'invalid request' } };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof ZodError) {
      res.status(400).json({
        error: 'invalid request',
        issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
      return;
    }
    if (isUnstorableText(err)) {
      logger.warn({ method: req.method, path: req.path }, 'request refused: text the database cannot store');
      if (!res.headersSent) res.status(400).json({ error: 'the request contains characters that cannot be stored (NUL or an unpaired UTF-16 surrogate)' });
      return;
    }
    const client = clientErrorJson(err);
    if (client) {
      res.status(client.status).json(client.json);
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (!res.headersSent) res.status(500).json(INTERNAL_ERROR);
  };
}
