/** The console's cookies: names, flags, and a small parser (the app has no cookie middleware). */
import type { Request, Response, CookieOptions } from 'express';
import { SESSION_ABSOLUTE_MS } from './sessions';

/** The session cookie: HttpOnly, SameSite=Strict, Path=/admin, Secure behind HTTPS. */
export const SESSION_COOKIE = 'tlmc_admin';
/** Pre-session CSRF token of the sign-in form (double-submit), scoped to the sign-in path. */
export const LOGIN_CSRF_COOKIE = 'tlmc_admin_login';
export const LOGIN_CSRF_PATH = '/admin/login';
/** Long enough to type a password after a coffee, short enough not to linger. */
export const LOGIN_CSRF_MAX_AGE_MS = 60 * 60 * 1000;

/** Cookie header -> name/value pairs; the first occurrence of a name wins; malformed parts are skipped. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      // A value that is not valid percent-encoding is not one of ours.
    }
  }
  return out;
}

export function readCookie(req: Request, name: string): string | undefined {
  return parseCookies(req.headers.cookie).get(name);
}

function options(secure: boolean, path: string, maxAge: number): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure, path, maxAge };
}

export function setSessionCookie(res: Response, token: string, secure: boolean): void {
  res.cookie(SESSION_COOKIE, token, options(secure, '/admin', SESSION_ABSOLUTE_MS));
}

export function clearSessionCookie(res: Response, secure: boolean): void {
  const { maxAge: _unused, ...rest } = options(secure, '/admin', 0);
  res.clearCookie(SESSION_COOKIE, rest);
}

export function setLoginCsrfCookie(res: Response, token: string, secure: boolean): void {
  res.cookie(LOGIN_CSRF_COOKIE, token, options(secure, LOGIN_CSRF_PATH, LOGIN_CSRF_MAX_AGE_MS));
}

export function clearLoginCsrfCookie(res: Response, secure: boolean): void {
  const { maxAge: _unused, ...rest } = options(secure, LOGIN_CSRF_PATH, 0);
  res.clearCookie(LOGIN_CSRF_COOKIE, rest);
}
