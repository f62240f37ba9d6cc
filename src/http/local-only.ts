/**
 * Restricts a route to requests from this machine (officials' sign-in arrives with the console).
 * Uses the socket address, never X-Forwarded-For, which a client could forge.
 */
import type { RequestHandler } from 'express';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export const localOnly: RequestHandler = (req, res, next) => {
  if (LOOPBACK.has(req.socket.remoteAddress ?? '')) {
    next();
    return;
  }
  res.status(403).json({ error: 'this endpoint is for officials only' });
};
