/**
 * The platforms' webhook POSTs (`POST /webhooks/zalo`, `POST /webhooks/messenger`), answered by the
 * HTTP server before express sees them (./app.ts puts this in front of the express app).
 *
 * They are nearly all of a busy office's traffic, and each must be stored before it is answered,
 * so this is the path whose CPU decides how many webhooks a process takes (bench/webhook-ingest.ts).
 * Express's dispatch alone — re-prototyping the request and response, the router, its helpers —
 * cost more CPU than reading, verifying and storing a webhook (the app took twice the CPU per
 * webhook through a first express middleware as here). So this handler finds the receiver by
 * path and does the app-wide duties itself: the request log line and the security headers (the
 * same precomputed set as every other response); then it reads the raw body, lets the channel's
 * `WebhookReceiver` judge it, and writes its answer. Failures are answered as the app's error
 * handlers answer them: a body over the limit the usual 413 JSON, a client's 4xx as it says, a
 * fault of ours a logged 500.
 *
 * Matching follows Express's defaults for these paths: case-insensitive, one trailing slash allowed,
 * any query string ignored. Other methods on these paths (Meta's GET handshake) go on to express.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WebhookAnswer, WebhookReceiver } from '../channels/types';
import type { Translator } from '../i18n';
import type { Logger } from '../logger';
import { payloadTooLargeJson, WEBHOOK_BODY_LIMIT_BYTES } from './body-limits';
import { clientErrorJson, INTERNAL_ERROR } from './errors';
import { readRawBody } from './raw-body';
import type { LogRequest } from './request-log';
import type { HeaderSet } from './security-headers';

export interface WebhookPostsOptions {
  /** The app-wide security headers (`securityHeaderSet`). */
  securityHeaders: HeaderSet;
  /** The app-wide request log (`requestLogger`): one line per request, these included. */
  logRequest: LogRequest;
  /** For the 413 message. */
  i18n: Translator;
  /** Faults of ours are logged here. */
  logger: Logger;
  /** Default `WEBHOOK_BODY_LIMIT_BYTES`. */
  bodyLimitBytes?: number;
}

/** Serves `req` and returns true when it is a webhook POST; returns false, touching nothing, otherwise. */
export type WebhookPosts = (req: IncomingMessage, res: ServerResponse) => boolean;

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';

/** The path as Express would match it: no query string, lower case, no trailing slash. */
function routePath(url: string): string {
  const q = url.indexOf('?');
  const path = (q < 0 ? url : url.slice(0, q)).toLowerCase();
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export function webhookPosts(receivers: WebhookReceiver[], options: WebhookPostsOptions): WebhookPosts {
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

  /** A body over the limit, a client gone, a fault of ours: answered as the app's error handlers would. */
  function fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      options.logger.error({ err, method: req.method, path: routePath(req.url ?? '/') }, 'webhook failed after answering');
      res.destroy();
      return;
    }
    const tooLarge = payloadTooLargeJson(options.i18n, err);
    const client = tooLarge ? { status: 413, json: tooLarge } : clientErrorJson(err);
    if (!client) options.logger.error({ err, method: req.method, path: routePath(req.url ?? '/') }, 'request failed');
    send(res, client ?? { status: 500, json: INTERNAL_ERROR });
  }

  return (req, res) => {
    if (req.method !== 'POST') return false;
    const receiver = byPath.get(routePath(req.url ?? '/'));
    if (!receiver) return false;
    options.logRequest(req, res);
    readRawBody(req, res, limit)
      .then((raw) => receiver.receive(raw, req.headers))
      .then((answer) => send(res, answer))
      .catch((err: unknown) => fail(req, res, err));
    return true;
  };
}
