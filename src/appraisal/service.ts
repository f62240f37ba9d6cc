/**
 * The appraisal service (contract.ts): free slots, and booking, moving and cancelling sessions.
 * The chat flow, the public API and the console all go through it, on whatever `db` they hold
 * (the pool, or their own transaction).
 */
import path from 'node:path';
import { and, eq, gt, gte, lt } from 'drizzle-orm';
import { PROJECT_ROOT } from '../config';
import { tables, type Db } from '../db';
import { loadTranslator, type Translator } from '../i18n';
import type { AppraisalService, BookingRefusal, BookingResult, ChangedBy, Slot } from './contract';
import { calendarToken } from './calendar-link';
import { normalizeBookingCode } from './codes';
import { isExclusionViolation } from './db-errors';
import { enqueueNotice } from './notices';
import { bookingRequestSchema } from './request';
import { generateSlots, openSlots, sessionsPerDay, slotState, type SlotQuery } from './slots';
import { bookingById, loadCalendar, loadType, loadTypes, selectBookings, type Calendar } from './store';
import { bookSlot, DayFullError, moveBooking, NotChangeableError, cancelBooking } from './writes';
import { dayRange, vietnamDay } from './vn-day';

const { appraisalBookings, appraisers } = tables;

export interface AppraisalServiceOptions {
  /** Key of the `.ics` links' HMAC (see calendar-link.ts); `calendarUrl` needs it. */
  linkSecret?: string;
  /** No slot starts sooner than this after now (default 120: the appraiser needs time to prepare). */
  minNoticeMinutes?: number;
  /** How many other slots a refused booking offers (default 5). */
  alternatives?: number;
  /** Strings of the notices to businesses; default: the project's locales. */
  i18n?: Translator;
  /** ZNS template for businesses reachable only by phone (`ZNS_TEMPLATE_APPRAISAL_REMINDER`). */
  znsReminderTemplate?: string;
}

export const DEFAULT_MIN_NOTICE_MINUTES = 120;
/** How far ahead alternatives are looked for. */
const ALTERNATIVE_DAYS = 14;
const MAX_DAYS = 62;

