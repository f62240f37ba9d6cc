/**
 * Reading the appraisal tables into the contract's shapes, and the calendar (appraisers, days off,
 * existing sessions) that slot generation works on. `db` may be a transaction.
 */
import { and, asc, eq, gt, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import { tables, type Db } from '../db';
import type { Channel } from '../conversation/types';
import type { AppraisalType, Booking } from './contract';
import { checklistSchema, workingHoursSchema } from './model';
import type { BusyRange, SlotAppraiser } from './slots';
import { shiftDay, vietnamInstant } from './vn-day';

const { appraisalTypes, appraisers, appraisalDaysOff, appraisalBookings } = tables;

/** Statuses of sessions that hold (or held) an appraiser's time and count towards the day's capacity. */
export const HOLDING_STATUSES = ['booked', 'completed', 'no_show'] as const;

type TypeRow = typeof appraisalTypes.$inferSelect;
type BookingRow = typeof appraisalBookings.$inferSelect;

function toType(row: TypeRow): AppraisalType {
  return {
    procedureSlug: row.procedureSlug,
    sessionMinutes: row.sessionMinutes,
    bufferMinutes: row.bufferMinutes,
    videoChannel: row.videoChannel,
    meetingUrl: row.meetingUrl,
    checklist: checklistSchema.parse(row.checklist),
    preparation: (row.preparation as unknown[]).map(String),
    licenceValidityDays: row.licenceValidityDays,
  };
}

export async function loadTypes(db: Db): Promise<AppraisalType[]> {
  const rows = await db.select().from(appraisalTypes).where(eq(appraisalTypes.active, true)).orderBy(asc(appraisalTypes.procedureSlug));
  return rows.map(toType);
}

export async function loadType(db: Db, procedureSlug: string): Promise<AppraisalType | undefined> {
  const [row] = await db
    .select()
    .from(appraisalTypes)
    .where(and(eq(appraisalTypes.procedureSlug, procedureSlug), eq(appraisalTypes.active, true)));
  return row ? toType(row) : undefined;
}

export function toBooking(row: BookingRow, appraiserName: string): Booking {
  return {
    id: row.id,
    code: row.code,
    procedureSlug: row.procedureSlug,
    appraiserId: row.appraiserId,
    appraiserName,
    start: row.startsAt,
    end: row.endsAt,
    status: row.status,
    businessName: row.businessName,
    address: row.address,
    phone: row.phone,
    channel: (row.channel as Channel | null) ?? null,
    channelUserId: row.channelUserId,
    source: row.source,
    rescheduledFrom: row.rescheduledFrom,
    outcome: row.outcome,
  };
}

/** Bookings matching `where`, with their appraiser's name, in `orderBy` order. */
export async function selectBookings(db: Db, where: SQL | undefined, limit?: number): Promise<Booking[]> {
  const query = db
    .select({ row: appraisalBookings, appraiserName: appraisers.name })
    .from(appraisalBookings)
    .innerJoin(appraisers, eq(appraisers.id, appraisalBookings.appraiserId))
    .where(where)
    .orderBy(asc(appraisalBookings.startsAt), asc(appraisalBookings.createdAt));
  const rows = limit === undefined ? await query : await query.limit(limit);
  return rows.map((r) => toBooking(r.row, r.appraiserName));
}

export async function bookingById(db: Db, id: string): Promise<Booking | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const [booking] = await selectBookings(db, eq(appraisalBookings.id, id));
  return booking;
}

/** What slot generation needs for `days` (consecutive Vietnam days) and `procedure`. */
export interface Calendar {
  appraisers: SlotAppraiser[];
  holidays: Set<string>;
  busy: (BusyRange & { bookingId: string })[];
}

export async function loadCalendar(
  db: Db,
  query: { procedure: string; days: readonly string[]; appraiserId?: string },
): Promise<Calendar> {
  const first = query.days[0];
  const last = query.days[query.days.length - 1];
  if (!first || !last) return { appraisers: [], holidays: new Set(), busy: [] };
  const rows = await db
    .select()
    .from(appraisers)
    .where(
      and(
        eq(appraisers.active, true),
        sql`${appraisers.procedures} @> ${JSON.stringify([query.procedure])}::jsonb`,
        query.appraiserId ? eq(appraisers.id, query.appraiserId) : undefined,
      ),
    )
    .orderBy(asc(appraisers.name));
  if (rows.length === 0) return { appraisers: [], holidays: new Set(), busy: [] };
  const ids = rows.map((r) => r.id);
  const offRows = await db
    .select()
    .from(appraisalDaysOff)
    .where(
      and(
        sql`${appraisalDaysOff.day} between ${first} and ${last}`,
        or(isNull(appraisalDaysOff.appraiserId), inArray(appraisalDaysOff.appraiserId, ids)),
      ),
    );
  const busyRows = await db
    .select({ id: appraisalBookings.id, appraiserId: appraisalBookings.appraiserId, start: appraisalBookings.startsAt, blockedUntil: appraisalBookings.blockedUntil })
    .from(appraisalBookings)
    .where(
      and(
        inArray(appraisalBookings.appraiserId, ids),
        inArray(appraisalBookings.status, [...HOLDING_STATUSES]),
        lt(appraisalBookings.startsAt, vietnamInstant(shiftDay(last, 1), '00:00')),
        gt(appraisalBookings.blockedUntil, vietnamInstant(first, '00:00')),
      ),
    );
  return {
    appraisers: rows.map((r) => ({
      id: r.id,
      workingHours: workingHoursSchema.parse(r.workingHours),
      dailyCapacity: r.dailyCapacity,
      daysOff: new Set(offRows.filter((o) => o.appraiserId === r.id).map((o) => o.day)),
    })),
    holidays: new Set(offRows.filter((o) => o.appraiserId === null).map((o) => o.day)),
    busy: busyRows.map((b) => ({ bookingId: b.id, appraiserId: b.appraiserId, start: b.start, blockedUntil: b.blockedUntil })),
  };
}
