/**
 * Session routes: the page, the checklist save (a form post, or JSON for `checklist.js`), the
 * outcome, the no-show, and the official's reschedule and cancel, which go through the appraisal
 * service (`by: official`) so the business is notified the same way as for any other change.
 * Successful posts redirect (303) to a page that says what happened; refused ones answer 409 with
 * the reason, invalid ones 400 with what was typed kept.
 */
import { Router, type Request, type Response } from 'express';
import type { Slot } from '../../appraisal/contract';
import { html } from '../html';
import { BASE, doneFlash, isUuid, sessionPath, SESSION_ROLES, signedIn, type AppraisalConsoleDeps } from './deps';
import { recordNoShow, recordOutcome, saveChecklist, type ActionRefusal } from './session-actions';
import { readOutcomeForm, readSlotChoice, validateCancelReason, validateOutcome } from './session-forms';
import { sessionPage, type SessionPageModel } from './session-page';
import { reschedulePage } from './reschedule-page';
import { listAppraiserOptions, loadSession, type SessionDetail } from './store';
import { vnDay } from './vn-calendar';

/** How far ahead the reschedule page looks for free slots. */
const RESCHEDULE_DAYS = 14;
const RESCHEDULE_LIMIT = 40;

export function sessionRoutes(deps: AppraisalConsoleDeps): Router {
  const { db, kit, i18n, service, logger } = deps;
  const router = Router();
  const allowed = kit.requireRole(...SESSION_ROLES);
  const now = () => deps.clock?.() ?? new Date();
  const t = (k: string) => i18n.t(`admin-appraisal.${k}`);
  const refusalText = (r: ActionRefusal['reason']) => t(`errors.${r === 'not_found' ? 'notFound' : r === 'too_early' ? 'tooEarly' : r === 'already_recorded' ? 'alreadyRecorded' : 'notOpen'}`);

  function notFound(req: Request, res: Response): void {
    res.status(404).type('html').send(
      kit.page(req, {
        title: t('session.notFoundTitle'),
        active: 'appraisal',
        flash: { kind: 'error', text: t('errors.notFound') },
        body: html`<p><a class="btn" href="${BASE}">${t('session.back')}</a></p>`,
      }),
    );
  }

  async function load(req: Request, res: Response): Promise<SessionDetail | undefined> {
    const id = req.params.id;
    const session = isUuid(id) ? await loadSession(db, id) : undefined;
    if (!session) notFound(req, res);
    return session;
  }

  async function render(req: Request, res: Response, status: number, extra: Partial<SessionPageModel> & { error?: string } = {}) {
    const session = await load(req, res);
    if (!session) return;
    const { error, ...model } = extra;
    res.status(status).type('html').send(
      kit.page(req, {
        title: i18n.t('admin-appraisal.session.title', { business: session.businessName }),
        active: 'appraisal',
        flash: error ? { kind: 'error', text: error } : doneFlash(req, i18n),
        body: sessionPage({ session, csrfField: kit.csrfField(req), ...model }, i18n),
        scripts: ['/admin/assets/appraisal/checklist.js'],
      }),
    );
  }

  async function renderReschedule(req: Request, res: Response, status: number, session: SessionDetail, slots?: Slot[], error?: string) {
    const free = slots ?? (await service.freeSlots({ procedure: session.procedureSlug, from: vnDay(now()), days: RESCHEDULE_DAYS, now: now(), limit: RESCHEDULE_LIMIT }));
    const names = new Map((await listAppraiserOptions(db)).map((a) => [a.id, a.name]));
    res.status(status).type('html').send(
      kit.page(req, {
        title: i18n.t('admin-appraisal.reschedule.title', { business: session.businessName }),
        active: 'appraisal',
        flash: error ? { kind: 'error', text: error } : undefined,
        body: reschedulePage(session, free, names, kit.csrfField(req), i18n, error),
      }),
    );
  }

  router.get(`${BASE}/sessions/:id`, allowed, async (req, res) => {
    await render(req, res, 200);
  });

  router.post(`${BASE}/sessions/:id/checklist`, allowed, async (req, res) => {
    const id = req.params.id as string;
    const raw: unknown = (req.body as Record<string, unknown> | undefined)?.ticked;
    const ticked = new Set((Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string'));
    const result = isUuid(id) ? await saveChecklist(db, kit, id, signedIn(req), ticked) : ({ ok: false, reason: 'not_found' } as const);
    const wantsJson = req.accepts(['html', 'json']) === 'json';
    if (!result.ok) {
      if (wantsJson) res.status(result.reason === 'not_found' ? 404 : 409).json({ error: refusalText(result.reason) });
      else if (result.reason === 'not_found') notFound(req, res);
      else await render(req, res, 409, { error: refusalText(result.reason) });
      return;
    }
    if (wantsJson) {
      const values = Object.values(result.results);
      res.json({ results: result.results, done: values.filter(Boolean).length, total: values.length });
      return;
    }
    res.redirect(303, `${sessionPath(id)}?done=checklistSaved`);
  });

  router.post(`${BASE}/sessions/:id/outcome`, allowed, async (req, res) => {
    const id = req.params.id as string;
    const values = readOutcomeForm(req.body);
    const checked = validateOutcome(values, vnDay(now()), i18n);
    if (!checked.ok) {
      await render(req, res, 400, { outcome: { values, errors: checked.errors }, error: t('errors.formInvalid') });
      return;
    }
    const official = signedIn(req);
    const result = isUuid(id) ? await recordOutcome(db, kit, id, official, checked.input, now()) : ({ ok: false, reason: 'not_found' } as const);
    if (!result.ok) {
      if (result.reason === 'not_found') notFound(req, res);
      else await render(req, res, 409, { error: refusalText(result.reason) });
      return;
    }
    if (!result.duplicate) logger.info({ bookingId: id, officialId: official.id, outcome: checked.input.outcome, licence: result.licenceNumber }, 'appraisal outcome recorded');
    res.redirect(303, `${sessionPath(id)}?done=${checked.input.outcome === 'passed' ? 'passed' : 'outcomeSaved'}`);
  });

  router.post(`${BASE}/sessions/:id/no-show`, allowed, async (req, res) => {
    const id = req.params.id as string;
    const result = isUuid(id) ? await recordNoShow(db, kit, id, signedIn(req), now()) : ({ ok: false, reason: 'not_found' } as const);
    if (result.ok) res.redirect(303, `${sessionPath(id)}?done=noShow`);
    else if (result.reason === 'not_found') notFound(req, res);
    else await render(req, res, 409, { error: refusalText(result.reason) });
  });

  router.get(`${BASE}/sessions/:id/reschedule`, allowed, async (req, res) => {
    const session = await load(req, res);
    if (!session) return;
    if (session.status !== 'booked') return void (await render(req, res, 409, { error: t('errors.notOpen') }));
    await renderReschedule(req, res, 200, session);
  });

  router.post(`${BASE}/sessions/:id/reschedule`, allowed, async (req, res) => {
    const session = await load(req, res);
    if (!session) return;
    const choice = readSlotChoice(req.body);
    if (!choice) return void (await renderReschedule(req, res, 400, session, undefined, t('errors.slotRequired')));
    const official = signedIn(req);
    const result = await service.reschedule(session.id, choice.start, { kind: 'official', officialId: official.id }, now(), choice.appraiserId);
    if (!result.ok) {
      if (result.reason === 'not_changeable' || result.reason === 'unknown_procedure') return void (await render(req, res, 409, { error: t('errors.notOpen') }));
      const error = t(result.reason === 'slot_taken' ? 'errors.slotTaken' : 'errors.slotUnavailable');
      return void (await renderReschedule(req, res, 409, session, result.alternatives, error));
    }
    await kit.audit(db, {
      officialId: official.id,
      action: 'appraisal.reschedule',
      entity: 'appraisal_booking',
      entityId: session.id,
      before: { start: session.startsAt.toISOString(), appraiserId: session.appraiserId },
      after: { bookingId: result.booking.id, start: result.booking.start.toISOString(), appraiserId: result.booking.appraiserId },
    });
    deps.onOutbound?.();
    logger.info({ bookingId: session.id, newBookingId: result.booking.id, officialId: official.id }, 'appraisal rescheduled by an official');
    res.redirect(303, `${sessionPath(result.booking.id)}?done=rescheduled`);
  });

  router.post(`${BASE}/sessions/:id/cancel`, allowed, async (req, res) => {
    const id = req.params.id as string;
    const checked = validateCancelReason(req.body, i18n);
    if (!checked.ok) return void (await render(req, res, 400, { cancel: { reason: checked.reason, error: checked.error }, error: checked.error }));
    const official = signedIn(req);
    const cancelled = isUuid(id) ? await service.cancel(id, checked.reason, { kind: 'official', officialId: official.id }, now()) : undefined;
    if (!cancelled) return void (await render(req, res, 409, { error: t('errors.notOpen') }));
    await kit.audit(db, {
      officialId: official.id,
      action: 'appraisal.cancel',
      entity: 'appraisal_booking',
      entityId: id,
      before: { status: 'booked' },
      after: { status: cancelled.status, reason: checked.reason },
    });
    deps.onOutbound?.();
    logger.info({ bookingId: id, officialId: official.id }, 'appraisal cancelled by an official');
    res.redirect(303, `${sessionPath(id)}?done=cancelled`);
  });

  return router;
}
