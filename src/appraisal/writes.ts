/**
 * The writes that hold an appraiser's time. The exclusion constraint decides who gets a contested
 * slot: the insert simply happens, and the loser's statement fails with 23P01 (no check-then-insert
 * for overlaps). Daily capacity is not something a constraint can express, so sessions of one
 * appraiser-day are serialised with a transaction-scoped advisory lock and counted under it.
 *
 * Every write runs in `db.transaction`, which is a savepoint when `db` is already a transaction
 * (a conversation turn): a refused insert rolls back only itself, never the caller's work.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { tables, type Db } from '../db';
import type { AppraisalType, Slot } from './contract';
import { newBookingCode } from './codes';
import { isUniqueViolation } from './db-errors';
import { HOLDING_STATUSES } from './store';
import { vietnamDay, vietnamInstant, shiftDay } from './vn-day';

const { appraisalBookings } = tables;
const CODE_ATTEMPTS = 5;

/** The appraiser's day already has `dailyCapacity` sessions (found under the day's lock). */
export class DayFullError extends Error {
  constructor() {
    super('the appraiser has no capacity left that day');
  }
}

/** The booking to move is not live any more (found under its row lock). */
export class NotChangeableError extends Error {
  constructor() {
    super('the booking is not live');
  }
}

export interface BookingDetails {
  procedureSlug: string;
  businessName: string;
  address: string;
  phone: string;
  channel: string | null;
  channelUserId: string | null;
  source: 'chat' | 'api' | 'console';
}

type BookingRow = typeof appraisalBookings.$inferSelect;

/** Serialises the sessions of one appraiser on one Vietnam day until the transaction ends. */
async function lockAppraiserDay(tx: Db, appraiserId: string, day: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`appraisal-day:${appraiserId}:${day}`}))`);
}

async function sessionsThatDay(tx: Db, appraiserId: string, day: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(appraisalBookings)
    .where(
      and(
        eq(appraisalBookings.appraiserId, appraiserId),
        inArray(appraisalBookings.status, [...HOLDING_STATUSES]),
        sql`${appraisalBookings.startsAt} >= ${vietnamInstant(day, '00:00').toISOString()}::timestamptz`,
        sql`${appraisalBookings.startsAt} < ${vietnamInstant(shiftDay(day, 1), '00:00').toISOString()}::timestamptz`,
      ),
    );
  return row?.n ?? 0;
}

/** Inserts the session; a code drawn twice is drawn again. Throws the database's refusal otherwise. */
async function insertSession(tx: Db, type: AppraisalType, slot: Slot, details: BookingDetails, rescheduledFrom: string | null, now: Date): Promise<BookingRow> {
  for (let attempt = 1; ; attempt++) {
    try {
      // Its own savepoint, so a code collision does not abort the surrounding transaction.
      return await tx.transaction(async (sp) => {
        const [row] = await sp
          .insert(appraisalBookings)
          .values({
            ...details,
            code: newBookingCode(),
            appraiserId: slot.appraiserId,
            startsAt: slot.start,
            endsAt: slot.end,
            blockedUntil: new Date(slot.end.getTime() + type.bufferMinutes * 60_000),
            rescheduledFrom,
            // The caller's clock (a test's, a replayed turn's): reminders compare it with the session time.
            createdAt: now,
            updatedAt: now,
          })
          .returning();
        if (!row) throw new Error('insert returned no row');
        return row;
      });
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= CODE_ATTEMPTS) throw err;
    }
  }
}

/** Holds `slot` under the day's capacity, inside the caller's transaction `tx`. */
async function holdSlot(tx: Db, type: AppraisalType, slot: Slot, capacity: number, details: BookingDetails, rescheduledFrom: string | null, now: Date) {
  const day = vietnamDay(slot.start);
  await lockAppraiserDay(tx, slot.appraiserId, day);
  if ((await sessionsThatDay(tx, slot.appraiserId, day)) >= capacity) throw new DayFullError();
  return insertSession(tx, type, slot, details, rescheduledFrom, now);
}

/**
 * Books `slot` in one transaction. Throws the exclusion violation when someone holds the time,
 * `DayFullError` when the day is full; then nothing was written.
 */
export async function bookSlot(db: Db, type: AppraisalType, slot: Slot, capacity: number, details: BookingDetails, now: Date): Promise<BookingRow> {
  return db.transaction(async (tx) => holdSlot(tx, type, slot, capacity, details, null, now));
}

/**
 * Moves live booking `oldId` to `slot` in one transaction: the old row becomes `rescheduled` with
 * `replaced_by`, the new one is booked with `rescheduled_from`, and `afterwards` (notices) runs in
 * the same transaction. Any refusal rolls everything back: the old booking stays as it was.
 */
export async function moveBooking(
  db: Db,
  oldId: string,
  type: AppraisalType,
  slot: Slot,
  capacity: number,
  now: Date,
  afterwards: (tx: Db, oldRow: BookingRow, newRow: BookingRow) => Promise<void>,
): Promise<BookingRow> {
  return db.transaction(async (tx) => {
    const [old] = await tx.select().from(appraisalBookings).where(eq(appraisalBookings.id, oldId)).for('update');
    if (!old || old.status !== 'booked') throw new NotChangeableError();
    // Free the old time first, so moving a session by a few minutes does not collide with itself.
    await tx.update(appraisalBookings).set({ status: 'rescheduled', updatedAt: now }).where(eq(appraisalBookings.id, oldId));
    const details: BookingDetails = {
      procedureSlug: old.procedureSlug,
      businessName: old.businessName,
      address: old.address,
      phone: old.phone,
      channel: old.channel,
      channelUserId: old.channelUserId,
      source: old.source,
    };
    const row = await holdSlot(tx, type, slot, capacity, details, old.id, now);
    await tx.update(appraisalBookings).set({ replacedBy: row.id }).where(eq(appraisalBookings.id, oldId));
    await afterwards(tx, old, row);
    return row;
  });
}

/** Cancels a live booking in one transaction with `afterwards`; undefined when it was not live. */
export async function cancelBooking(
  db: Db,
  id: string,
  reason: string,
  now: Date,
  afterwards: (tx: Db, row: BookingRow) => Promise<void>,
): Promise<BookingRow | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(appraisalBookings)
      .set({ status: 'cancelled', cancelledAt: now, cancelReason: reason, updatedAt: now })
      .where(and(eq(appraisalBookings.id, id), eq(appraisalBookings.status, 'booked')))
      .returning();
    if (row) await afterwards(tx, row);
    return row;
  });
}
