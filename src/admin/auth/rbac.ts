/** Role checks for console routes (DESIGN: admin passes every check). */
import type { RequestHandler } from 'express';
import type { Translator } from '../../i18n';
import type { Role } from '../kit';
import { roleAllows } from '../layout/nav';
import { sendForbidden } from './pages';
import { safeNext } from './paths';

/**
 * Lets through signed-in officials with one of `roles` (none listed: any signed-in official).
 * Not signed in: GET/HEAD go to the sign-in page with `next` set to where they were going; other
 * methods get 401 JSON. Signed in without the role: a 403 page.
 */
export function requireRole(i18n: Translator, roles: readonly Role[]): RequestHandler {
  return (req, res, next) => {
    const official = req.official;
    if (!official) {
      if (req.method === 'GET' || req.method === 'HEAD') {
        const target = safeNext(req.originalUrl);
        res.redirect(302, target ? `/admin/login?next=${encodeURIComponent(target)}` : '/admin/login');
        return;
      }
      res.status(401).json({ error: 'sign in required' });
      return;
    }
    if (!roleAllows(official.role, roles)) {
      sendForbidden(res, req, i18n);
      return;
    }
    next();
  };
}
