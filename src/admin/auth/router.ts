/**
 * The auth component's HTTP surface: the global middlewares for `/admin` (security headers, form
 * parsing, session, CSRF) and the router with sign-in/out, dashboard, own password, users, audit
 * log and the console's static assets.
 */
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import type { Logger } from '../../logger';
import { storableFields } from '../../storable-text';
import type { AdminKit } from '../kit';
import { accountRouter } from './account';
import { auditRouter } from './audit-page';
import { dashboardRouter } from './dashboard';
import { adminSecurityHeaders } from './headers';
import { loginRouter } from './login';
import { csrfMiddleware, sessionMiddleware, systemClock, type Clock } from './middleware';
import { sendNotFound } from './pages';
import { isAdminPath, originalPath } from './paths';
import { usersRouter } from './users';

/** `src/admin/public`: admin.css and admin.js, served at `/admin/assets/`. */
export const ADMIN_PUBLIC_DIR = path.join(__dirname, '..', 'public');

export interface AdminMiddlewareDeps {
  db: Db;
  i18n: Translator;
  secureCookies: boolean;
  /** Tests move time forward to expire sessions and lock-outs; production uses the system clock. */
  clock?: Clock;
}

/**
 * Everything that runs before the console's routers, in order: security headers, urlencoded form
 * bodies (5 MB: a pasted knowledge-base import is the largest form), session, CSRF. Mount once at the app root, before any `/admin` router:
 * `app.use(adminMiddleware(deps))`. Each piece acts only under `/admin`.
 */
export function adminMiddleware(deps: AdminMiddlewareDeps): Router {
  const router = Router();
  router.use('/admin', adminSecurityHeaders, express.urlencoded({ extended: false, limit: '5mb' }), storableInput);
  router.use(sessionMiddleware({ db: deps.db, secureCookies: deps.secureCookies, clock: deps.clock }));
  router.use(csrfMiddleware({ i18n: deps.i18n }));
  return router;
}

/**
 * Form fields and query parameters without the characters PostgreSQL refuses (NUL, half
 * surrogates), so a pasted or forged value is saved or searched as text instead of failing the
 * request with a 500. Express 5 computes `req.query` on each read: the clean copy replaces it.
 */
const storableInput: RequestHandler = (req, _res, next) => {
  if (req.body !== undefined) req.body = storableFields(req.body);
  Object.defineProperty(req, 'query', { value: storableFields(req.query), configurable: true, enumerable: true, writable: true });
  next();
};

export interface AuthRouterDeps {
  db: Db;
  kit: AdminKit;
  i18n: Translator;
  logger: Logger;
  secureCookies: boolean;
  clock?: Clock;
}

/** Sign-in/out, `/admin` dashboard, own password, users and audit pages, and `/admin/assets/*`. */
export function authRouter(deps: AuthRouterDeps): Router {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger.child({ component: 'admin-auth' });
  const router = Router();
  router.use('/admin/assets', express.static(ADMIN_PUBLIC_DIR, { index: false, maxAge: '1h', fallthrough: true }));
  router.use(loginRouter({ db: deps.db, i18n: deps.i18n, logger, secureCookies: deps.secureCookies, clock }));
  router.use(dashboardRouter({ kit: deps.kit, i18n: deps.i18n }));
  router.use(accountRouter({ db: deps.db, kit: deps.kit, i18n: deps.i18n, logger, clock }));
  router.use(usersRouter({ db: deps.db, kit: deps.kit, i18n: deps.i18n, clock }));
  router.use(auditRouter({ db: deps.db, kit: deps.kit, i18n: deps.i18n }));
  return router;
}

/** A console-styled 404 for unknown `/admin` paths; mount after every console router. */
export function adminNotFound(i18n: Translator): RequestHandler {
  return (req, res, next) => {
    if (!isAdminPath(originalPath(req))) return next();
    sendNotFound(res, req, i18n);
  };
}
