/** Turns errors into clear JSON answers: 400 with the validation issues, 404, or a logged 500. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import type { Logger } from '../logger';

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: `no route for ${req.method} ${req.path}` });
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof ZodError) {
      res.status(400).json({
        error: 'invalid request',
        issues: err.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
      return;
    }
    // body-parser's errors (malformed JSON, body too large) carry their own 4xx status.
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status < 500) {
      res.status(status).json({ error: err.expose ? String(err.message) : 'invalid request' });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  };
}
