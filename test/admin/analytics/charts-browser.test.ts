/**
 * The analytics page in a real browser (Debian's chromium driven by playwright-core) under the
 * console's strict Content-Security-Policy: Chart.js, served by the app, draws every chart from the
 * JSON block, and nothing is blocked or fails in the console.
 */
import { launchChromium } from '../../support/browser';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Browser } from 'playwright-core';
import { openTestDatabase, type TestDatabase } from '../../support/db';
import { conversation, inbound, rating, testApp } from './support';

/** The console's policy (src/admin/auth/headers.ts): no inline script, no inline style, nothing from elsewhere. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
/** Where the screenshot goes, for a human to look at the charts. */
export const SCREENSHOT = path.join(os.tmpdir(), 'tlmc-analytics-charts.png');

let db: (TestDatabase & { drop(): Promise<void> }) | undefined;
let server: Server | undefined;
let browser: Browser | undefined;
let base = '';

describe('analytics charts in a browser', () => {
  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    const d = db.database.db;
    const z = await conversation(d, 'zalo', { handoffRequestedAt: new Date('2026-03-03T02:00:00Z'), firstHumanReplyAt: new Date('2026-03-03T02:07:00Z') });
    const w = await conversation(d, 'webchat');
    for (let day = 1; day <= 14; day++) {
      const at = `2026-03-${String(day).padStart(2, '0')}T0${day % 10}:00:00Z`;
      await inbound(d, z, at, { intent: day % 3 ? 'procedure.fee' : 'greeting', procedure: day % 2 ? 'khai-sinh' : null });
      if (day % 2) await inbound(d, w, at, { text: 'hỏi gì đó', intent: 'none', score: 0.9 });
    }
    await rating(d, w, '2026-03-02T03:00:00Z', 5);
    await rating(d, w, '2026-03-10T03:00:00Z', 3);
    const app = express();
    app.use((_req, res, next) => {
      res.set('Content-Security-Policy', CSP);
      next();
    });
    app.use(testApp(d));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await db?.drop();
  });

  it('draws the five charts with the local Chart.js under the strict CSP', async () => {
    const context = await browser!.newContext({ extraHTTPHeaders: { 'x-test-role': 'viewer' }, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      // Failed loads are reported below with their address.
      if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('response', (r) => {
      // The browser asks for /favicon.ico by itself; the console's layout (not this router) answers that.
      if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base)) outside.push(r.url());
    });
    await page.goto(`${base}/admin/analytics?from=2026-03-01&to=2026-03-14`);
    // Page-side code as strings: the project compiles for Node (no DOM types).
    await page.waitForFunction("document.querySelectorAll('canvas').length === 5 && window.Chart !== undefined", undefined, { timeout: 15_000 });
    const drawn = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => {
      const chart = window.Chart.getChart(c);
      const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) ink++;
      return { id: c.id, type: chart && chart.config.type, width: c.width, ink };
    })`)) as { id: string; type: string; width: number; ink: number }[];
    expect(drawn.map((d) => d.id)).toEqual(['chart-messages', 'chart-intents', 'chart-procedures', 'chart-handoffs', 'chart-ratings']);
    for (const d of drawn) {
      expect(d.type).toBe('bar');
      expect(d.width).toBeGreaterThan(200);
      expect(d.ink).toBeGreaterThan(1000);
    }
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  });
});
