/**
 * Erasing one person (the data subject's right to deletion, Decree 13/2023/NĐ-CP), in ONE
 * transaction with its audit entry: either all of it happens, or nothing does.
 *
 * Per chat identity, under a fresh pseudonym `erased:<uuid>` used in every table, so history that
 * counts things still adds up and nothing points to the person:
 * - conversation: identity -> pseudonym, context emptied, hand-over closed; its messages redacted
 *   (text, payload, buttons, platform id) and rating comments removed — rows stay for analytics;
 *   the pseudonym gets a "not following" contact row so nothing can ever be sent to it;
 * - contact record (name, phone, address), raw webhook events, licence links and one-time codes,
 *   broadcast opt-out: deleted;
 * - outbox: messages still waiting are deleted; sent or failed ones lose recipient and content;
 *   keys that contained the id are re-keyed to the pseudonym (broadcast progress still adds up);
 * - broadcast recipient rows: pseudonymised (a recipient not yet reached is skipped);
 * - appraisal bookings: the chat identity is unlinked; licence reminder history: the id in its
 *   notes and delivery keys is replaced by the pseudonym.
 * Per phone of the person: messages addressed to it (ZNS) like the outbox above.
 *
 * Kept on purpose, as official records of administrative procedures: the licence (number, holder,
 * phone, address, dates) and the appraisal bookings (business, address, phone, outcome). The
 * console says so before anyone confirms. The audit log is never rewritten.
 */
import { and, eq, ne, sql, type SQL } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import { anonymisedJson, newPseudonym, redactMessageSet, resultRows } from '../redaction';
import { outboxOfIdentity, outboxOfPhones } from './export';
import { resolveSubject, subjectFingerprint, type ChatIdentity, type Subject, type SubjectLookup } from './lookup';

const t = tables;

/** What an erasure changed, as counts (safe to audit: no personal data). */
export interface ErasureCounts {
  identities: number;
  conversations: number;
  messages: number;
  feedbackComments: number;
  contacts: number;
  inboundEvents: number;
  outboxDeleted: number;
  outboxAnonymised: number;
  licenceLinks: number;
  linkCodes: number;
  broadcastRecipients: number;
  broadcastOptOuts: number;
  bookingsUnlinked: number;
  licenceRemindersRewritten: number;
}

export type ErasureOutcome =
  | { ok: true; counts: ErasureCounts; subject: Subject }
  /** The lookup leads somewhere else than what the official reviewed: nothing was changed. */
  | { ok: false; reason: 'changed'; subject: Subject };

export interface EraseOptions {
  /** {@link subjectFingerprint} of the subject the official reviewed. */
  fingerprint: string;
  /** Runs in the erasure's transaction (the audit entry); a throw undoes the whole erasure. */
  onErased?: (tx: Db, counts: ErasureCounts, subject: Subject) => Promise<void>;
}

const emptyCounts = (): ErasureCounts => ({
  identities: 0,
  conversations: 0,
  messages: 0,
  feedbackComments: 0,
  contacts: 0,
  inboundEvents: 0,
  outboxDeleted: 0,
  outboxAnonymised: 0,
  licenceLinks: 0,
  linkCodes: 0,
  broadcastRecipients: 0,
  broadcastOptOuts: 0,
  bookingsUnlinked: 0,
  licenceRemindersRewritten: 0,
});

/** Tables whose rows belong to one chat identity and simply go with it. */
const DELETED_WITH_IDENTITY = [
  ['contacts', 'channel_contacts'],
  ['inboundEvents', 'inbound_events'],
  ['licenceLinks', 'licence_links'],
  ['linkCodes', 'licence_link_codes'],
  ['broadcastOptOuts', 'broadcast_opt_outs'],
] as const satisfies readonly (readonly [keyof ErasureCounts, string])[];

/** Rows a write touched (`returning` something). */
const n = (rows: readonly unknown[]): number => rows.length;

