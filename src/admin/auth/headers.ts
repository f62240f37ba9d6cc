/**
 * Security headers for every console response. The console loads nothing from elsewhere and has
 * no inline script or style, so the policy can be strict; pages are never cached (they show
 * personal data and CSRF tokens), static assets may be.
 */
import type { RequestHandler } from 'express';
import { isAdminPath, originalPath } from './paths';

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

export const adminSecurityHeaders: RequestHandler = (req, res, next) => {
  const path = originalPath(req);
  if (!isAdminPath(path)) {
    next();
    return;
  }
  res.set({
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
  });
  if (!path.startsWith('/admin/assets/')) res.set('Cache-Control', 'no-store');
  next();
};
