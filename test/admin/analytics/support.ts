/**
 * Test doubles and seeding for the analytics router. The kit stands in for the auth component
 * (a collaborator: sessions and layout are tested there), the database is always real.
 * The test kit reads the official's role from the `x-test-role` header.
 */
import { audit as writeAudit } from '../../../src/admin/auth';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { tables, type Db } from '../../../src/db';
import { loadTranslator } from '../../../src/i18n';
import { html, raw } from '../../../src/admin/html';
import { ROLES, type AdminKit, type Role } from '../../../src/admin/kit';
import { analyticsRouter, type AnalyticsDeps } from '../../../src/admin/analytics';

export const ROOT = path.resolve(__dirname, '../../..');
export const i18n = loadTranslator(path.join(ROOT, 'locales'));
export const OFFICIAL_ID = randomUUID();

/** A kit whose role check trusts a header, and whose audit writes the real audit_log table. */
export function testKit(overrides: Partial<AdminKit> = {}): AdminKit {
  return {
    requireRole: (...roles: Role[]) => (req, res, next) => {
      const role = req.header('x-test-role') as Role | undefined;
      if (!role || !ROLES.includes(role)) {
        res.redirect(302, '/admin/login');
        return;
      }
      if (role !== 'admin' && !roles.includes(role)) {
        res.status(403).send('forbidden');
        return;
      }
      req.official = { id: OFFICIAL_ID, email: `${role}@example.test`, name: `Cán bộ ${role}`, role };
      req.csrfToken = 'test-csrf';
      next();
    },
    page: (_req, o) =>
      `<!doctype html><html lang="vi"><head><title>${html`${o.title}`.value}</title>${(o.scripts ?? [])
        .map((s) => (s.endsWith('.css') ? html`<link rel="stylesheet" href="${s}">` : html`<script src="${s}" defer></script>`).value)
        .join('')}</head><body>${o.flash ? html`<div class="flash ${o.flash.kind}">${o.flash.text}</div>`.value : ''}<main>${o.body.value}</main></body></html>`,
    csrfField: () => raw('<input type="hidden" name="_csrf" value="test-csrf">'),
    audit: writeAudit,
    ...overrides,
  };
}

const tempDirs: string[] = [];

/** A copy of the real intents/ in a temp folder: tests never touch the repository's training data. */
export function tempIntentsDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-intents-'));
  tempDirs.push(dir);
  for (const f of fs.readdirSync(path.join(ROOT, 'intents'))) fs.copyFileSync(path.join(ROOT, 'intents', f), path.join(dir, f));
  return dir;
}

/** Removes the folders made by {@link tempIntentsDir}. */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The express app under test: the analytics router alone, with a 500 handler that shows the error. */
export function testApp(db: Db, extra: Partial<AnalyticsDeps> = {}): Express {
  const app = express();
  app.use(
    analyticsRouter({
      db,
      kit: testKit(),
      i18n,
      intentsDir: extra.intentsDir ?? path.join(ROOT, 'intents'),
      now: () => new Date('2026-03-20T05:00:00Z'),
      ...extra,
    }),
  );
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    res.status(500).type('text/plain').send(String((err as Error)?.stack ?? err));
  };
  app.use(onError);
  return app;
}

export type Channel = 'zalo' | 'messenger' | 'webchat';

/** A conversation (one person on one channel). */
export async function conversation(
  db: Db,
  channel: Channel,
  values: Partial<typeof tables.conversations.$inferInsert> = {},
): Promise<string> {
  const [row] = await db
    .insert(tables.conversations)
    .values({ channel, channelUserId: randomUUID(), ...values })
    .returning({ id: tables.conversations.id });
  if (!row) throw new Error('conversation not inserted');
  return row.id;
}

/** An inbound message at `at` (ISO-8601), as the conversation engine stores it. */
export async function inbound(
  db: Db,
  conversationId: string,
  at: string,
  m: { text?: string | null; payload?: string | null; intent?: string | null; score?: number | null; procedure?: string | null } = {},
): Promise<void> {
  await db.insert(tables.messages).values({
    conversationId,
    direction: 'in',
    text: m.text === undefined ? 'xin chào' : m.text,
    payload: m.payload ?? null,
    intent: m.intent === undefined ? 'greeting' : m.intent,
    score: m.score === undefined ? 0.9 : m.score,
    procedure: m.procedure ?? null,
    createdAt: new Date(at),
  });
}

export async function rating(db: Db, conversationId: string, at: string, value: number): Promise<void> {
  await db.insert(tables.feedback).values({ conversationId, rating: value, createdAt: new Date(at) });
}

/** The chart data block of a rendered analytics page. */
export function chartData(page: string): any {
  const m = /<script type="application\/json" id="analytics-data">([\s\S]*?)<\/script>/.exec(page);
  if (!m?.[1]) throw new Error('no #analytics-data block in the page');
  return JSON.parse(m[1]);
}

/** Parses a CSV body produced by the export (no quoted newlines in these tests). */
export function csvRows(body: string): string[][] {
  return body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((line) => {
      const cells: string[] = [];
      let cur = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const c = line[i]!;
        if (quoted) {
          if (c === '"' && line[i + 1] === '"') {
            cur += '"';
            i++;
          } else if (c === '"') quoted = false;
          else cur += c;
        } else if (c === '"') quoted = true;
        else if (c === ',') {
          cells.push(cur);
          cur = '';
        } else cur += c;
      }
      cells.push(cur);
      return cells;
    });
}