async function eraseIdentity(tx: Db, identity: ChatIdentity, counts: ErasureCounts): Promise<void> {
  const { channel, userId } = identity;
  const pseudonym = newPseudonym();
  const [conversation] = await tx
    .select({ id: t.conversations.id })
    .from(t.conversations)
    .where(and(eq(t.conversations.channel, channel), eq(t.conversations.channelUserId, userId)))
    .for('update');

  // Outbox first, while the conversation still tells which replies were this person's.
  const suffix = `:${channel}:${userId}`;
  // Keys like `broadcast:<id>:<channel>:<user>` end with the id; `right()` rather than LIKE, whose
  // `_` would be a wildcard in a web chat session id.
  await tx.execute(sql`update outbox set dedupe_key = left(dedupe_key, length(dedupe_key) - ${userId.length}) || ${pseudonym}
    where channel = ${channel} and right(dedupe_key, ${suffix.length}) = ${suffix}`);
  await clearOutbox(tx, outboxOfIdentity(identity, conversation?.id), counts);

  if (conversation) {
    counts.conversations += 1;
    counts.messages += n(resultRows(await tx.execute(sql`update messages m set ${redactMessageSet} where m.conversation_id = ${conversation.id} returning m.id`)));
    counts.feedbackComments += n(
      await tx
        .update(t.feedback)
        .set({ comment: null })
        .where(and(eq(t.feedback.conversationId, conversation.id), sql`${t.feedback.comment} is not null`))
        .returning({ id: t.feedback.id }),
    );
    await tx.update(t.conversations).set({ channelUserId: pseudonym, context: {}, status: 'bot' }).where(eq(t.conversations.id, conversation.id));
    // The pseudonym is "not following": no segment or policy will ever write to it.
    await tx.insert(t.channelContacts).values({ channel, channelUserId: pseudonym, following: false });
  }

  for (const [count, table] of DELETED_WITH_IDENTITY) {
    counts[count] += n(resultRows(await tx.execute(sql`delete from ${sql.identifier(table)} where channel = ${channel} and channel_user_id = ${userId} returning channel`)));
  }
  counts.broadcastRecipients += n(
    await tx
      .update(t.broadcastRecipients)
      .set({ channelUserId: pseudonym, status: sql`case when ${t.broadcastRecipients.status} = 'pending' then 'skipped' else ${t.broadcastRecipients.status} end` })
      .where(and(eq(t.broadcastRecipients.channel, channel), eq(t.broadcastRecipients.channelUserId, userId)))
      .returning({ c: t.broadcastRecipients.channel }),
  );
  counts.bookingsUnlinked += n(
    await tx
      .update(t.appraisalBookings)
      .set({ channel: null, channelUserId: null, updatedAt: new Date() })
      .where(and(eq(t.appraisalBookings.channel, channel), eq(t.appraisalBookings.channelUserId, userId)))
      .returning({ id: t.appraisalBookings.id }),
  );
  // Reminder notes say "<channel>:<id>: why"; delivery keys end with ":<channel>:<id>" (then a JSON quote).
  const inNote = `${channel}:${userId}:`;
  const inKey = `${suffix}"`;
  counts.licenceRemindersRewritten += n(
    await tx
      .update(t.licenceReminders)
      .set({
        note: sql`replace(${t.licenceReminders.note}, ${inNote}, ${`${channel}:${pseudonym}:`})`,
        deliveries: sql`replace(${t.licenceReminders.deliveries}::text, ${inKey}, ${`:${channel}:${pseudonym}"`})::jsonb`,
      })
      .where(sql`strpos(coalesce(${t.licenceReminders.note}, ''), ${inNote}) > 0 or strpos(${t.licenceReminders.deliveries}::text, ${inKey}) > 0`)
      .returning({ id: t.licenceReminders.id }),
  );
  counts.identities += 1;
}

/** Outbox rows matching `where`: still waiting -> deleted; sent, failed or being sent -> emptied. */
async function clearOutbox(tx: Db, where: SQL, counts: ErasureCounts): Promise<void> {
  counts.outboxDeleted += n(await tx.delete(t.outbox).where(and(where, eq(t.outbox.status, 'pending'))).returning({ id: t.outbox.id }));
  counts.outboxAnonymised += n(
    await tx
      .update(t.outbox)
      .set({ recipient: sql`${anonymisedJson}`, content: sql`${anonymisedJson}`, lastError: null })
      .where(and(where, ne(t.outbox.status, 'pending'), sql`${t.outbox.recipient} <> ${anonymisedJson}`))
      .returning({ id: t.outbox.id }),
  );
}

/**
 * Erases what `lookup` leads to, provided it is still what the official reviewed (`fingerprint`).
 * Licences and bookings found are kept (see above); only their chat links go.
 */
export async function eraseSubject(db: Db, lookup: SubjectLookup, options: EraseOptions): Promise<ErasureOutcome> {
  return db.transaction(async (tx) => {
    const subject = await resolveSubject(tx, lookup);
    if (subjectFingerprint(subject) !== options.fingerprint) return { ok: false, reason: 'changed', subject } as const;
    const counts = emptyCounts();
    for (const identity of subject.identities) await eraseIdentity(tx, identity, counts);
    // Messages addressed by phone only (ZNS to the person's or the licence's number).
    if (subject.phones.length > 0) await clearOutbox(tx, outboxOfPhones(subject.phones), counts);
    await options.onErased?.(tx, counts, subject);
    return { ok: true, counts, subject } as const;
  });
}
