/**
 * Security headers on every kind of response of the running app: the chat page and the console keep
 * their own Content-Security-Policy, everything else (JSON APIs, webhooks, static files, `.ics`,
 * 404s, error pages) gets the strict default; HSTS only behind an https public URL.
 */
import path from 'node:path';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { CONTENT_SECURITY_POLICY as CONSOLE_CSP } from '../../src/admin/auth/headers';
import { seedSampleAppraisal } from '../../src/appraisal';
import { PROJECT_ROOT } from '../../src/config';
import { defaultContentSecurityPolicy, HSTS_MAX_AGE_SECONDS, securityHeaders, securityHeaderSet } from '../../src/http/security-headers';
import { describeEachDatabase } from '../support/db';
import { useRunningApp } from './support';

const DEFAULT_CSP = defaultContentSecurityPolicy(false);

/** Headers every response gets from helmet, whatever route answered. */
function expectBaseline(res: Response, what: string): void {
  const h = (name: string) => [what, name, res.headers.get(name)];
  expect(h('x-content-type-options')).toEqual([what, 'x-content-type-options', 'nosniff']);
  expect(h('cross-origin-opener-policy')).toEqual([what, 'cross-origin-opener-policy', 'same-origin']);
  expect(h('cross-origin-resource-policy')).toEqual([what, 'cross-origin-resource-policy', 'same-origin']);
  expect(h('referrer-policy')).toEqual([what, 'referrer-policy', 'same-origin']);
  expect(h('x-powered-by')).toEqual([what, 'x-powered-by', null]);
  expect(h('strict-transport-security')).toEqual([what, 'strict-transport-security', null]); // http base URL
  expect(res.headers.get('content-security-policy')).toBeTruthy();
}

describeEachDatabase('security headers', (getDb) => {
  const app = useRunningApp(getDb);
  const get = (p: string, init?: RequestInit) => fetch(`${app().baseUrl}${p}`, { redirect: 'manual', ...init });

  it('keeps the chat page its own policy (framed by our own origin only) and gives its assets the default', async () => {
    const page = await get('/chat');
    expect(page.status).toBe(200);
    expectBaseline(page, '/chat');
    const csp = page.headers.get('content-security-policy');
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toBe(DEFAULT_CSP);
    const script = await get('/chat/chat.js');
    expect(script.status).toBe(200);
    expectBaseline(script, '/chat/chat.js');
    expect(script.headers.get('content-security-policy')).toBe(DEFAULT_CSP);
  });

  it("keeps the console's strict policy and DENY framing on its pages, its 404 page included", async () => {
    for (const [p, status] of [['/admin/login', 200], ['/admin/no-such-page', 404]] as const) {
      const res = await get(p);
      expect([p, res.status, res.headers.get('content-type')]).toEqual([p, status, 'text/html; charset=utf-8']);
      expectBaseline(res, p);
      expect(res.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('gives JSON APIs, health, metrics, 404s and webhooks the strict default policy', async () => {
    const requests: [string, RequestInit | undefined][] = [
      ['/healthz', undefined],
      ['/metrics', undefined],
      ['/no-such-route', undefined],
      ['/api/webchat/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: 'headers-test-1', payload: 'GET_STARTED' }) }],
      ['/api/appraisal/slots?procedure=buon-ban-thuoc-bvtv&from=2026-13-01', undefined],
      ['/webhooks/zalo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
      ['/webhooks/messenger', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }],
      ['/webhooks/messenger?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=4242', undefined],
    ];
    const seen: string[] = [];
    for (const [p, init] of requests) {
      const res = await get(p, init);
      seen.push(`${res.status} ${p.split('?')[0]}`);
      expectBaseline(res, p);
      expect([p, res.headers.get('content-security-policy')]).toEqual([p, DEFAULT_CSP]);
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    }
    // The routes really answered (not all 404s): a webhook refused unsigned, the handshake echoed.
    expect(seen).toEqual([
      '200 /healthz',
      '200 /metrics',
      '404 /no-such-route',
      '200 /api/webchat/messages',
      '400 /api/appraisal/slots',
      '401 /webhooks/zalo',
      '401 /webhooks/messenger',
      '200 /webhooks/messenger',
    ]);
  });

  it('serves an .ics download with the default policy, still as a calendar file', async () => {
    // Tables are emptied before each test: the sample calendar loaded at start is gone.
    await seedSampleAppraisal(getDb().database.db, path.join(PROJECT_ROOT, 'data', 'seed'));
    const from = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const slots = (await (await get(`/api/appraisal/slots?procedure=buon-ban-thuoc-bvtv&from=${from}&days=14`)).json()) as { slots: { start: string; appraiserId: string }[] };
    const slot = slots.slots[0];
    expect(slot).toBeDefined();
    const booked = await get('/api/appraisal/bookings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ procedure: 'buon-ban-thuoc-bvtv', start: slot!.start, appraiserId: slot!.appraiserId, businessName: 'Đại lý Minh Phát', address: 'Thôn Đông', phone: '0912345678' }),
    });
    expect(booked.status).toBe(201);
    const { calendarUrl } = (await booked.json()) as { calendarUrl: string };
    const ics = await get(new URL(calendarUrl).pathname);
    expect(ics.status).toBe(200);
    expect(ics.headers.get('content-type')).toMatch(/^text\/calendar/);
    expectBaseline(ics, '.ics');
    expect(ics.headers.get('content-security-policy')).toBe(DEFAULT_CSP);
  });

  it('gives the HTML error page of an oversized form the default policy', async () => {
    const res = await get('/admin/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: `email=${'a'.repeat(6 * 1024 * 1024)}`,
    });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expectBaseline(res, '413 page');
    // Under /admin the console's policy was set before the body was read; either policy is strict.
    expect([CONSOLE_CSP, DEFAULT_CSP]).toContain(res.headers.get('content-security-policy'));
  });
});

describe('HSTS', () => {
  async function headersFor(appBaseUrl: string): Promise<Headers> {
    const app = express();
    app.use(securityHeaders(securityHeaderSet({ appBaseUrl })));
    app.get('/', (_req, res) => res.json({ ok: true }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      return (await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)).headers;
    } finally {
      server.close();
    }
  }

  it('is sent only when the public URL is https, and then the default policy upgrades insecure requests', async () => {
    const https = await headersFor('https://motcua.example.gov.vn');
    expect(https.get('strict-transport-security')).toBe(`max-age=${HSTS_MAX_AGE_SECONDS}`);
    expect(https.get('content-security-policy')).toBe(defaultContentSecurityPolicy(true));
    expect(https.get('content-security-policy')).toContain('upgrade-insecure-requests');
    const http = await headersFor('http://localhost:3000');
    expect(http.get('strict-transport-security')).toBeNull();
    expect(http.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
  });
});
