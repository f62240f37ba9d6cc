/**
 * The request body as the exact bytes received, for the webhooks (./webhooks.ts): their signatures
 * are over the raw bytes, so nothing may parse or re-encode them first.
 *
 * A lean reader rather than `express.raw`: for a webhook's few hundred bytes, body-parser's
 * content-type matching, charset and encoding set-up and its dependencies' bookkeeping cost about as
 * much CPU as verifying the signature and parsing the JSON together, on every request. Compressed
 * bodies (which neither Zalo nor Meta sends) still go through `express.raw`, which inflates them.
 *
 * Errors match body-parser's, so they are answered as body-parser's are (`payloadTooLargeJson` in
 * ./body-limits.ts, `clientErrorJson` in ./errors.ts): 413 `entity.too.large` over the limit — from
 * `Content-Length` before reading, or as soon as a chunked body passes it — and 400
 * `request.aborted` when the client went away. Either way the rest of the body is read off and
 * dropped before the error is answered, so the client gets the answer instead of a connection reset.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type RequestHandler, type Response } from 'express';

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

/** One request's reading: its bytes so far, or the error it will be answered with once fully read. */
interface Reading {
  chunks: Buffer[];
  received: number;
  error: Error | undefined;
  done: boolean;
  resolve(body: Buffer): void;
  reject(err: Error): void;
}

/** The request ended or went away: hand over its body, or its error, once. */
function finish(reading: Reading, ended: boolean): void {
  if (reading.done) return;
  reading.done = true;
  const error = reading.error ?? (ended ? undefined : new BodyReadError(400, 'request.aborted', 'request aborted'));
  if (error) reading.reject(error);
  else reading.resolve(reading.chunks.length === 1 ? (reading.chunks[0] as Buffer) : Buffer.concat(reading.chunks, reading.received));
}

/** Something read the body before us (a parser mounted first): its bytes are gone. */
export class BodyAlreadyReadError extends Error {
  override readonly name = 'BodyAlreadyReadError';
  constructor() {
    super('the request body was read before the webhook: a body parser is mounted before src/http/webhooks.ts');
  }
}

/** body-parser's raw readers, one per limit (a process uses one), made when first needed. */
const inflaters = new Map<number, RequestHandler>();

function inflater(limitBytes: number): RequestHandler {
  let inflate = inflaters.get(limitBytes);
  if (!inflate) {
    inflate = express.raw({ type: () => true, limit: limitBytes });
    inflaters.set(limitBytes, inflate);
  }
  return inflate;
}

/** Compressed bodies: body-parser inflates them (with its limit on the inflated size). */
function inflatedBody(req: IncomingMessage, res: ServerResponse, limitBytes: number): Promise<Buffer> {
  const inflate = inflater(limitBytes);
  // body-parser reads only what node:http gives (headers, the stream) and leaves the bytes in `body`.
  const parsed = req as Request & { body?: unknown };
  return new Promise((resolve, reject) => {
    inflate(parsed, res as Response, (err?: unknown) => (err ? reject(err as Error) : resolve(Buffer.isBuffer(parsed.body) ? parsed.body : Buffer.alloc(0))));
  });
}

/**
 * The body's bytes (an empty Buffer when there are none), at most `limitBytes`; rejects with a
 * `BodyReadError` (over the limit, client gone) or `BodyAlreadyReadError`.
 *
 * The listeners are anonymous arrows on purpose: tsx (esbuild's keepNames) wraps every *named*
 * function created at run time in an `Object.defineProperty` call, which made this reader five
 * times slower when its handlers were named inner functions. Over the limit, the rest of the body
 * is still read (and dropped) so the error is answered to a client that is listening.
 */
export function readRawBody(req: IncomingMessage, res: ServerResponse, limitBytes: number): Promise<Buffer> {
  if (req.readableEnded) return Promise.reject(new BodyAlreadyReadError());
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return inflatedBody(req, res, limitBytes);
  const declared = req.headers['content-length'];
  return new Promise<Buffer>((resolve, reject) => {
    const reading: Reading = {
      chunks: [],
      received: 0,
      error: declared !== undefined && Number(declared) > limitBytes ? tooLarge(limitBytes) : undefined,
      done: false,
      resolve,
      reject,
    };
    req.on('data', (chunk: Buffer) => {
      if (reading.error) return;
      reading.received += chunk.length;
      if (reading.received > limitBytes) {
        reading.error = tooLarge(limitBytes);
        reading.chunks = [];
      } else reading.chunks.push(chunk);
    });
    req.on('end', () => finish(reading, true));
    // A client that went away errors the request (a connection reset) and closes it, without an 'end'.
    req.on('error', () => finish(reading, false));
    req.on('close', () => finish(reading, false));
  });
}
