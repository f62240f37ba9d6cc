/**
 * Request bodies are read only up to a limit, everywhere (a body is held in memory while it is
 * parsed, so an unbounded one is a way to exhaust a process):
 *
 * | parser | where | limit |
 * |---|---|---|
 * | JSON | app-wide, `src/http/app.ts` | `JSON_BODY_LIMIT` (100 kB) |
 * | raw bytes (`./raw-body.ts`) | `POST /webhooks/zalo`, `POST /webhooks/messenger` (`./webhooks.ts`) | 1 MB |
 * | urlencoded | `/admin` forms (`src/admin/auth/router.ts`); the licence and knowledge-base imports travel in them, base64 | 5 MB, 1,000 fields (5,000 on knowledge-base forms) |
 *
 * Over a limit, body-parser raises a 413 (`entity.too.large`, or `parameters.too.many` for too many
 * form fields) — often before reading the body, from `Content-Length`. `payloadTooLarge` answers it
 * with a clear message: an HTML page for a browser's form post, JSON for everything else.
 */
import type { ErrorRequestHandler, Request } from 'express';
import type { Translator } from '../i18n';

export const JSON_BODY_LIMIT = '100kb';
/** The webhooks' raw bodies (./raw-body.ts): 1 MB, far above any platform's batch. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

interface BodyParserError {
  status?: number;
  type?: string;
  limit?: number;
}

/** 102400 -> "100 KB", 5242880 -> "5 MB". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`.replace('.', ',');
  return `${Math.round(n / 1024)} KB`;
}

function wantsHtml(req: Request): boolean {
  return req.accepts(['json', 'html']) === 'html';
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small complete page; no script or style, so the app-wide strict CSP fits it. */
function page(title: string, message: string, back: { href: string; text: string }): string {
  return `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="${escapeHtml(back.href)}">${escapeHtml(back.text)}</a></p></main></body>
</html>`;
}

/** body-parser's 413s (too large, too many fields; our raw body reader's too): their JSON answer, or undefined for any other error. */
export function payloadTooLargeJson(i18n: Translator, err: unknown): { error: string; message: string } | undefined {
  const e = err as BodyParserError | undefined;
  const tooLarge = e?.type === 'entity.too.large';
  const tooManyFields = e?.type === 'parameters.too.many';
  if (!(tooLarge || tooManyFields)) return undefined;
  const limit = typeof e.limit === 'number' ? formatBytes(e.limit) : '?';
  return tooLarge
    ? { error: 'payload_too_large', message: i18n.t('limits.bodyTooLarge', { limit }) }
    : { error: 'too_many_fields', message: i18n.t('limits.tooManyFields') };
}

/** Answers body-parser's 413s (too large, too many fields); passes every other error on. */
export function payloadTooLarge(i18n: Translator): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    const answer = payloadTooLargeJson(i18n, err);
    if (!answer || res.headersSent) {
      next(err);
      return;
    }
    if (wantsHtml(req)) {
      const back = req.originalUrl.startsWith('/admin') ? '/admin' : '/';
      res.status(413).type('html').send(page(i18n.t('limits.pageTitle'), answer.message, { href: back, text: i18n.t('limits.back') }));
      return;
    }
    res.status(413).json(answer);
  };
}
