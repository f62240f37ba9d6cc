/**
 * The platforms' webhook POSTs (`POST /webhooks/zalo`, `POST /webhooks/messenger`), answered ahead of
 * the app's router.
 *
 * They are nearly all of a busy office's traffic, and each must be stored before it is answered,
 * so this is the path whose CPU decides how many webhooks a process takes (bench/webhook-ingest.ts).
 * Going through the router cost a webhook more than reading, verifying and storing it: a pass over
 * every app-wide layer and the channel's own router, the Express response helpers, helmet's dozen
 * middlewares. Here one middleware, mounted first, finds the receiver by path and does the
 * app-wide duties itself — the request log line and the security headers (the same precomputed set
 * as every other response) — then reads the raw body, lets the channel's `WebhookReceiver` judge it,
 * and writes its answer. Errors go to the app's error handlers as any route's would: a body over
 * the limit is the usual 413 (`payloadTooLarge`), a fault of ours a logged 500.
 *
 * Matching follows Express's defaults for these paths: case-insensitive, one trailing slash allowed,
 * any query string ignored. Other methods on these paths (Meta's GET handshake) go on to the router.
 */
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import type { WebhookAnswer, WebhookReceiver } from '../channels/types';
import { WEBHOOK_BODY_LIMIT_BYTES } from './body-limits';
import { readRawBody } from './raw-body';
import { applyHeaders, type HeaderSet } from './security-headers';

export interface WebhookPostsOptions {
  /** The app-wide security headers (`securityHeaderSet`). */
  securityHeaders: HeaderSet;
  /** The app-wide request log (`requestLog`): one line per request, these included. */
  logRequest: RequestHandler;
  /** Default `WEBHOOK_BODY_LIMIT_BYTES`. */
  bodyLimitBytes?: number;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const noop = () => undefined;

/** The path as Express would match it: no query string, lower case, no trailing slash. */
function routePath(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).toLowerCase();
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

/** The middleware serving `receivers`' POSTs; mount it first, before any body parser. */
export function webhookPosts(receivers: WebhookReceiver[], options: WebhookPostsOptions): RequestHandler {
  const byPath = new Map(receivers.map((r) => [routePath(r.path), r]));
  const limit = options.bodyLimitBytes ?? WEBHOOK_BODY_LIMIT_BYTES;
  const headers = options.securityHeaders;
  // Handed to writeHead as one flat list: Node then writes them as they are, without building and
  // checking a header map through a setHeader call for each of them.
  const flatHeaders = headers.set.flat();

  function send(res: ServerResponse, answer: WebhookAnswer): void {
    const body = 'text' in answer ? answer.text : JSON.stringify(answer.json);
    for (const name of headers.remove) res.removeHeader(name);
    res.writeHead(answer.status, [...flatHeaders, 'Content-Type', 'text' in answer ? TEXT_TYPE : JSON_TYPE, 'Content-Length', String(Buffer.byteLength(body))]);
    res.end(body);
  }

  /** A body over the limit, a client gone, a fault of ours: answered by the app's error handlers, with the same headers. */
  function fail(res: ServerResponse, next: (err: unknown) => void, err: unknown): void {
    if (!res.headersSent) applyHeaders(res, headers);
    next(err);
  }

  return (req, res, next) => {
    if (req.method !== 'POST') {
      next();
      return;
    }
    const receiver = byPath.get(routePath(req.url));
    if (!receiver) {
      next();
      return;
    }
    options.logRequest(req, res, noop);
    readRawBody(req, res, limit)
      .then((raw) => receiver.receive(raw, req.headers))
      .then((answer) => send(res, answer))
      .catch((err: unknown) => fail(res, next, err));
  };
}
