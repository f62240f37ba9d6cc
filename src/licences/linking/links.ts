/**
 * The links between chat identities and the licences they were verified to hold, and their
 * reminder switch (`unsubscribed_at`). Only code that has verified the identity creates a link.
 */
import { and, asc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import type { ChatIdentity } from './identities';

const { licenceLinks, licences } = tables;

export type VerifiedBy = 'code' | 'zalo_phone_share' | 'appraisal';

/** A licence as its verified holder may see it in the chat. */
export interface LinkedLicence {
  id: string;
  number: string;
  holderName: string;
  procedureSlug: string;
  /** `YYYY-MM-DD`. */
  expiresOn: string;
  /** Set while this identity does not want reminders for it. */
  unsubscribedAt: Date | null;
}

const ofIdentity = (who: ChatIdentity) => and(eq(licenceLinks.channel, who.channel), eq(licenceLinks.channelUserId, who.channelUserId));

/** Links (or re-links) `who` to the licence; a new verification also switches reminders back on. */
export async function linkIdentity(db: Db, licenceId: string, who: ChatIdentity, verifiedBy: VerifiedBy, now: Date): Promise<void> {
  await db
    .insert(licenceLinks)
    .values({ licenceId, channel: who.channel, channelUserId: who.channelUserId, verifiedBy, verifiedAt: now })
    .onConflictDoUpdate({
      target: [licenceLinks.licenceId, licenceLinks.channel, licenceLinks.channelUserId],
      set: { verifiedBy, verifiedAt: now, unsubscribedAt: null },
    });
}

/** The register's columns a holder is shown (all of `LinkedLicence` but the link's own switch). */
export const shownColumns = {
  id: licences.id,
  number: licences.number,
  holderName: licences.holderName,
  procedureSlug: licences.procedureSlug,
  expiresOn: licences.expiresOn,
};

/** The licences `who` is verified to hold, by number. */
export async function linkedLicences(db: Db, who: ChatIdentity): Promise<LinkedLicence[]> {
  return db
    .select({ ...shownColumns, unsubscribedAt: licenceLinks.unsubscribedAt })
    .from(licenceLinks)
    .innerJoin(licences, eq(licences.id, licenceLinks.licenceId))
    .where(ofIdentity(who))
    .orderBy(asc(licences.number));
}

/**
 * Switches reminders off (`on` false) or back on for `who`'s links to `licenceIds` (all its links
 * when omitted); returns the ids whose switch actually changed.
 */
export async function setReminders(db: Db, who: ChatIdentity, on: boolean, now: Date, licenceIds?: readonly string[]): Promise<string[]> {
  if (licenceIds && licenceIds.length === 0) return [];
  const rows = await db
    .update(licenceLinks)
    .set({ unsubscribedAt: on ? null : now })
    .where(
      and(
        ofIdentity(who),
        on ? isNotNull(licenceLinks.unsubscribedAt) : isNull(licenceLinks.unsubscribedAt),
        licenceIds ? inArray(licenceLinks.licenceId, [...licenceIds]) : undefined,
      ),
    )
    .returning({ licenceId: licenceLinks.licenceId });
  return rows.map((r) => r.licenceId);
}
