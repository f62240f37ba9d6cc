/**
 * A licence born from a passed remote appraisal: the register gets a record with a readable number
 * (`<seq>/<year>/GCN-BVTV`), its issue and expiry dates, and the chat identity that booked the
 * appraisal is linked to it, so the holder receives the expiry reminders without having to prove
 * ownership again (the appraiser has just seen the business on a video call).
 */
import { and, eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../db';

const { licences, licenceLinks, appraisalBookings } = tables;

export interface IssueFromAppraisal {
  bookingId: string;
  procedureSlug: string;
  holderName: string;
  /** 0… form. */
  phone: string | null;
  address: string | null;
  /** Vietnam calendar day of issue, `YYYY-MM-DD`. */
  issuedOn: string;
  /** The appraisal type's `licenceValidityDays`: expiry = issue day + this many days. */
  validityDays: number;
}

export interface IssuedLicence {
  id: string;
  number: string;
  issuedOn: string;
  expiresOn: string;
  /** False when the booking already had its licence (a repeated call returns that one). */
  created: boolean;
}

/** The printed suffix of each licence type; other procedures get `GCN-<SLUG>`. */
const NUMBER_SUFFIX: Record<string, string> = {
  'buon-ban-thuoc-bvtv': 'GCN-BVTV',
  attp: 'GCN-ATTP',
};

export function licenceNumberSuffix(procedureSlug: string): string {
  return NUMBER_SUFFIX[procedureSlug] ?? `GCN-${procedureSlug.toUpperCase()}`;
}

const DAY_MS = 86_400_000;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `day` + `days` calendar days (`YYYY-MM-DD`; plain UTC arithmetic on a date is exact). */
export function addCalendarDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Channels that can reach the holder later (the web chat cannot push a reminder to a closed page). */
const REMINDABLE_CHANNELS = new Set(['zalo', 'messenger']);

/**
 * Inserts the licence for a passed appraisal and links the booking's chat identity. Call it inside
 * the transaction that records the outcome (pass the transaction as `db`). Idempotent per booking:
 * when a licence with this `booking_id` exists it is returned unchanged, so a repeated "passed"
 * never issues a second licence.
 *
 * Numbers run per type and year; a transaction-scoped advisory lock on the series makes two
 * appraisals passing at once take consecutive numbers instead of colliding on the unique index.
 * The next number follows the highest of the series already in the register, imported ones included.
 */
export async function issueLicenceFromAppraisal(db: Db, input: IssueFromAppraisal): Promise<IssuedLicence> {
  if (!ISO_DAY.test(input.issuedOn)) throw new Error(`issuedOn must be YYYY-MM-DD, got ${input.issuedOn}`);
  if (!Number.isInteger(input.validityDays) || input.validityDays <= 0) throw new Error('validityDays must be a positive integer');

  const [existing] = await db
    .select({ id: licences.id, number: licences.number, issuedOn: licences.issuedOn, expiresOn: licences.expiresOn })
    .from(licences)
    .where(and(eq(licences.bookingId, input.bookingId), eq(licences.source, 'appraisal')))
    .limit(1);
  if (existing) return { ...existing, issuedOn: existing.issuedOn ?? input.issuedOn, created: false };

  const suffix = licenceNumberSuffix(input.procedureSlug);
  const year = input.issuedOn.slice(0, 4);
  const series = `${year}/${suffix}`;
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`licence-number:${series}`}))`);
  // Suffixes are upper-case letters, digits and hyphens: nothing a regular expression reads specially.
  const pattern = `^[0-9]{1,9}/${year}/${suffix}$`;
  const [top] = await db
    .select({ max: sql<number | null>`max(split_part(${licences.number}, '/', 1)::int)` })
    .from(licences)
    .where(sql`${licences.number} ~ ${pattern}`);
  const number = `${Number(top?.max ?? 0) + 1}/${series}`;
  const expiresOn = addCalendarDays(input.issuedOn, input.validityDays);

  const [row] = await db
    .insert(licences)
    .values({
      number,
      procedureSlug: input.procedureSlug,
      holderName: input.holderName,
      phone: input.phone,
      address: input.address,
      issuedOn: input.issuedOn,
      expiresOn,
      source: 'appraisal',
      bookingId: input.bookingId,
    })
    .returning({ id: licences.id });
  if (!row) throw new Error('licence not stored');

  const [booking] = await db
    .select({ channel: appraisalBookings.channel, channelUserId: appraisalBookings.channelUserId })
    .from(appraisalBookings)
    .where(eq(appraisalBookings.id, input.bookingId));
  if (booking?.channel && booking.channelUserId && REMINDABLE_CHANNELS.has(booking.channel)) {
    await db
      .insert(licenceLinks)
      .values({ licenceId: row.id, channel: booking.channel, channelUserId: booking.channelUserId, verifiedBy: 'appraisal' })
      .onConflictDoNothing();
  }
  return { id: row.id, number, issuedOn: input.issuedOn, expiresOn, created: true };
}
