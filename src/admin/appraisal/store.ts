/**
 * The console's reads of the appraisal tables: the calendar's sessions in a time range, one session
 * with everything its page shows, and the appraisers. Changes to bookings that the business must
 * hear about (reschedule, cancel) go through the appraisal service; these reads only show rows.
 */
import { and, asc, eq, gte, inArray, lt, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { tables, type Db } from '../../db';
import type { BookingStatus, ChecklistItem } from '../../appraisal/contract';

const { appraisalBookings: bookings, appraisers, appraisalTypes, licences, officials, procedures } = tables;

export interface SessionRow {
  id: string;
  code: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  businessName: string;
  procedureSlug: string;
  procedureName: string;
  appraiserId: string;
  appraiserName: string;
  outcome: 'passed' | 'needs_fixes' | 'failed' | null;
}

const sessionColumns = {
  id: bookings.id,
  code: bookings.code,
  startsAt: bookings.startsAt,
  endsAt: bookings.endsAt,
  status: bookings.status,
  businessName: bookings.businessName,
  procedureSlug: bookings.procedureSlug,
  procedureName: procedures.name,
  appraiserId: bookings.appraiserId,
  appraiserName: appraisers.name,
  outcome: bookings.outcome,
};

/**
 * Sessions starting in [from, to), earliest first, for one appraiser or all. Rows closed by a
 * reschedule are history (their replacement is shown), so they are left out.
 */
export async function listSessions(db: Db, range: { from: Date; to: Date; appraiserId?: string }): Promise<SessionRow[]> {
  const rows = await db
    .select(sessionColumns)
    .from(bookings)
    .innerJoin(appraisers, eq(appraisers.id, bookings.appraiserId))
    .leftJoin(procedures, eq(procedures.slug, bookings.procedureSlug))
    .where(
      and(
        gte(bookings.startsAt, range.from),
        lt(bookings.startsAt, range.to),
        ne(bookings.status, 'rescheduled'),
        range.appraiserId ? eq(bookings.appraiserId, range.appraiserId) : undefined,
      ),
    )
    .orderBy(asc(bookings.startsAt), asc(appraisers.name));
  return rows.map((r) => ({ ...r, procedureName: r.procedureName ?? r.procedureSlug }));
}

const checklistSchema = z.array(z.object({ key: z.string().min(1), label: z.string().min(1) }));
const resultsSchema = z.record(z.string(), z.boolean()).catch({});

export interface SessionDetail extends SessionRow {
  address: string;
  phone: string;
  channel: string | null;
  channelUserId: string | null;
  source: 'chat' | 'api' | 'console';
  rescheduledFrom: string | null;
  replacedBy: string | null;
  cancelReason: string | null;
  checklist: ChecklistItem[];
  checklistResults: Record<string, boolean>;
  outcomeNotes: string | null;
  reappraisalOn: string | null;
  outcomeAt: Date | null;
  outcomeByName: string | null;
  videoChannel: 'zalo_video' | 'messenger_video' | 'meeting_link' | null;
  meetingUrl: string | null;
  licenceValidityDays: number | null;
  licence: { id: string; number: string; issuedOn: string | null; expiresOn: string } | null;
}

/** One session with its type, appraiser, outcome and licence; undefined when there is none. */
export async function loadSession(db: Db, id: string): Promise<SessionDetail | undefined> {
  const outcomeBy = alias(officials, 'outcome_by_official');
  const [r] = await db
    .select({
      ...sessionColumns,
      address: bookings.address,
      phone: bookings.phone,
      channel: bookings.channel,
      channelUserId: bookings.channelUserId,
      source: bookings.source,
      rescheduledFrom: bookings.rescheduledFrom,
      replacedBy: bookings.replacedBy,
      cancelReason: bookings.cancelReason,
      checklist: appraisalTypes.checklist,
      checklistResults: bookings.checklistResults,
      outcomeNotes: bookings.outcomeNotes,
      reappraisalOn: bookings.reappraisalOn,
      outcomeAt: bookings.outcomeAt,
      outcomeByName: outcomeBy.name,
      videoChannel: appraisalTypes.videoChannel,
      meetingUrl: appraisalTypes.meetingUrl,
      licenceValidityDays: appraisalTypes.licenceValidityDays,
      licenceId: licences.id,
      licenceNumber: licences.number,
      licenceIssuedOn: licences.issuedOn,
      licenceExpiresOn: licences.expiresOn,
    })
    .from(bookings)
    .innerJoin(appraisers, eq(appraisers.id, bookings.appraiserId))
    .leftJoin(procedures, eq(procedures.slug, bookings.procedureSlug))
    .leftJoin(appraisalTypes, eq(appraisalTypes.procedureSlug, bookings.procedureSlug))
    .leftJoin(outcomeBy, eq(outcomeBy.id, bookings.outcomeBy))
    .leftJoin(licences, eq(licences.id, bookings.licenceId))
    .where(eq(bookings.id, id));
  if (!r) return undefined;
  const { licenceId, licenceNumber, licenceIssuedOn, licenceExpiresOn, checklist, checklistResults, ...rest } = r;
  const items = checklistSchema.safeParse(checklist);
  return {
    ...rest,
    procedureName: r.procedureName ?? r.procedureSlug,
    checklist: items.success ? items.data : [],
    checklistResults: resultsSchema.parse(checklistResults),
    licence: licenceId && licenceNumber && licenceExpiresOn ? { id: licenceId, number: licenceNumber, issuedOn: licenceIssuedOn, expiresOn: licenceExpiresOn } : null,
  };
}

export interface AppraiserOption {
  id: string;
  name: string;
  officialId: string | null;
  active: boolean;
}

/** Every appraiser, active ones first, by name (the calendar's filter, the days-off form). */
export async function listAppraiserOptions(db: Db): Promise<AppraiserOption[]> {
  return db
    .select({ id: appraisers.id, name: appraisers.name, officialId: appraisers.officialId, active: appraisers.active })
    .from(appraisers)
    .orderBy(asc(appraisers.name));
}

/** Procedure names by slug, for the slugs given. */
export async function procedureNames(db: Db, slugs: string[]): Promise<Map<string, string>> {
  if (slugs.length === 0) return new Map();
  const rows = await db.select({ slug: procedures.slug, name: procedures.name }).from(procedures).where(inArray(procedures.slug, slugs));
  return new Map(rows.map((r) => [r.slug, r.name]));
}