export function createAppraisalService(db: Db, options: AppraisalServiceOptions = {}): AppraisalService {
  const noticeMs = (options.minNoticeMinutes ?? DEFAULT_MIN_NOTICE_MINUTES) * 60_000;
  const alternativesWanted = options.alternatives ?? 5;
  let i18n = options.i18n;
  const notices = () => ({
    i18n: (i18n ??= loadTranslator(path.join(PROJECT_ROOT, 'locales'))),
    znsReminderTemplate: options.znsReminderTemplate,
  });

  const slotQuery = (type: { sessionMinutes: number; bufferMinutes: number }, cal: Calendar, days: string[], now: Date, ignore?: string): SlotQuery => ({
    days,
    sessionMinutes: type.sessionMinutes,
    bufferMinutes: type.bufferMinutes,
    appraisers: cal.appraisers,
    holidays: cal.holidays,
    busy: ignore ? cal.busy.filter((b) => b.bookingId !== ignore) : cal.busy,
    notBefore: new Date(now.getTime() + noticeMs),
  });

  async function freeSlots(query: { procedure: string; from: string; days: number; now: Date; limit?: number; ignoreBooking?: string }): Promise<Slot[]> {
    const type = await loadType(db, query.procedure);
    if (!type) return [];
    const days = dayRange(query.from, Math.max(1, Math.min(MAX_DAYS, Math.floor(query.days))));
    const cal = await loadCalendar(db, { procedure: query.procedure, days });
    const slots = generateSlots(slotQuery(type, cal, days, query.now, query.ignoreBooking));
    return query.limit === undefined ? slots : slots.slice(0, query.limit);
  }

  /** Other free times near `around`: the next ones after it first, one slot per time. */
  async function alternatives(procedure: string, around: Date, now: Date, ignoreBooking?: string): Promise<Slot[]> {
    const from = vietnamDay(new Date(Math.max(around.getTime(), now.getTime())));
    const slots = await freeSlots({ procedure, from, days: ALTERNATIVE_DAYS, now, ignoreBooking });
    const seen = new Set<number>();
    const distinct = slots.filter((s) => !seen.has(s.start.getTime()) && seen.add(s.start.getTime()));
    const after = distinct.filter((s) => s.start.getTime() > around.getTime());
    const before = distinct.filter((s) => s.start.getTime() < around.getTime()).reverse();
    return [...after, ...before].slice(0, alternativesWanted).sort((a, b) => a.start.getTime() - b.start.getTime());
  }

  /** The candidate slots at exactly `start`, and whether the time exists at all / is held by someone. */
  async function candidatesAt(procedure: string, type: { sessionMinutes: number; bufferMinutes: number }, start: Date, now: Date, appraiserId?: string, ignore?: string) {
    const day = vietnamDay(start);
    const cal = await loadCalendar(db, { procedure, days: [day], appraiserId });
    const q = slotQuery(type, cal, [day], now, ignore);
    const open = openSlots(q).filter((s) => s.start.getTime() === start.getTime());
    const counts = sessionsPerDay(q.busy);
    const states = open.map((slot) => ({ slot, state: slotState(slot, q, counts) }));
    const load = (s: Slot) => counts.get(`${s.appraiserId}|${day}`) ?? 0;
    const free = states.filter((s) => s.state === 'free').map((s) => s.slot).sort((a, b) => load(a) - load(b));
    const capacity = new Map(cal.appraisers.map((a) => [a.id, a.dailyCapacity]));
    return { exists: open.length > 0, held: states.some((s) => s.state === 'overlap'), free, capacity };
  }

  async function refusal(reason: 'slot_taken' | 'not_available', procedure: string, around: Date, now: Date, ignore?: string): Promise<BookingRefusal> {
    return { ok: false, reason, alternatives: await alternatives(procedure, around, now, ignore) };
  }

  const service: AppraisalService = {
    types: () => loadTypes(db),
    type: (slug) => loadType(db, slug),
    freeSlots: (query) => freeSlots(query),

    async book(request, now): Promise<BookingResult> {
      const req = bookingRequestSchema.parse(request);
      const type = await loadType(db, req.procedure);
      if (!type) return { ok: false, reason: 'unknown_procedure', alternatives: [] };
      const at = await candidatesAt(req.procedure, type, req.start, now, req.appraiserId);
      if (!at.exists) return refusal('not_available', req.procedure, req.start, now);
      let held = at.held;
      for (const slot of at.free) {
        try {
          const row = await bookSlot(db, type, slot, at.capacity.get(slot.appraiserId) ?? 0, {
            procedureSlug: req.procedure,
            businessName: req.businessName,
            address: req.address,
            phone: req.phone,
            channel: req.channel ?? null,
            channelUserId: req.channelUserId ?? null,
            source: req.source,
          }, now);
          const booking = await bookingById(db, row.id);
          if (!booking) throw new Error(`booking ${row.id} vanished after insert`);
          return { ok: true, booking };
        } catch (err) {
          // Free when we looked: an overlap or a full day now means someone booked in between.
          if (isExclusionViolation(err) || err instanceof DayFullError) held = true;
          else throw err;
        }
      }
      return refusal(held ? 'slot_taken' : 'not_available', req.procedure, req.start, now);
    },

    async reschedule(bookingId, start, by: ChangedBy, now, appraiserId): Promise<BookingResult> {
      const current = await bookingById(db, bookingId);
      if (!current || current.status !== 'booked' || current.start.getTime() <= now.getTime()) {
        return { ok: false, reason: 'not_changeable', alternatives: [] };
      }
      const type = await loadType(db, current.procedureSlug);
      if (!type) return { ok: false, reason: 'unknown_procedure', alternatives: [] };
      const at = await candidatesAt(current.procedureSlug, type, start, now, appraiserId, current.id);
      if (!at.exists) return refusal('not_available', current.procedureSlug, start, now, current.id);
      // The same appraiser when free: the business already knows who will call.
      const ordered = [...at.free.filter((s) => s.appraiserId === current.appraiserId), ...at.free.filter((s) => s.appraiserId !== current.appraiserId)];
      let held = at.held;
      for (const slot of ordered) {
        try {
          const row = await moveBooking(db, current.id, type, slot, at.capacity.get(slot.appraiserId) ?? 0, now, async (tx, _old, fresh) => {
            if (by.kind !== 'official') return;
            const moved = await bookingById(tx, fresh.id);
            if (moved) await enqueueNotice(tx, moved, { kind: 'rescheduled', previous: current }, notices(), now);
          });
          const booking = await bookingById(db, row.id);
          if (!booking) throw new Error(`booking ${row.id} vanished after insert`);
          return { ok: true, booking };
        } catch (err) {
          if (err instanceof NotChangeableError) return { ok: false, reason: 'not_changeable', alternatives: [] };
          // Free when we looked: an overlap or a full day now means someone booked in between.
          if (isExclusionViolation(err) || err instanceof DayFullError) held = true;
          else throw err;
        }
      }
      return refusal(held ? 'slot_taken' : 'not_available', current.procedureSlug, start, now, current.id);
    },

    async cancel(bookingId, reason, by, now) {
      if (!(await bookingById(db, bookingId))) return undefined;
      const row = await cancelBooking(db, bookingId, reason, now, async (tx, cancelled) => {
        if (by.kind !== 'official') return;
        const booking = await bookingById(tx, cancelled.id);
        if (booking) await enqueueNotice(tx, booking, { kind: 'cancelled', reason }, notices(), now);
      });
      return row ? bookingById(db, row.id) : undefined;
    },

    get: (bookingId) => bookingById(db, bookingId),

    async findByCode(typed) {
      const code = normalizeBookingCode(typed);
      if (!code) return undefined;
      let [row] = await db.select().from(appraisalBookings).where(eq(appraisalBookings.code, code));
      // A rescheduled booking got a new code; the old one still finds where it went.
      for (let hops = 0; row?.replacedBy && hops < 50; hops++) {
        [row] = await db.select().from(appraisalBookings).where(eq(appraisalBookings.id, row.replacedBy));
      }
      return row ? bookingById(db, row.id) : undefined;
    },

    upcomingFor: (channel, channelUserId, now) =>
      selectBookings(
        db,
        and(
          eq(appraisalBookings.channel, channel),
          eq(appraisalBookings.channelUserId, channelUserId),
          eq(appraisalBookings.status, 'booked'),
          gt(appraisalBookings.endsAt, now),
        ),
      ),

    calendarUrl(booking, appBaseUrl) {
      if (!options.linkSecret) throw new Error('calendar links need AppraisalServiceOptions.linkSecret');
      return `${appBaseUrl.replace(/\/+$/, '')}/appraisal/bookings/${booking.id}/${calendarToken(options.linkSecret, booking.id)}.ics`;
    },

    bookingsBetween: (from, to, appraiserId) =>
      selectBookings(
        db,
        and(gte(appraisalBookings.startsAt, from), lt(appraisalBookings.startsAt, to), appraiserId ? eq(appraisalBookings.appraiserId, appraiserId) : undefined),
      ),

    async appraisers() {
      const rows = await db.select().from(appraisers).orderBy(appraisers.name);
      return rows.map((r) => ({ id: r.id, name: r.name, officialId: r.officialId, procedures: (r.procedures as unknown[]).map(String), active: r.active }));
    },
  };
  return service;
}
