/** URL checks shared by the middlewares and the sign-in redirect. */
import type { Request } from 'express';

/** The path part of the original URL (middlewares may be mounted at `/admin`, which strips `req.path`). */
export function originalPath(req: Request): string {
  const url = req.originalUrl || req.url;
  const q = url.search(/[?#]/);
  return q < 0 ? url : url.slice(0, q);
}

/** `/admin` and everything below it — but not `/administrator`. */
export function isAdminPath(path: string): boolean {
  return /^\/admin(?:\/|$)/.test(path);
}

/**
 * `next` after sign-in, only when it is a local console path: starts with `/admin` followed by `/`,
 * `?`, `#` or nothing; no `//` or `\` (which browsers may read as another host), no control
 * characters, bounded length. Anything else is refused (undefined), which stops open redirects.
 */
export function safeNext(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 500) return undefined;
  if (!/^\/admin(?:[/?#]|$)/.test(value)) return undefined;
  if (value.includes('//') || value.includes('\\')) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return undefined;
  if (/^\/admin\/(?:login|logout)(?:[/?#]|$)/.test(value)) return undefined;
  return value;
}
