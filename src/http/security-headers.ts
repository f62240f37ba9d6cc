/**
 * App-wide security headers (helmet), set before any router so that every response has them — JSON
 * APIs, webhooks, `.ics` files, 404s and error pages included.
 *
 * The Content-Security-Policy set here is the strict default for anything that does not set its own:
 * nothing but our own scripts, styles and images, no framing, no plugins. Pages with their own needs
 * set their own policy afterwards, which replaces this one (`res.set` overwrites the header):
 * - the web chat page (src/channels/webchat/routes.ts), which may be framed by our own origin;
 * - the officials' console (src/admin/auth/headers.ts), `X-Frame-Options: DENY` and its own policy.
 *
 * HSTS is sent only when the public URL (APP_BASE_URL) is https: a plain-http demo on a laptop must
 * not teach the browser to refuse http for that host. No `includeSubDomains`/`preload`: the
 * office's other sub-sites are not ours to commit.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { RequestHandler } from 'express';

/** The default policy, as a header value (tests compare against it). */
export function defaultContentSecurityPolicy(https: boolean): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** HSTS lifetime: half a year, long enough to matter, short enough to undo a mistake. */
export const HSTS_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

/** Headers to set on a response, in order, and headers to remove from it. */
export interface HeaderSet {
  set: [name: string, value: string][];
  remove: string[];
}

/**
 * The app-wide headers, worked out once: helmet's middleware, run at start-up against a response
 * that only records what it is told, plus our policy. Nothing helmet sets here depends on the
 * request, and running its dozen small middlewares on every request was a visible share of a
 * webhook's CPU.
 */
export function securityHeaderSet(opts: { appBaseUrl: string }): HeaderSet {
  const https = opts.appBaseUrl.startsWith('https://');
  const middleware = helmet({
    // helmet's CSP builder would add its own defaults; ours is complete, so it is set as is.
    contentSecurityPolicy: false,
    strictTransportSecurity: https ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: false } : false,
    // As the chat page and the console: a Referer to our own pages only, none to other sites.
    referrerPolicy: { policy: 'same-origin' },
    // Nothing of ours is meant to be loaded by another site's page (the portal calls the API from its server).
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  const headers: HeaderSet = { set: [['Content-Security-Policy', defaultContentSecurityPolicy(https)]], remove: [] };
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set.push([name, String(value)]),
    removeHeader: (name: string) => headers.remove.push(name),
  };
  let finished = false;
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, () => (finished = true));
  // helmet calls next synchronously; if a version ever did not, the headers here would be incomplete.
  if (!finished) throw new Error('helmet did not finish synchronously: its headers cannot be worked out once');
  return headers;
}

/** The middleware that sets `headers` (`securityHeaderSet`) on every response it sees. */
export function securityHeaders(headers: HeaderSet): RequestHandler {
  return (_req, res, next) => {
    for (const name of headers.remove) res.removeHeader(name);
    for (const [name, value] of headers.set) res.setHeader(name, value);
    next();
  };
}
