/**
 * Reads and writes of the availability tables (appraisers, days off), each write with its audit
 * entry in the same transaction. Slots are computed by the appraisal service from these rows, so a
 * change here shows in the chat and the portal at once.
 */
import { and, asc, count, eq, gte, isNull, lt } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import type { AdminKit } from '../kit';
import type { AppraiserRecord } from './availability-form';
import { addDays, vnMidnight } from './vn-calendar';

const { appraisers, appraisalDaysOff: daysOff, appraisalTypes, appraisalBookings: bookings, officials, procedures } = tables;

export interface AppraiserFull {
  id: string;
  name: string;
  phone: string | null;
  officialId: string | null;
  officialName: string | null;
  procedures: unknown;
  workingHours: unknown;
  dailyCapacity: number;
  active: boolean;
}

export async function listAppraisers(db: Db): Promise<AppraiserFull[]> {
  return db
    .select({
      id: appraisers.id,
      name: appraisers.name,
      phone: appraisers.phone,
      officialId: appraisers.officialId,
      officialName: officials.name,
      procedures: appraisers.procedures,
      workingHours: appraisers.workingHours,
      dailyCapacity: appraisers.dailyCapacity,
      active: appraisers.active,
    })
    .from(appraisers)
    .leftJoin(officials, eq(officials.id, appraisers.officialId))
    .orderBy(asc(appraisers.name));
}

export async function getAppraiser(db: Db, id: string): Promise<AppraiserFull | undefined> {
  return (await listAppraisers(db)).find((a) => a.id === id);
}

/** Procedures that can be appraised remotely, with their knowledge-base names. */
export async function appraisalProcedures(db: Db): Promise<{ slug: string; name: string }[]> {
  const rows = await db
    .select({ slug: appraisalTypes.procedureSlug, name: procedures.name })
    .from(appraisalTypes)
    .leftJoin(procedures, eq(procedures.slug, appraisalTypes.procedureSlug))
    .orderBy(asc(appraisalTypes.procedureSlug));
  return rows.map((r) => ({ slug: r.slug, name: r.name ?? r.slug }));
}

/** Active console accounts with the appraiser role: who an appraiser row may be linked to. */
export async function appraiserAccounts(db: Db): Promise<{ id: string; name: string; email: string }[]> {
  return db
    .select({ id: officials.id, name: officials.name, email: officials.email })
    .from(officials)
    .where(and(eq(officials.role, 'appraiser'), eq(officials.active, true)))
    .orderBy(asc(officials.name));
}

/** Creates (id undefined) or updates an appraiser; returns its id, or undefined when it does not exist. */
export async function saveAppraiser(db: Db, kit: AdminKit, officialId: string, id: string | undefined, record: AppraiserRecord): Promise<string | undefined> {
  return db.transaction(async (tx) => {
    if (!id) {
      const [row] = await tx.insert(appraisers).values(record).returning({ id: appraisers.id });
      if (!row) throw new Error('appraiser not stored');
      await kit.audit(tx, { officialId, action: 'appraiser.create', entity: 'appraiser', entityId: row.id, after: record });
      return row.id;
    }
    const [before] = await tx.select().from(appraisers).where(eq(appraisers.id, id)).for('update');
    if (!before) return undefined;
    await tx.update(appraisers).set(record).where(eq(appraisers.id, id));
    await kit.audit(tx, { officialId, action: 'appraiser.update', entity: 'appraiser', entityId: id, before, after: record });
    return id;
  });
}

export interface DayOffRow {
  id: string;
  day: string;
  reason: string;
  appraiserId: string | null;
  appraiserName: string | null;
}

/** Days off from `fromDay` on, earliest first (public holidays and each appraiser's). */
export async function listDaysOff(db: Db, fromDay: string): Promise<DayOffRow[]> {
  return db
    .select({ id: daysOff.id, day: daysOff.day, reason: daysOff.reason, appraiserId: daysOff.appraiserId, appraiserName: appraisers.name })
    .from(daysOff)
    .leftJoin(appraisers, eq(appraisers.id, daysOff.appraiserId))
    .where(gte(daysOff.day, fromDay))
    .orderBy(asc(daysOff.day), asc(appraisers.name));
}

/**
 * Adds a day off unless the same one exists; returns whether it was added and how many live
 * sessions already fall on it (the official must move them: a day off does not cancel bookings).
 */
export async function addDayOff(
  db: Db,
  kit: AdminKit,
  officialId: string,
  dayOff: { day: string; appraiserId: string | null; reason: string },
): Promise<{ added: boolean; clashes: number }> {
  return db.transaction(async (tx) => {
    const sameAppraiser = dayOff.appraiserId ? eq(daysOff.appraiserId, dayOff.appraiserId) : isNull(daysOff.appraiserId);
    const [dupe] = await tx.select({ id: daysOff.id }).from(daysOff).where(and(eq(daysOff.day, dayOff.day), sameAppraiser));
    if (dupe) return { added: false, clashes: 0 };
    const [row] = await tx.insert(daysOff).values(dayOff).returning({ id: daysOff.id });
    await kit.audit(tx, { officialId, action: 'appraisal_day_off.create', entity: 'appraisal_day_off', entityId: row?.id, after: dayOff });
    const [clash] = await tx
      .select({ n: count() })
      .from(bookings)
      .where(
        and(
          eq(bookings.status, 'booked'),
          gte(bookings.startsAt, vnMidnight(dayOff.day)),
          lt(bookings.startsAt, vnMidnight(addDays(dayOff.day, 1))),
          dayOff.appraiserId ? eq(bookings.appraiserId, dayOff.appraiserId) : undefined,
        ),
      );
    return { added: true, clashes: clash?.n ?? 0 };
  });
}

export async function removeDayOff(db: Db, kit: AdminKit, officialId: string, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [gone] = await tx.delete(daysOff).where(eq(daysOff.id, id)).returning();
    if (!gone) return false;
    await kit.audit(tx, { officialId, action: 'appraisal_day_off.delete', entity: 'appraisal_day_off', entityId: id, before: gone });
    return true;
  });
}
