/**
 * What an appraiser records on a session: the checklist ticks, the outcome (with the licence when it
 * passed) and a no-show. Each is one transaction that locks the booking row, checks it is still
 * open, changes it and writes the audit entry, so a double-submitted form or two officials at once
 * cannot record twice, and an outcome never exists without its licence (or the reverse).
 */
import { eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import { issueLicenceFromAppraisal } from '../../licences';
import type { AdminKit, Official } from '../kit';
import { vnDay } from './vn-calendar';

const { appraisalBookings: bookings, appraisalTypes } = tables;

/** Used when a type somehow has no validity: five years, the usual term of these certificates. */
const DEFAULT_VALIDITY_DAYS = 1825;

export type Outcome = 'passed' | 'needs_fixes' | 'failed';

export interface OutcomeInput {
  outcome: Outcome;
  notes: string;
  /** Required for needs_fixes (the form checks it); ignored otherwise. */
  reappraisalOn: string | null;
}

export type ActionRefusal = { ok: false; reason: 'not_found' | 'not_open' | 'already_recorded' | 'too_early' };
export type OutcomeResult = { ok: true; duplicate: boolean; licenceNumber: string | null } | ActionRefusal;

async function lock(tx: Db, id: string) {
  const [row] = await tx
    .select({
      id: bookings.id,
      status: bookings.status,
      procedureSlug: bookings.procedureSlug,
      businessName: bookings.businessName,
      address: bookings.address,
      phone: bookings.phone,
      startsAt: bookings.startsAt,
      outcome: bookings.outcome,
      checklistResults: bookings.checklistResults,
    })
    .from(bookings)
    .where(eq(bookings.id, id))
    .for('update');
  return row;
}

/**
 * Stores the ticks of the session's checklist (only the type's own keys; the whole state each time,
 * so the last save wins and nothing is merged out of order). Open while the session is booked.
 */
export async function saveChecklist(
  db: Db,
  kit: AdminKit,
  id: string,
  official: Official,
  ticked: ReadonlySet<string>,
): Promise<{ ok: true; results: Record<string, boolean> } | ActionRefusal> {
  return db.transaction(async (tx) => {
    const b = await lock(tx, id);
    if (!b) return { ok: false, reason: 'not_found' };
    if (b.status !== 'booked') return { ok: false, reason: 'not_open' };
    const [type] = await tx.select({ checklist: appraisalTypes.checklist }).from(appraisalTypes).where(eq(appraisalTypes.procedureSlug, b.procedureSlug));
    const keys = Array.isArray(type?.checklist) ? (type.checklist as { key?: unknown }[]).map((i) => String(i.key)) : [];
    const results = Object.fromEntries(keys.map((k) => [k, ticked.has(k)]));
    const before = b.checklistResults;
    if (JSON.stringify(before) === JSON.stringify(results)) return { ok: true, results };
    await tx.update(bookings).set({ checklistResults: results, updatedAt: sql`now()` }).where(eq(bookings.id, id));
    await kit.audit(tx, { officialId: official.id, action: 'appraisal.checklist', entity: 'appraisal_booking', entityId: id, before, after: results });
    return { ok: true, results };
  });
}

/**
 * Records the outcome and completes the session; "passed" also issues the licence in the same
 * transaction. Posting the same outcome again (a double click, a resent form) succeeds without
 * changing anything; a different outcome for a completed session is refused.
 */
export async function recordOutcome(db: Db, kit: AdminKit, id: string, official: Official, input: OutcomeInput, now: Date): Promise<OutcomeResult> {
  return db.transaction(async (tx) => {
    const b = await lock(tx, id);
    if (!b) return { ok: false, reason: 'not_found' };
    if (b.status === 'completed') {
      return b.outcome === input.outcome ? { ok: true, duplicate: true, licenceNumber: null } : { ok: false, reason: 'already_recorded' };
    }
    if (b.status !== 'booked') return { ok: false, reason: 'not_open' };
    let licence: { id: string; number: string; expiresOn: string } | null = null;
    if (input.outcome === 'passed') {
      const [type] = await tx
        .select({ days: appraisalTypes.licenceValidityDays })
        .from(appraisalTypes)
        .where(eq(appraisalTypes.procedureSlug, b.procedureSlug));
      licence = await issueLicenceFromAppraisal(tx, {
        bookingId: id,
        procedureSlug: b.procedureSlug,
        holderName: b.businessName,
        phone: b.phone,
        address: b.address,
        issuedOn: vnDay(now),
        validityDays: type?.days ?? DEFAULT_VALIDITY_DAYS,
      });
    }
    const reappraisalOn = input.outcome === 'needs_fixes' ? input.reappraisalOn : null;
    const notes = input.notes.trim() || null;
    await tx
      .update(bookings)
      .set({
        status: 'completed',
        outcome: input.outcome,
        outcomeNotes: notes,
        reappraisalOn,
        outcomeAt: now,
        outcomeBy: official.id,
        licenceId: licence?.id ?? null,
        updatedAt: sql`now()`,
      })
      .where(eq(bookings.id, id));
    await kit.audit(tx, {
      officialId: official.id,
      action: 'appraisal.outcome',
      entity: 'appraisal_booking',
      entityId: id,
      before: { status: b.status, outcome: b.outcome },
      after: {
        status: 'completed',
        outcome: input.outcome,
        notes,
        reappraisalOn,
        licence: licence ? { id: licence.id, number: licence.number, expiresOn: licence.expiresOn } : null,
      },
    });
    return { ok: true, duplicate: false, licenceNumber: licence?.number ?? null };
  });
}

/** The business did not join the call: only once the session's start time has come. */
export async function recordNoShow(db: Db, kit: AdminKit, id: string, official: Official, now: Date): Promise<{ ok: true } | ActionRefusal> {
  return db.transaction(async (tx) => {
    const b = await lock(tx, id);
    if (!b) return { ok: false, reason: 'not_found' };
    if (b.status === 'no_show') return { ok: true };
    if (b.status !== 'booked') return { ok: false, reason: 'not_open' };
    if (now.getTime() < b.startsAt.getTime()) return { ok: false, reason: 'too_early' };
    await tx
      .update(bookings)
      .set({ status: 'no_show', outcomeAt: now, outcomeBy: official.id, updatedAt: sql`now()` })
      .where(eq(bookings.id, id));
    await kit.audit(tx, {
      officialId: official.id,
      action: 'appraisal.no_show',
      entity: 'appraisal_booking',
      entityId: id,
      before: { status: b.status },
      after: { status: 'no_show' },
    });
    return { ok: true };
  });
}
