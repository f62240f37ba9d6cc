/**
 * `/admin/privacy` (role admin only: it shows and removes everything about a person): find a
 * person, review what we hold, download it as JSON, or erase it. Every step is a POST carrying the
 * CSRF token (checked by the console's middleware before these handlers). The audit log records
 * who looked up, exported or erased, when, the kind of lookup, the counts and the request's
 * reference — never the person's data itself.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import { vietnamToday } from '../../licences';
import type { Logger } from '../../logger';
import { extractPhones } from '../../nlu';
import {
  countExport,
  eraseSubject,
  exportSubject,
  isEmptyExport,
  readLookup,
  resolveSubject,
  subjectFingerprint,
  type Subject,
  type SubjectExport,
  type SubjectLookup,
} from '../../privacy';
import type { AdminKit } from '../kit';
import { emptySearch, erasedPage, reviewPage, searchPage, valuesOf, type PrivacyViewDeps, type SearchValues } from './views';

export interface PrivacyConsoleDeps {
  db: Db;
  kit: AdminKit;
  i18n: Translator;
  logger: Logger;
  /** `RETENTION_*` days, shown on the page. */
  retention: { conversationDays: number; rawDays: number };
}

const AUDIT_ENTITY = 'personal_data';

const formSchema = z.object({
  kind: z.string().catch(''),
  channel: z.string().catch(''),
  value: z.string().catch(''),
  requestRef: z.string().trim().catch(''),
  confirm: z.string().catch(''),
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/).catch(''),
});
type Form = z.infer<typeof formSchema>;

/** The lookup's own value (an id, a phone, a licence number). */
const lookupValue = (l: SubjectLookup): string => (l.kind === 'identity' ? l.userId : l.kind === 'phone' ? l.phone : l.number);

/**
 * A request reference the audit log may keep: short, and with no phone number, chat id or the
 * typed value of this person in it (the log must not become a copy of what was erased).
 */
function acceptableRef(ref: string, subject: Subject): boolean {
  if (ref.length > 60) return false;
  if (extractPhones(ref).length > 0) return false;
  const lower = ref.toLowerCase();
  const identifiers = [lookupValue(subject.lookup), ...subject.phones, ...subject.identities.map((i) => i.userId)];
  return !identifiers.some((id) => lower.includes(id.toLowerCase()));
}

