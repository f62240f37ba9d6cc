/**
 * The officials' console's authentication component: the `AdminKit` for feature routers, the
 * global middlewares, the auth router, the first-admin bootstrap and account creation for the CLI.
 */
export { createAdminKit, type AdminKitDeps } from './kit';
export { adminMiddleware, adminNotFound, authRouter, ADMIN_PUBLIC_DIR, type AdminMiddlewareDeps, type AuthRouterDeps } from './router';
export { csrfMiddleware, sessionMiddleware, type Clock } from './middleware';
export { adminSecurityHeaders, CONTENT_SECURITY_POLICY } from './headers';
export { ensureFirstAdmin } from './first-admin';
export { createOfficialAccount, DuplicateEmailError, publicView, type OfficialView } from './officials';
export { writeAudit as audit, redactSecrets } from './audit';
export { PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH } from './passwords';
export { SESSION_COOKIE, LOGIN_CSRF_COOKIE } from './cookies';
export { SESSION_IDLE_MS, SESSION_ABSOLUTE_MS } from './sessions';
