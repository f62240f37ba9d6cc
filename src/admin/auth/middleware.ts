/**
 * The console's global middlewares: the session (who is signed in) and the CSRF check on every
 * state-changing request. Both look at the original URL and act only under `/admin`, so they work
 * whether they are mounted at the root or at `/admin`.
 */
import type { Request, RequestHandler } from 'express';
import type { Translator } from '../../i18n';
import type { Db } from '../../db';
import { LOGIN_CSRF_COOKIE, SESSION_COOKIE, clearSessionCookie, readCookie } from './cookies';
import { sendErrorPage } from './pages';
import { isAdminPath, originalPath } from './paths';
import { attachSession, findSession } from './sessions';
import { safeEqual } from './tokens';

export type Clock = () => Date;
export const systemClock: Clock = () => new Date();

/** Cookie tokens we issue are 43 base64url characters; anything else is not worth a query. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Reads the `tlmc_admin` cookie, loads the session (idle 8 h, absolute 7 days) and sets
 * `req.official` and `req.csrfToken`. A dead or unknown session's cookie is cleared.
 */
export function sessionMiddleware(deps: { db: Db; secureCookies: boolean; clock?: Clock }): RequestHandler {
  const clock = deps.clock ?? systemClock;
  return async (req, res, next) => {
    const path = originalPath(req);
    // Static assets are public (the sign-in page needs the stylesheet): no session lookup for them.
    if (!isAdminPath(path) || path.startsWith('/admin/assets/')) return next();
    const token = readCookie(req, SESSION_COOKIE);
    if (token === undefined) return next();
    const session = TOKEN_SHAPE.test(token) ? await findSession(deps.db, token, clock()) : null;
    if (session) attachSession(req, session);
    else clearSessionCookie(res, deps.secureCookies);
    next();
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** The token the client sent: `_csrf` in a form body, else the `X-CSRF-Token` header. */
function submittedToken(req: Request): string | undefined {
  const body: unknown = req.body;
  if (body && typeof body === 'object' && typeof (body as Record<string, unknown>)._csrf === 'string') {
    return (body as Record<string, string>)._csrf;
  }
  // Scripts (fetch) send it as a header, read from `<meta name="csrf-token">`. Never from the URL,
  // where it would end up in logs and Referer headers.
  return req.get('x-csrf-token') || undefined;
}

/**
 * Every non-GET/HEAD request under `/admin` must carry the session's CSRF token (compared in
 * constant time). The sign-in form has no session yet: it is checked against the short-lived
 * `tlmc_admin_login` cookie (double-submit), so a forged sign-in from another site fails too.
 * Failures get a 403 page in Vietnamese (JSON for clients that ask for JSON).
 */
export function csrfMiddleware(deps: { i18n: Translator }): RequestHandler {
  return (req, res, next) => {
    const path = originalPath(req);
    if (SAFE_METHODS.has(req.method) || !isAdminPath(path)) return next();
    const expected = path === '/admin/login' ? readCookie(req, LOGIN_CSRF_COOKIE) : req.csrfToken;
    const submitted = submittedToken(req);
    if (expected && submitted && safeEqual(expected, submitted)) return next();
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(403).json({ error: 'invalid or missing CSRF token' });
      return;
    }
    sendErrorPage(res, req, deps.i18n, 403, {
      title: deps.i18n.t('admin-auth.csrf.title'),
      message: deps.i18n.t('admin-auth.csrf.message'),
      link: req.official
        ? { href: '/admin', text: deps.i18n.t('admin-auth.forbidden.back') }
        : { href: '/admin/login', text: deps.i18n.t('admin-auth.csrf.signIn') },
    });
  };
}
