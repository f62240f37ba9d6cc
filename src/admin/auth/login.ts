/**
 * `GET/POST /admin/login` and `POST /admin/logout`. Sign-in answers the same generic error for an
 * unknown email, an inactive account and a wrong password, and spends an argon2 verification in
 * each case, so neither the text nor the timing tells which emails exist.
 */
import { Router, type Request } from 'express';
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import type { Logger } from '../../logger';
import { html } from '../html';
import { renderPage } from '../layout/page';
import { addressBlocked, lockedUntil, normalizeEmail, recordAttempt } from './attempts';
import {
  LOGIN_CSRF_COOKIE,
  clearLoginCsrfCookie,
  clearSessionCookie,
  readCookie,
  setLoginCsrfCookie,
  setSessionCookie,
} from './cookies';
import type { Clock } from './middleware';
import { findOfficialByEmail, setLockState } from './officials';
import { PASSWORD_MAX_LENGTH, verifyAgainstDummy, verifyPassword } from './passwords';
import { safeNext } from './paths';
import { createSession, revokeSessionByHash, sessionOf } from './sessions';
import { randomToken } from './tokens';

export interface LoginDeps {
  db: Db;
  i18n: Translator;
  logger: Logger;
  secureCookies: boolean;
  clock: Clock;
}

const field = (body: unknown, name: string): string => {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === 'string' ? v : '';
};

function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

export function loginRouter(deps: LoginDeps): Router {
  const { db, i18n, logger, secureCookies, clock } = deps;
  const router = Router();

  const renderForm = (token: string, values: { email: string; next?: string }, error?: string, notice?: string) =>
    renderPage(i18n, {}, {
      title: i18n.t('admin-auth.login.title'),
      flash: error ? { kind: 'error', text: error } : notice ? { kind: 'success', text: notice } : undefined,
      body: html`<form method="post" action="/admin/login" class="card login-card" novalidate>
        <p class="muted">${i18n.t('admin-auth.login.intro')}</p>
        <input type="hidden" name="_csrf" value="${token}">
        ${values.next ? html`<input type="hidden" name="next" value="${values.next}">` : ''}
        <div class="form-row">
          <label for="login-email">${i18n.t('admin-auth.login.email')}</label>
          <input id="login-email" name="email" type="email" autocomplete="username" required value="${values.email}" autofocus>
        </div>
        <div class="form-row">
          <label for="login-password">${i18n.t('admin-auth.login.password')}</label>
          <input id="login-password" name="password" type="password" autocomplete="current-password" required>
        </div>
        <div class="form-actions"><button type="submit" class="btn primary">${i18n.t('admin-auth.login.submit')}</button></div>
      </form>`,
    });

  /** Reuses a still-valid pre-session token, so two open sign-in tabs do not invalidate each other. */
  const loginToken = (req: Request): string => {
    const existing = readCookie(req, LOGIN_CSRF_COOKIE);
    return existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : randomToken();
  };

  router.get('/admin/login', (req, res) => {
    const next = safeNext(req.query.next);
    if (req.official) {
      res.redirect(303, next ?? '/admin');
      return;
    }
    const token = loginToken(req);
    setLoginCsrfCookie(res, token, secureCookies);
    const notice = req.query.signedOut === '1' ? i18n.t('admin-auth.login.signedOut') : undefined;
    res.type('html').send(renderForm(token, { email: '', next }, undefined, notice));
  });

  router.post('/admin/login', async (req, res) => {
    const now = clock();
    const email = field(req.body, 'email').trim();
    const password = field(req.body, 'password');
    const next = safeNext(field(req.body, 'next'));
    const ip = clientAddress(req);
    const token = loginToken(req);
    const refuse = (status: number, message: string) => {
      setLoginCsrfCookie(res, token, secureCookies);
      res.status(status).type('html').send(renderForm(token, { email, next }, message));
    };

    if (await addressBlocked(db, ip, now)) {
      await recordAttempt(db, { email, ip, ok: false, at: now });
      logger.warn({ ip }, 'admin sign-in refused: too many failures from this address');
      return refuse(429, i18n.t('admin-auth.login.addressLimited'));
    }
    if (await lockedUntil(db, email, now)) {
      await recordAttempt(db, { email, ip, ok: false, at: now });
      return refuse(429, i18n.t('admin-auth.login.locked'));
    }

    const official = email ? await findOfficialByEmail(db, email) : undefined;
    const usable = official?.active === true && password.length > 0 && password.length <= PASSWORD_MAX_LENGTH;
    const ok = usable && official ? await verifyPassword(official.passwordHash, password) : await verifyAgainstDummy(password);
    await recordAttempt(db, { email, ip, ok, at: now });

    if (!ok || !official) {
      const lockEnd = await lockedUntil(db, email, now);
      if (official) await setLockState(db, official.id, { failedLogins: official.failedLogins + 1, lockedUntil: lockEnd });
      if (lockEnd) {
        logger.warn({ email: normalizeEmail(email), ip }, 'admin sign-in locked after repeated failures');
        return refuse(429, i18n.t('admin-auth.login.locked'));
      }
      logger.info({ ip }, 'admin sign-in failed');
      return refuse(401, i18n.t('admin-auth.login.invalid'));
    }

    await setLockState(db, official.id, { failedLogins: 0, lockedUntil: null });
    // A fresh token on every sign-in (no session fixation); the previous session on this browser ends.
    const previous = sessionOf(req);
    if (previous) await revokeSessionByHash(db, previous.tokenHash);
    const session = await createSession(db, official.id, now);
    setSessionCookie(res, session.token, secureCookies);
    clearLoginCsrfCookie(res, secureCookies);
    logger.info({ officialId: official.id }, 'admin signed in');
    res.redirect(303, next ?? '/admin');
  });

  router.post('/admin/logout', async (req, res) => {
    const session = sessionOf(req);
    if (session) await revokeSessionByHash(db, session.tokenHash);
    clearSessionCookie(res, secureCookies);
    res.redirect(303, '/admin/login?signedOut=1');
  });

  return router;
}