export function privacyRouter(deps: PrivacyConsoleDeps): Router {
  const { db, kit, i18n, logger } = deps;
  const views: PrivacyViewDeps = { kit, i18n, retention: deps.retention };
  const router = Router();
  const adminOnly = kit.requireRole('admin');
  const t = (key: string, params?: Record<string, string | number>) => i18n.t(`admin-privacy.${key}`, params);

  const officialId = (req: Request): string | null => req.official?.id ?? null;
  const typed = (f: Form): SearchValues => ({ kind: f.kind || emptySearch.kind, channel: f.channel, value: f.value });

  /** Reads the lookup, or answers 400 with the search form and the problem. */
  function lookupOr400(req: Request, res: Response, f: Form): SubjectLookup | undefined {
    const read = readLookup({ kind: f.kind, channel: f.channel || undefined, value: f.value });
    if ('lookup' in read) return read.lookup;
    res.status(400).type('html').send(searchPage(req, views, typed(f), t(`problems.${read.problem}`)));
    return undefined;
  }

  /** What the lookup leads to now, or 404 with the search form when we hold nothing. */
  async function heldOr404(req: Request, res: Response, lookup: SubjectLookup) {
    const subject = await resolveSubject(db, lookup);
    const data = await exportSubject(db, subject);
    if (!isEmptyExport(data)) return { subject, data };
    res.status(404).type('html').send(searchPage(req, views, valuesOf(lookup), undefined, true));
    return undefined;
  }

  /** The posted form, its lookup and what it leads to; undefined once a 400 or 404 page was sent. */
  async function heldFromForm(req: Request, res: Response) {
    const f = formSchema.parse(req.body ?? {});
    const lookup = lookupOr400(req, res, f);
    const held = lookup && (await heldOr404(req, res, lookup));
    return lookup && held ? { f, lookup, ...held } : undefined;
  }

  const review = (req: Request, res: Response, status: number, data: SubjectExport, fingerprint: string, extra: Partial<Parameters<typeof reviewPage>[2]> = {}) =>
    res.status(status).type('html').send(reviewPage(req, views, { data, fingerprint, ...extra }));

  router.get('/admin/privacy', adminOnly, (req, res) => {
    res.type('html').send(searchPage(req, views, emptySearch));
  });

  router.post('/admin/privacy/search', adminOnly, async (req, res) => {
    const held = await heldFromForm(req, res);
    if (!held) return;
    const { lookup } = held;
    // Looking at a person's data is processing it too: on record, without the data.
    await kit.audit(db, { officialId: officialId(req), action: 'personal_data.lookup', entity: AUDIT_ENTITY, after: { lookup: lookup.kind, counts: countExport(held.data) } });
    review(req, res, 200, held.data, subjectFingerprint(held.subject));
  });

  router.post('/admin/privacy/export', adminOnly, async (req, res) => {
    const held = await heldFromForm(req, res);
    if (!held) return;
    const { f, lookup } = held;
    const fingerprint = subjectFingerprint(held.subject);
    if (!acceptableRef(f.requestRef, held.subject)) return review(req, res, 400, held.data, fingerprint, { flash: { kind: 'error', text: t('problems.requestRef') } });
    await kit.audit(db, {
      officialId: officialId(req),
      action: 'personal_data.export',
      entity: AUDIT_ENTITY,
      after: { lookup: lookup.kind, requestRef: f.requestRef || null, counts: countExport(held.data) },
    });
    logger.info({ officialId: officialId(req), lookup: lookup.kind }, 'personal data exported');
    res.set('Cache-Control', 'no-store');
    res.attachment(`du-lieu-ca-nhan-${vietnamToday()}.json`).type('application/json; charset=utf-8').send(JSON.stringify(held.data, null, 2));
  });

  router.post('/admin/privacy/erase', adminOnly, async (req, res) => {
    const held = await heldFromForm(req, res);
    if (!held) return;
    const { f, lookup } = held;
    const word = t('erase.confirmWord');
    const confirmed = f.confirm.normalize('NFC').trim().toLocaleUpperCase('vi') === word.normalize('NFC');
    const refOk = acceptableRef(f.requestRef, held.subject);
    if (!confirmed || !refOk) {
      const errors = { confirm: confirmed ? undefined : t('problems.confirm', { word }), requestRef: refOk ? undefined : t('problems.requestRef') };
      return review(req, res, 400, held.data, f.fingerprint || subjectFingerprint(held.subject), { errors, requestRef: refOk ? f.requestRef : '' });
    }
    const kept = { licences: 0, bookings: 0 };
    const outcome = await eraseSubject(db, lookup, {
      fingerprint: f.fingerprint,
      onErased: async (tx, counts, subject) => {
        kept.licences = subject.licenceIds.length;
        kept.bookings = subject.bookingIds.length;
        await kit.audit(tx, {
          officialId: officialId(req),
          action: 'personal_data.erase',
          entity: AUDIT_ENTITY,
          after: { lookup: lookup.kind, requestRef: f.requestRef || null, counts, kept },
        });
      },
    });
    if (!outcome.ok) {
      const now = await heldOr404(req, res, lookup);
      if (!now) return;
      return review(req, res, 409, now.data, subjectFingerprint(now.subject), { flash: { kind: 'error', text: t('problems.changed') }, requestRef: f.requestRef });
    }
    logger.info({ officialId: officialId(req), lookup: lookup.kind, counts: outcome.counts }, 'personal data erased');
    res.type('html').send(erasedPage(req, views, outcome.counts, kept));
  });

  return router;
}
