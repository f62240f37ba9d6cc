/**
 * The public appraisal API (DESIGN.md §4.2) — the province portal books through it, with the same
 * service the chat uses — and the public `.ics` calendar files behind unguessable links.
 *
 * - `GET /api/appraisal/slots?procedure=&from=YYYY-MM-DD&days=n` -> `{slots: [{start, end, appraiserId}]}`
 * - `POST /api/appraisal/bookings` -> 201 `{id, code, start, end, appraiserId, status, calendarUrl}`,
 *   409 `{error, message, alternatives}` when the time was just taken (or is not bookable),
 *   400 `{error, issues}` for invalid input (zod issues, through the app's error handler).
 * - `GET /appraisal/bookings/<id>/<hmac>.ics` -> `text/calendar`.
 */
import { Router, type Request, type Response } from 'express';
import type { Db } from '../db';
import type { Translator } from '../i18n';
import type { AppraisalService, Slot } from './contract';
import { isValidCalendarToken } from './calendar-link';
import { formatSessionTime, procedureName } from './format';
import { bookingUid, renderIcs } from './ics';
import { perAddressLimit } from '../http/rate-limit';
import { apiBookingSchema, slotsQuerySchema } from './request';

export interface AppraisalRouterDeps {
  db: Db;
  service: AppraisalService;
  i18n: Translator;
  /** Key of the `.ics` links. */
  linkSecret: string;
  appBaseUrl: string;
  /** Requests per minute per client address on `/api/appraisal/*`. */
  ratePerMinute: number;
  clock?: () => Date;
}

const slotJson = (s: Slot) => ({ start: s.start.toISOString(), end: s.end.toISOString(), appraiserId: s.appraiserId });

export function appraisalRouter(deps: AppraisalRouterDeps): Router {
  const router = Router();
  const now = () => deps.clock?.() ?? new Date();
  const unknownProcedure = (res: Response) =>
    res.status(400).json({ error: 'invalid request', issues: [{ path: 'procedure', message: deps.i18n.t('appraisal.api.unknownProcedure') }] });

  router.use(
    '/api/appraisal',
    perAddressLimit(deps.ratePerMinute, (_req, res) => {
      res.status(429).json({ error: 'rate_limited', message: deps.i18n.t('appraisal.api.rateLimited') });
    }),
  );

  router.get('/api/appraisal/slots', async (req, res) => {
    const query = slotsQuerySchema.parse(req.query);
    if (!(await deps.service.type(query.procedure))) return void unknownProcedure(res);
    const slots = await deps.service.freeSlots({ ...query, now: now() });
    res.json({ slots: slots.map(slotJson) });
  });

  router.post('/api/appraisal/bookings', async (req, res) => {
    const body = apiBookingSchema.parse(req.body ?? {});
    const result = await deps.service.book({ ...body, source: 'api' }, now());
    if (result.ok) {
      const b = result.booking;
      res.status(201).json({
        id: b.id,
        code: b.code,
        start: b.start.toISOString(),
        end: b.end.toISOString(),
        appraiserId: b.appraiserId,
        status: b.status,
        calendarUrl: deps.service.calendarUrl(b, deps.appBaseUrl),
      });
      return;
    }
    if (result.reason === 'unknown_procedure') return void unknownProcedure(res);
    const message = deps.i18n.t(result.reason === 'slot_taken' ? 'appraisal.api.slotTaken' : 'appraisal.api.notAvailable');
    res.status(409).json({ error: result.reason, message, alternatives: result.alternatives.map(slotJson) });
  });

  router.get('/appraisal/bookings/:id/:file', async (req: Request<{ id: string; file: string }>, res) => {
    const token = /^([A-Za-z0-9_-]+)\.ics$/.exec(req.params.file)?.[1];
    const booking = token && isValidCalendarToken(deps.linkSecret, req.params.id, token) ? await deps.service.get(req.params.id) : undefined;
    if (!booking) {
      res.status(404).json({ error: 'no such calendar file' });
      return;
    }
    const { i18n } = deps;
    const params = {
      procedure: await procedureName(deps.db, booking.procedureSlug),
      business: booking.businessName,
      code: booking.code,
      appraiser: booking.appraiserName,
      phone: booking.phone,
    };
    const type = await deps.service.type(booking.procedureSlug);
    // A moved booking's old row is withdrawn too: the new row has its own file (and its own link).
    const cancelled = booking.status === 'cancelled' || booking.status === 'rescheduled';
    const description = `${i18n.t('appraisal.ics.description', params)} (${formatSessionTime(booking.start, i18n)})`;
    const ics = renderIcs({
      uid: bookingUid(booking, new URL(deps.appBaseUrl).host),
      stamp: now(),
      start: booking.start,
      end: booking.end,
      summary: i18n.t('appraisal.ics.summary', params),
      description: cancelled ? `${i18n.t('appraisal.ics.cancelledNote')} ${description}` : description,
      location: type?.videoChannel === 'meeting_link' && type.meetingUrl ? type.meetingUrl : i18n.t('appraisal.ics.location'),
      cancelled,
      sequence: cancelled ? 1 : 0,
    });
    res
      .status(200)
      .set({
        'Content-Type': 'text/calendar; charset=utf-8',
        'Content-Disposition': `attachment; filename="tham-dinh-${booking.code.replace('TĐ-', 'TD-')}.ics"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      })
      .send(ics);
  });
  return router;
}
