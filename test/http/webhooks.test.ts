/**
 * The webhook POSTs ahead of express (src/http/webhooks.ts): found by path as Express would find
 * them, answered with the app-wide headers and log line, failures answered as the app's error
 * handlers answer them, every other request left to express untouched.
 */
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import express from 'express';
import type { WebhookAnswer, WebhookReceiver } from '../../src/channels/types';
import { PROJECT_ROOT } from '../../src/config';
import { loadTranslator } from '../../src/i18n';
import { defaultContentSecurityPolicy, securityHeaderSet } from '../../src/http/security-headers';
import { webhookPosts } from '../../src/http/webhooks';
import { createLogger } from '../../src/logger';

const i18n = loadTranslator(path.join(PROJECT_ROOT, 'locales'));

interface Received {
  path: string;
  body: string;
  headers: IncomingHttpHeaders;
}

/** A receiver at `path` that records what it was given and answers `answer` (or throws it). */
function receiver(path: string, received: Received[], answer: WebhookAnswer | Error): WebhookReceiver {
  return {
    path,
    receive: async (raw, headers) => {
      received.push({ path, body: raw.toString('utf8'), headers });
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

async function serve(receivers: WebhookReceiver[], options: { bodyLimitBytes?: number } = {}) {
  const logged: { method: string; url: string }[] = [];
  const webhooks = webhookPosts(receivers, {
    securityHeaders: securityHeaderSet({ appBaseUrl: 'https://motcua.example.vn' }),
    logRequest: (req) => logged.push({ method: String(req.method), url: String(req.url) }),
    i18n,
    logger: createLogger('silent'),
    ...options,
  });
  const app = express();
  app.all('/{*rest}', (req, res) => res.status(299).json({ router: `${req.method} ${req.path}` }));
  const server = http.createServer((req, res) => {
    if (!webhooks(req, res)) app(req, res);
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, logged, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('webhook POSTs', () => {
  it('finds the receiver as Express would (any case, a trailing slash, a query string) and gives it the exact bytes and headers', async () => {
    const received: Received[] = [];
    const s = await serve([receiver('/webhooks/zalo', received, { status: 200, json: {} }), receiver('/webhooks/messenger', received, { status: 200, text: 'EVENT_RECEIVED' })]);
    try {
      const body = '{"a": "Lệ phí"}\n';
      for (const p of ['/webhooks/zalo', '/Webhooks/ZALO', '/webhooks/zalo/', '/webhooks/zalo?x=1']) {
        const res = await fetch(`${s.base}${p}`, { method: 'POST', body, headers: { 'x-zevent-signature': 'mac=abc' } });
        expect([p, res.status, await res.text()]).toEqual([p, 200, '{}']);
        expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      }
      const text = await fetch(`${s.base}/webhooks/messenger`, { method: 'POST', body: 'x' });
      expect([text.status, await text.text(), text.headers.get('content-type')]).toEqual([200, 'EVENT_RECEIVED', 'text/plain; charset=utf-8']);
      expect(received.map((r) => r.path)).toEqual([...Array<string>(4).fill('/webhooks/zalo'), '/webhooks/messenger']);
      expect(received[0]?.body).toBe(body);
      expect(received[0]?.headers['x-zevent-signature']).toBe('mac=abc');
      expect(s.logged).toHaveLength(5);
    } finally {
      await s.close();
    }
  });

  it('gives the receiver a gzip-compressed body inflated', async () => {
    const received: Received[] = [];
    const s = await serve([receiver('/webhooks/zalo', received, { status: 200, json: {} })]);
    try {
      const body = JSON.stringify({ text: 'Thủ tục đăng ký kinh doanh' });
      const res = await fetch(`${s.base}/webhooks/zalo`, { method: 'POST', body: gzipSync(body), headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      expect(received.map((r) => r.body)).toEqual([body]);
    } finally {
      await s.close();
    }
  });

  it('leaves other methods, other paths and longer paths to express, without logging them itself', async () => {
    const received: Received[] = [];
    const s = await serve([receiver('/webhooks/zalo', received, { status: 200, json: {} })]);
    try {
      const asked = [
        ['GET', '/webhooks/zalo'],
        ['POST', '/webhooks/zalo/extra'],
        ['POST', '/webhooks/zal'],
        ['PUT', '/webhooks/zalo'],
      ] as const;
      for (const [method, p] of asked) {
        const res = await fetch(`${s.base}${p}`, { method, body: method === 'GET' ? undefined : '{}' });
        expect([method, p, res.status, await res.json()]).toEqual([method, p, 299, { router: `${method} ${p}` }]);
      }
      expect(received).toEqual([]);
      expect(s.logged).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it('answers with the app-wide security headers, the same set as every other response', async () => {
    const s = await serve([receiver('/webhooks/zalo', [], { status: 401, json: { error: 'invalid signature' } })]);
    try {
      const res = await fetch(`${s.base}/webhooks/zalo`, { method: 'POST', body: '{}' });
      expect([res.status, await res.json()]).toEqual([401, { error: 'invalid signature' }]);
      for (const [name, value] of securityHeaderSet({ appBaseUrl: 'https://motcua.example.vn' }).set) expect([name, res.headers.get(name)]).toEqual([name, value]);
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+$/);
      expect(res.headers.get('x-powered-by')).toBeNull();
    } finally {
      await s.close();
    }
  });

  it("answers a body over the limit and a receiver's fault as the app's error handlers do, and goes on serving", async () => {
    const received: Received[] = [];
    const s = await serve([receiver('/webhooks/zalo', received, { status: 200, json: {} }), receiver('/webhooks/messenger', received, new Error('database gone'))], { bodyLimitBytes: 100 });
    try {
      const big = await fetch(`${s.base}/webhooks/zalo`, { method: 'POST', body: 'x'.repeat(101) });
      expect([big.status, await big.json()]).toEqual([413, { error: 'payload_too_large', message: i18n.t('limits.bodyTooLarge', { limit: '0 KB' }) }]);
      expect(big.headers.get('content-security-policy')).toBe(defaultContentSecurityPolicy(true));
      const fault = await fetch(`${s.base}/webhooks/messenger`, { method: 'POST', body: '{}' });
      expect([fault.status, await fault.json()]).toEqual([500, { error: 'internal error' }]);
      const fine = await fetch(`${s.base}/webhooks/zalo`, { method: 'POST', body: 'x'.repeat(100) });
      expect(fine.status).toBe(200);
      expect(received.map((r) => [r.path, r.body.length])).toEqual([['/webhooks/messenger', 2], ['/webhooks/zalo', 100]]);
    } finally {
      await s.close();
    }
  });
});

describe('securityHeaderSet', () => {
  it("is helmet's headers and our policy, with HSTS only for an https public URL", () => {
    const https = securityHeaderSet({ appBaseUrl: 'https://motcua.example.vn' });
    const http = securityHeaderSet({ appBaseUrl: 'http://localhost:3000' });
    const names = (h: typeof https) => h.set.map(([n]) => n.toLowerCase());
    expect(names(https)).toEqual(expect.arrayContaining(['content-security-policy', 'x-content-type-options', 'referrer-policy', 'strict-transport-security', 'x-frame-options']));
    expect(names(http)).not.toContain('strict-transport-security');
    expect(https.remove).toEqual(['X-Powered-By']);
  });
});
