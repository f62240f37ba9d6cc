/** What the knowledge-base console needs from the app, and small helpers its pages share. */
import type { Request } from 'express';
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import type { AdminKit } from '../kit';
import { html, type Html } from '../html';

export interface KnowledgeBaseDeps {
  db: Db;
  kit: AdminKit;
  i18n: Translator;
  /** Public base URL of the app (`APP_BASE_URL`): the web chat link on QR posters. */
  appBaseUrl: string;
  /** Zalo OA id (`ZALO_OA_ID`): adds a Zalo QR code to posters when set. */
  zaloOaId?: string;
  /** Facebook Page id or username (`MESSENGER_PAGE_ID`): adds an m.me QR code when set. */
  messengerPageId?: string;
  /** Called after every successful write, so the bot reloads procedures without a restart. */
  onChange?: () => void;
}

/** Slugs that name console pages under `/admin/procedures/` and `/admin/offices/`, never a record. */
export const RESERVED_SLUGS = new Set(['new', 'import']);

/** Where console assets of this part are served. */
export const ASSETS = '/admin/assets/knowledge-base';

/** A stored UTC instant as officials read it: local Vietnam time, "dd/mm/yyyy HH:mm". */
export { formatDateTime as formatVietnamTime } from '../layout/format';

/** Field errors of a form, keyed by the input's name. */
export type FieldErrors = Record<string, string>;

/** The error line shown under an input, or nothing. */
export function fieldError(errors: FieldErrors, name: string): Html {
  const message = errors[name];
  return message ? html`<p class="field-error" id="${`err-${name}`}">${message}</p>` : html``;
}

/** `aria-invalid` and `aria-describedby` for an input with an error, so screen readers say why. */
export function invalidAttrs(errors: FieldErrors, name: string): Html {
  return errors[name] ? html` aria-invalid="true" aria-describedby="${`err-${name}`}"` : html``;
}

/** The signed-in official's id for the audit log (the kit's requireRole guarantees one). */
export function officialId(req: Request): string | null {
  return req.official?.id ?? null;
}

/** A one-time confirmation after a redirect (`?done=saved`): only known keys, never echoed text. */
export function doneFlash(req: Request, i18n: Translator): { kind: 'success'; text: string } | undefined {
  const done = typeof req.query.done === 'string' ? req.query.done : '';
  const key = `admin-kb.done.${done}`;
  return /^[a-z]+$/.test(done) && i18n.has(key) ? { kind: 'success', text: i18n.t(key) } : undefined;
}
