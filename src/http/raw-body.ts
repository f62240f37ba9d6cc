/**
 * The request body as the exact bytes received (`req.body`, a Buffer), for the webhooks: their
 * signatures are over the raw bytes, so nothing may parse or re-encode them first.
 *
 * A lean reader rather than `express.raw`: for a webhook's few hundred bytes, body-parser's
 * content-type matching, charset and encoding set-up and its dependencies' bookkeeping cost about as
 * much CPU as verifying the signature and parsing the JSON together, on every request. Compressed
 * bodies (which neither Zalo nor Meta sends) still go through `express.raw`, which inflates them.
 *
 * Errors match body-parser's, so the routes and `payloadTooLarge` (./body-limits.ts) answer them
 * the same way: 413 `entity.too.large` over the limit — from `Content-Length` before reading, or
 * as soon as a chunked body passes it — and 400 `request.aborted` when the client went away. Either
 * way the rest of the body is read off and dropped before the error is answered, so the client gets
 * the answer instead of a connection reset.
 */
import express, { type Request, type RequestHandler } from 'express';

/** An error shaped like body-parser's (http-errors): `status`, `type`, and `expose` for the message. */
export class BodyReadError extends Error {
  readonly statusCode: number;
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly type: 'entity.too.large' | 'request.aborted',
    message: string,
    readonly limit?: number,
  ) {
    super(message);
    this.statusCode = status;
  }
}

const tooLarge = (limit: number) => new BodyReadError(413, 'entity.too.large', 'request entity too large', limit);

/** Reads off whatever is left of the body, then calls `then` (at once if the request already ended). */
function discardRest(req: Request, then: () => void): void {
  if (req.complete || req.readableEnded || req.destroyed) {
    then();
    return;
  }
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    then();
  };
  req.on('end', once);
  req.on('close', once);
  // A reset connection errors the request; it is answered (to nobody) all the same.
  req.on('error', once);
  req.resume();
}

/** Sets `req.body` to the body's bytes (an empty Buffer when there are none), at most `limitBytes`. */
export function rawBody(limitBytes: number): RequestHandler {
  const inflating = express.raw({ type: () => true, limit: limitBytes });
  return (req, res, next) => {
    // Already read by a parser mounted before (a misconfiguration the routes detect): nothing to read.
    if (req.readableEnded) {
      next();
      return;
    }
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
      inflating(req, res, next);
      return;
    }
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > limitBytes) {
      discardRest(req, () => next(tooLarge(limitBytes)));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      req.off('error', onError);
    };
    const fail = (err: Error) => {
      cleanup();
      chunks.length = 0;
      discardRest(req, () => next(err));
    };
    function onData(chunk: Buffer) {
      received += chunk.length;
      if (received > limitBytes) fail(tooLarge(limitBytes));
      else chunks.push(chunk);
    }
    function onEnd() {
      cleanup();
      req.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received);
      next();
    }
    function onAborted() {
      fail(new BodyReadError(400, 'request.aborted', 'request aborted'));
    }
    function onError(err: Error) {
      fail(err);
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
    req.on('error', onError);
  };
}
