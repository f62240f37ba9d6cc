/** What the appraisal console needs from the app, and small helpers its pages and routes share. */
import type { Request } from 'express';
import type { AppraisalService } from '../../appraisal/contract';
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import type { Logger } from '../../logger';
import type { AdminKit, Official } from '../kit';

export interface AppraisalConsoleDeps {
  db: Db;
  kit: AdminKit;
  i18n: Translator;
  logger: Logger;
  /** Books, moves and cancels sessions (and notifies the business of officials' changes). */
  service: AppraisalService;
  /** Called after a change queued a notice in the outbox, to wake the outbox worker. */
  onOutbound?: () => void;
  /** The clock (tests fix it). */
  clock?: () => Date;
}

/** Where this part's scripts are served. */
export const ASSETS = '/admin/assets/appraisal';
/** The calendar's address; sessions and availability live under it. */
export const BASE = '/admin/appraisal';

export const sessionPath = (id: string) => `${BASE}/sessions/${id}`;

/** Roles of the appraisal pages (admin always passes). */
export const SESSION_ROLES = ['appraiser', 'officer'] as const;

/** The signed-in official (the kit's requireRole guarantees one on these routes). */
export function signedIn(req: Request): Official {
  if (!req.official) throw new Error('appraisal console route reached without a signed-in official');
  return req.official;
}

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/** A one-time confirmation after a redirect (`?done=saved`): only known keys, never echoed text. */
export function doneFlash(req: Request, i18n: Translator): { kind: 'success'; text: string } | undefined {
  const done = typeof req.query.done === 'string' ? req.query.done : '';
  const key = `admin-appraisal.done.${done}`;
  return /^[a-zA-Z]+$/.test(done) && i18n.has(key) ? { kind: 'success', text: i18n.t(key) } : undefined;
}
