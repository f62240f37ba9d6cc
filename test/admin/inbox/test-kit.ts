/**
 * Test double of the auth component's `AdminKit` (until the real one lands, and to keep these tests
 * about the inbox): the signed-in official comes from the `x-test-official` header, pages are the
 * body in a bare HTML shell, and the audit goes to the real `audit_log` table.
 */
import { audit as writeAudit } from '../../../src/admin/auth';
import path from 'node:path';
import express, { type Express } from 'express';
import request from 'supertest';
import type { Database } from '../../../src/db';
import { tables } from '../../../src/db';
import { html } from '../../../src/admin/html';
import type { AdminKit, Official, Role } from '../../../src/admin/kit';
import { inboxRouter, webchatOfficialRepliesRouter } from '../../../src/admin/inbox';
import { createConversation, ConversationStore, type Understanding } from '../../../src/conversation';
import { errorHandler, notFound } from '../../../src/http/errors';
import { loadTranslator } from '../../../src/i18n';
import { createLogger } from '../../../src/logger';
import type { Parse } from '../../../src/nlu/types';
import { importKnowledgeBase, ProcedureRepository } from '../../../src/procedures';
import type { TestDatabase } from '../../support/db';
import { testOffice, testProcedure } from '../../support/fixtures';

export const i18n = loadTranslator(path.resolve(__dirname, '../../../locales'));
export const TEST_CSRF = 'test-csrf-token';

export const testKit: AdminKit = {
  requireRole(...roles: Role[]) {
    return (req, res, next) => {
      const header = req.get('x-test-official');
      if (!header) {
        res.status(401).send('sign in');
        return;
      }
      const official = JSON.parse(decodeURIComponent(header)) as Official;
      if (official.role !== 'admin' && !roles.includes(official.role)) {
        res.status(403).send('forbidden');
        return;
      }
      req.official = official;
      req.csrfToken = TEST_CSRF;
      next();
    };
  },
  page(_req, o) {
    const scripts = (o.scripts ?? []).map((s) => html`<script src="${s}" defer></script>`);
    const flash = o.flash ? html`<div class="flash ${o.flash.kind}" role="status">${o.flash.text}</div>` : '';
    return html`<!doctype html><html lang="vi"><head><title>${o.title}</title>${scripts}</head><body data-active="${o.active ?? ''}">${flash}<main>${o.body}</main></body></html>`.value;
  },
  csrfField(req) {
    return html`<input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}">`;
  },
  audit: writeAudit,
};

/** Officials for the tests (rows are inserted by `seedOfficials`). */
export const officials = {
  an: { id: '00000000-0000-4000-8000-00000000000a', email: 'an@example.vn', name: 'Nguyễn Văn An', role: 'officer' },
  binh: { id: '00000000-0000-4000-8000-00000000000b', email: 'binh@example.vn', name: 'Trần Thị Bình', role: 'officer' },
  boss: { id: '00000000-0000-4000-8000-00000000000c', email: 'boss@example.vn', name: 'Lê Quản Trị', role: 'admin' },
  viewer: { id: '00000000-0000-4000-8000-00000000000d', email: 'xem@example.vn', name: 'Phạm Xem', role: 'viewer' },
  appraiser: { id: '00000000-0000-4000-8000-00000000000e', email: 'td@example.vn', name: 'Hồ Thẩm Định', role: 'appraiser' },
} satisfies Record<string, Official>;

/** Header value for `o` (URI-encoded: header values must be ASCII, the names are Vietnamese). */
export const as = (o: Official) => ({ 'x-test-official': encodeURIComponent(JSON.stringify(o)) });

export async function seedOfficials(database: Database): Promise<void> {
  await database.db
    .insert(tables.officials)
    .values(Object.values(officials).map((o) => ({ ...o, passwordHash: 'not-a-real-hash' })));
}

/** Answers from a table; anything else is `none` with a low score (a miss). */
export function scriptedNlu(table: Record<string, Partial<Parse>>): Understanding {
  return {
    async parse(text) {
      return { text, intent: 'none', score: 0.2, procedure: null, entities: [], ...table[text] };
    },
  };
}

export const nlu = scriptedNlu({
  'gặp cán bộ': { intent: 'handoff.human', score: 0.97 },
  'xin chào': { intent: 'greeting', score: 0.99 },
  'đánh giá': { intent: 'feedback.rate', score: 0.9 },
  'lệ phí kết hôn': { intent: 'procedure.fee', score: 0.93, procedure: 'ket-hon' },
});

export function conversationOn(database: Database) {
  return createConversation({
    db: database.db,
    appBaseUrl: 'http://localhost:3000',
    store: new ConversationStore(database.db),
    procedures: new ProcedureRepository(database.db),
    nlu,
    i18n,
    contextIdleMinutes: 30,
  });
}

/** The inbox and the web chat replies endpoint in a bare app, with the app's own error handling. */
export function buildApp(database: Database, opts: { onOutbound?: () => void; clock?: () => Date } = {}): Express {
  const app = express();
  const logger = createLogger('silent');
  app.use(inboxRouter({ db: database.db, kit: testKit, i18n, logger, ...opts }));
  app.use(webchatOfficialRepliesRouter({ db: database.db, i18n }));
  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

/** Monday 10:00 in Vietnam: the office is open. */
export const T0 = new Date('2026-11-23T03:00:00Z');

/**
 * Per-test setup (officials, a small knowledge base) and helpers for a `describeEachDatabase` body:
 * the person talking to the bot, the officials' requests, and the conversation row as stored.
 * The inbox's clock is T0 + 25 minutes.
 */
export function inboxHarness(getDb: () => TestDatabase) {
  const db = () => getDb().database;
  const outbound = { calls: 0 };
  const app = () => buildApp(db(), { onOutbound: () => (outbound.calls += 1), clock: () => new Date(T0.getTime() + 25 * 60_000) });
  const say = (user: string, text: string | undefined, opts: { payload?: string; channel?: 'webchat' | 'zalo' | 'messenger'; at?: Date } = {}) =>
    conversationOn(db()).handle({
      channel: opts.channel ?? 'webchat',
      channelUserId: user,
      text,
      payload: opts.payload,
      receivedAt: opts.at ?? T0,
    });
  const conversationId = async (user: string) =>
    (await db().query<{ id: string }>('select id from conversations where channel_user_id = $1', [user]))[0]!.id;
  const row = async (id: string) =>
    (
      await db().query<{ status: string; assigned_official_id: string | null; claimed_at: Date | null; first_human_reply_at: Date | null; context: Record<string, unknown> }>(
        'select status, assigned_official_id, claimed_at, first_human_reply_at, context from conversations where id = $1',
        [id],
      )
    )[0]!;
  const claim = (id: string, who: Official = officials.an) =>
    request(app()).post(`/admin/inbox/${id}/claim`).set(as(who)).type('form').send({ _csrf: TEST_CSRF });
  const reply = (id: string, text: string, who: Official = officials.an, nonce: string = crypto.randomUUID()) =>
    request(app()).post(`/admin/inbox/${id}/reply`).set(as(who)).type('form').send({ _csrf: TEST_CSRF, text, nonce });

  beforeEach(async () => {
    outbound.calls = 0;
    await seedOfficials(db());
    const kb = { offices: [testOffice], procedures: [testProcedure('ket-hon', { name: 'Đăng ký kết hôn' })] };
    await importKnowledgeBase(new ProcedureRepository(db().db), JSON.stringify(kb), 'json');
  });
  return { db, app, outbound, say, conversationId, row, claim, reply };
}
