/**
 * Test helpers for everything behind the console's sign-in, shared with the other console parts'
 * tests and the browser tests: create an official, sign in for real through the login form, and
 * assemble an express app with the real auth stack (the same order the lead mounts in app.ts).
 */
import path from 'node:path';
import express, { type Express, type Router } from 'express';
import type { Agent } from 'supertest';
import type { Db } from '../../../src/db';
import { loadTranslator, type Translator } from '../../../src/i18n';
import { createLogger } from '../../../src/logger';
import { errorHandler } from '../../../src/http/errors';
import { adminMiddleware, adminNotFound, authRouter, createAdminKit, type Clock } from '../../../src/admin/auth';
import type { AdminKit, Role } from '../../../src/admin/kit';
import { insertOfficial } from '../../../src/admin/auth/officials';
import { hashPassword } from '../../../src/admin/auth/passwords';

export const testI18n: Translator = loadTranslator(path.resolve(__dirname, '../../../locales'));

export const DEFAULT_TEST_PASSWORD = 'mat-khau-thu-nghiem-123';

export interface TestOfficial {
  id: string;
  email: string;
  name: string;
  role: Role;
  password: string;
}

let counter = 0;

/** Inserts an official directly (no audit row, so it does not disturb audit assertions). */
export async function createOfficial(
  db: Db,
  opts: { role: Role; email?: string; password?: string; name?: string },
): Promise<TestOfficial> {
  counter += 1;
  const email = opts.email ?? `${opts.role}${counter}@mot-cua.test`;
  const password = opts.password ?? DEFAULT_TEST_PASSWORD;
  const name = opts.name ?? `Cán bộ ${opts.role} ${counter}`;
  const row = await insertOfficial(db, { email, name, role: opts.role, passwordHash: await hashPassword(password) });
  return { id: row.id, email: row.email, name: row.name, role: row.role, password };
}

/** The response's Set-Cookie headers as a list (supertest types the header as a string). */
export function setCookies(res: { headers: Record<string, unknown> }): string[] {
  const v = res.headers['set-cookie'];
  return Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : [];
}

/** The `_csrf` hidden field of an HTML page (every console form has one). */
export function csrfFromHtml(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page) ?? /<meta name="csrf-token" content="([^"]+)"/.exec(page);
  if (!m?.[1]) throw new Error('no CSRF token in the page');
  return m[1];
}

export interface SignedIn {
  agent: Agent;
  /** The session's CSRF token: post it as `_csrf` or send it as `X-CSRF-Token`. */
  csrfToken: string;
  /** `tlmc_admin=<token>`, for a browser context (`context.addCookies`) or a raw `Cookie` header. */
  cookie: string;
}

/**
 * Signs in through the real form (GET the form for its pre-session token, POST the credentials)
 * and reads the session's CSRF token from the dashboard. Throws when sign-in fails.
 */
export async function signIn(agent: Agent, email: string, password: string): Promise<SignedIn> {
  const form = await agent.get('/admin/login');
  const res = await agent.post('/admin/login').type('form').send({ _csrf: csrfFromHtml(form.text), email, password });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  const session = setCookies(res).map((c) => /^tlmc_admin=([^;]+)/.exec(c)?.[1]).find(Boolean);
  if (!session) throw new Error('sign-in set no session cookie');
  const home = await agent.get('/admin');
  return { agent, csrfToken: csrfFromHtml(home.text), cookie: `tlmc_admin=${session}` };
}

export interface TestAdminApp {
  app: Express;
  kit: AdminKit;
  i18n: Translator;
  /** Moves the app's clock (sessions, lock-outs) forward. */
  advance(ms: number): void;
}

/**
 * An app with the real console stack: JSON body, admin middlewares, auth router, `routers(kit)`
 * (a feature router under test), the console 404 and the error handler.
 */
export function createAdminTestApp(
  db: Db,
  opts: { routers?: (kit: AdminKit, i18n: Translator) => Router[]; secureCookies?: boolean; trustProxy?: boolean } = {},
): TestAdminApp {
  let offset = 0;
  const clock: Clock = () => new Date(Date.now() + offset);
  const logger = createLogger('silent');
  const secureCookies = opts.secureCookies ?? false;
  const kit = createAdminKit({ db, i18n: testI18n, logger, secureCookies });
  const app = express();
  app.set('trust proxy', opts.trustProxy ?? false);
  app.use(express.json({ limit: '100kb' }));
  app.use(adminMiddleware({ db, i18n: testI18n, secureCookies, clock }));
  app.use(authRouter({ db, kit, i18n: testI18n, logger, secureCookies, clock }));
  for (const r of opts.routers?.(kit, testI18n) ?? []) app.use(r);
  app.use(adminNotFound(testI18n));
  app.use(errorHandler(logger));
  return { app, kit, i18n: testI18n, advance: (ms) => (offset += ms) };
}
