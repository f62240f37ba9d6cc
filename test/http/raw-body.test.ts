/**
 * The webhooks' body reader (src/http/raw-body.ts): the exact bytes, whatever the content type;
 * body-parser's errors over the limit and on an aborted upload, answered after the rest is read off;
 * compressed bodies inflated; a body another parser already read refused.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { readRawBody } from '../../src/http/raw-body';

const LIMIT = 1000;

/** The reader as a middleware: `req.body` is the bytes; a failure goes to the error handler. */
const rawBody = (limit: number): RequestHandler => (req, res, next) => {
  readRawBody(req, res, limit).then((body) => {
    req.body = body;
    next();
  }, next);
};

/** Echoes what the reader gave: the body's bytes in hex, or the error's status, type and limit. */
function echoApp(options: { jsonFirst?: boolean; errors?: string[] } = {}) {
  const app = express();
  if (options.jsonFirst) app.use(express.json());
  app.post('/in', rawBody(LIMIT), (req, res) => {
    res.json({ hex: (req.body as Buffer).toString('hex') });
  });
  const onError: ErrorRequestHandler = (err: { status?: number; type?: string; limit?: number; name?: string }, _req, res, _next) => {
    options.errors?.push(String(err.type ?? err.name));
    res.status(err.status ?? 500).json({ type: err.type ?? err.name, limit: err.limit });
  };
  app.use(onError);
  return app;
}

let server: http.Server | undefined;
async function listen(app: express.Express): Promise<string> {
  server = await new Promise<http.Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const post = (url: string, body: RequestInit['body'], headers: Record<string, string> = {}) =>
  fetch(`${url}/in`, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

/** A body sent chunked (no Content-Length), `n` pieces of `piece`. */
function chunked(piece: string, n: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < n) controller.enqueue(new TextEncoder().encode(piece));
      else controller.close();
    },
  });
}

describe('raw webhook body', () => {
  it('gives the exact bytes, with any content type or none, and an empty Buffer for no body', async () => {
    const url = await listen(echoApp());
    const bytes = Buffer.from([0x7b, 0x00, 0xff, 0xfe, 0x22, 0x0a]);
    for (const type of ['application/json', 'text/plain; charset=utf-16', 'nonsense']) {
      expect(await (await post(url, bytes, { 'content-type': type })).json()).toEqual({ hex: bytes.toString('hex') });
    }
    expect(await (await post(url, new Blob([bytes]))).json()).toEqual({ hex: bytes.toString('hex') });
    expect(await (await post(url, undefined)).json()).toEqual({ hex: '' });
    expect(await (await post(url, chunked('ab', 3))).json()).toEqual({ hex: Buffer.from('ababab').toString('hex') });
  });

  it('refuses a body over the limit with 413 entity.too.large, from Content-Length or while reading a chunked one', async () => {
    const url = await listen(echoApp());
    const declared = await post(url, 'x'.repeat(LIMIT + 1));
    expect([declared.status, await declared.json()]).toEqual([413, { type: 'entity.too.large', limit: LIMIT }]);
    const streamed = await post(url, chunked('y'.repeat(300), 10));
    expect([streamed.status, await streamed.json()]).toEqual([413, { type: 'entity.too.large', limit: LIMIT }]);
    // Exactly at the limit is fine.
    expect(await (await post(url, 'z'.repeat(LIMIT))).json()).toEqual({ hex: Buffer.from('z'.repeat(LIMIT)).toString('hex') });
  });

  it('inflates a gzip body (through body-parser) and applies the limit to what it inflates to', async () => {
    const url = await listen(echoApp());
    const small = await post(url, gzipSync('hello'), { 'content-encoding': 'gzip' });
    expect(await small.json()).toEqual({ hex: Buffer.from('hello').toString('hex') });
    const bomb = await post(url, gzipSync('a'.repeat(50 * LIMIT)), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
  });

  it('answers 400 request.aborted (to nobody) when the client goes away mid-body, and the server goes on', async () => {
    const errors: string[] = [];
    const url = await listen(echoApp({ errors }));
    const req = http.request(`${url}/in`, { method: 'POST', headers: { 'content-length': '500' } });
    req.on('error', () => undefined);
    req.write('only part of it');
    await new Promise((resolve) => setTimeout(resolve, 100));
    req.destroy();
    const deadline = Date.now() + 5000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(errors).toEqual(['request.aborted']);
    expect(await (await post(url, 'after')).json()).toEqual({ hex: Buffer.from('after').toString('hex') });
  });

  it('refuses a body another parser already read (its bytes are gone) with an error, instead of waiting forever', async () => {
    const errors: string[] = [];
    const url = await listen(echoApp({ jsonFirst: true, errors }));
    const res = await post(url, '{"a":1}', { 'content-type': 'application/json' });
    expect(res.status).toBe(500);
    expect(errors).toEqual(['BodyAlreadyReadError']);
  });
});
