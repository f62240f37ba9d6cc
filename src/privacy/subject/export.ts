/**
 * Everything we hold about one person, as one JSON document (the data subject's right of access,
 * Decree 13/2023/NĐ-CP): per chat identity its contact record, conversation and context, messages,
 * ratings, raw webhook events, messages sent or queued to it, licence links and link requests,
 * broadcasts it was sent and its opt-out; then messages addressed by phone, the licences and the
 * appraisal bookings. One-time codes are listed without their hash (it protects the code, it says
 * nothing about the person).
 */
import { and, asc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import type { ChatIdentity, Subject, SubjectLookup } from './lookup';

const t = tables;

type Row = Record<string, unknown>;

export interface IdentityExport extends ChatIdentity {
  contact: Row | null;
  conversation: Row | null;
  messages: Row[];
  feedback: Row[];
  inboundEvents: Row[];
  outboxMessages: Row[];
  licenceLinks: Row[];
  linkCodes: Row[];
  broadcasts: Row[];
  broadcastOptOutAt: Date | null;
}

export type LicenceExport = typeof t.licences.$inferSelect & { reminders: Row[] };
export type BookingExport = typeof t.appraisalBookings.$inferSelect;

export interface SubjectExport {
  generatedAt: Date;
  lookup: SubjectLookup;
  identities: IdentityExport[];
  /** Messages addressed to the person's phone numbers (Zalo ZNS templates). */
  phoneMessages: Row[];
  licences: LicenceExport[];
  bookings: BookingExport[];
}

const outboxColumns = {
  id: t.outbox.id,
  channel: t.outbox.channel,
  purpose: t.outbox.purpose,
  status: t.outbox.status,
  recipient: t.outbox.recipient,
  content: t.outbox.content,
  mode: t.outbox.mode,
  failureReason: t.outbox.failureReason,
  createdAt: t.outbox.createdAt,
  sentAt: t.outbox.sentAt,
};

/** Outbox rows to this chat identity: by recipient id, or replies in its conversation. */
export function outboxOfIdentity(identity: ChatIdentity, conversationId: string | undefined): SQL {
  const byRecipient = sql`${t.outbox.recipient}->>'userId' = ${identity.userId}`;
  const mine = conversationId ? or(byRecipient, eq(t.outbox.conversationId, conversationId)) : byRecipient;
  return and(eq(t.outbox.channel, identity.channel), mine) as SQL;
}

/** Outbox rows addressed to one of `phones`. */
export function outboxOfPhones(phones: readonly string[]): SQL {
  return sql`${t.outbox.recipient}->>'phone' in (${sql.join(phones.map((p) => sql`${p}`), sql`, `)})`;
}

async function exportIdentity(db: Db, identity: ChatIdentity): Promise<IdentityExport> {
  const [contact] = await db
    .select({
      displayName: t.channelContacts.displayName,
      phone: t.channelContacts.phone,
      address: t.channelContacts.address,
      following: t.channelContacts.following,
      lastInboundAt: t.channelContacts.lastInboundAt,
      updatedAt: t.channelContacts.updatedAt,
    })
    .from(t.channelContacts)
    .where(and(eq(t.channelContacts.channel, identity.channel), eq(t.channelContacts.channelUserId, identity.userId)));
  const [conversation] = await db
    .select({
      id: t.conversations.id,
      status: t.conversations.status,
      context: t.conversations.context,
      locale: t.conversations.locale,
      createdAt: t.conversations.createdAt,
      lastMessageAt: t.conversations.lastMessageAt,
      handoffRequestedAt: t.conversations.handoffRequestedAt,
    })
    .from(t.conversations)
    .where(and(eq(t.conversations.channel, identity.channel), eq(t.conversations.channelUserId, identity.userId)));
  const conversationId = conversation?.id;
  const [messages, feedback, inboundEvents, outboxMessages, licenceLinks, linkCodes, broadcasts, optOuts] = await Promise.all([
    conversationId
      ? db
          .select({
            id: t.messages.id,
            direction: t.messages.direction,
            author: t.messages.author,
            text: t.messages.text,
            payload: t.messages.payload,
            intent: t.messages.intent,
            procedure: t.messages.procedure,
            meta: t.messages.meta,
            createdAt: t.messages.createdAt,
          })
          .from(t.messages)
          .where(eq(t.messages.conversationId, conversationId))
          .orderBy(asc(t.messages.id))
      : [],
    conversationId
      ? db
          .select({ rating: t.feedback.rating, comment: t.feedback.comment, procedure: t.feedback.procedure, createdAt: t.feedback.createdAt })
          .from(t.feedback)
          .where(eq(t.feedback.conversationId, conversationId))
          .orderBy(asc(t.feedback.id))
      : [],
    db
      .select({ kind: t.inboundEvents.kind, event: t.inboundEvents.event, occurredAt: t.inboundEvents.occurredAt, receivedAt: t.inboundEvents.receivedAt, status: t.inboundEvents.status })
      .from(t.inboundEvents)
      .where(and(eq(t.inboundEvents.channel, identity.channel), eq(t.inboundEvents.channelUserId, identity.userId)))
      .orderBy(asc(t.inboundEvents.id)),
    db.select(outboxColumns).from(t.outbox).where(outboxOfIdentity(identity, conversationId)).orderBy(asc(t.outbox.id)),
    db
      .select({ licenceNumber: t.licences.number, verifiedBy: t.licenceLinks.verifiedBy, verifiedAt: t.licenceLinks.verifiedAt, unsubscribedAt: t.licenceLinks.unsubscribedAt })
      .from(t.licenceLinks)
      .innerJoin(t.licences, eq(t.licences.id, t.licenceLinks.licenceId))
      .where(and(eq(t.licenceLinks.channel, identity.channel), eq(t.licenceLinks.channelUserId, identity.userId))),
    db
      .select({ licenceNumber: t.licences.number, createdAt: t.licenceLinkCodes.createdAt, expiresAt: t.licenceLinkCodes.expiresAt, usedAt: t.licenceLinkCodes.usedAt, attempts: t.licenceLinkCodes.attempts })
      .from(t.licenceLinkCodes)
      .innerJoin(t.licences, eq(t.licences.id, t.licenceLinkCodes.licenceId))
      .where(and(eq(t.licenceLinkCodes.channel, identity.channel), eq(t.licenceLinkCodes.channelUserId, identity.userId))),
    db
      .select({ title: t.broadcasts.title, text: t.broadcasts.text, recipientStatus: t.broadcastRecipients.status, queuedAt: t.broadcastRecipients.queuedAt })
      .from(t.broadcastRecipients)
      .innerJoin(t.broadcasts, eq(t.broadcasts.id, t.broadcastRecipients.broadcastId))
      .where(and(eq(t.broadcastRecipients.channel, identity.channel), eq(t.broadcastRecipients.channelUserId, identity.userId))),
    db
      .select({ at: t.broadcastOptOuts.at })
      .from(t.broadcastOptOuts)
      .where(and(eq(t.broadcastOptOuts.channel, identity.channel), eq(t.broadcastOptOuts.channelUserId, identity.userId))),
  ]);
  return {
    ...identity,
    contact: contact ?? null,
    conversation: conversation ?? null,
    messages,
    feedback,
    inboundEvents,
    outboxMessages,
    licenceLinks,
    linkCodes,
    broadcasts,
    broadcastOptOutAt: optOuts[0]?.at ?? null,
  };
}

/** True when we hold nothing at all under this identity. */
function holdsNothing(e: IdentityExport): boolean {
  const lists = [e.messages, e.feedback, e.inboundEvents, e.outboxMessages, e.licenceLinks, e.linkCodes, e.broadcasts];
  return !e.contact && !e.conversation && !e.broadcastOptOutAt && lists.every((l) => l.length === 0);
}

/** The whole export of `subject` (pass a transaction to read a consistent picture). */
export async function exportSubject(db: Db, subject: Subject, now: Date = new Date()): Promise<SubjectExport> {
  const identities = (await Promise.all(subject.identities.map((i) => exportIdentity(db, i)))).filter((e) => !holdsNothing(e));
  const listed = new Set(identities.flatMap((i) => i.outboxMessages.map((m) => m.id)));
  const [byPhone, licenceRows, reminders, bookings] = await Promise.all([
    subject.phones.length ? db.select(outboxColumns).from(t.outbox).where(outboxOfPhones(subject.phones)).orderBy(asc(t.outbox.id)) : [],
    subject.licenceIds.length ? db.select().from(t.licences).where(inArray(t.licences.id, subject.licenceIds)).orderBy(asc(t.licences.number)) : [],
    subject.licenceIds.length
      ? db
          .select({ licenceId: t.licenceReminders.licenceId, expiresOn: t.licenceReminders.expiresOn, step: t.licenceReminders.step, dueOn: t.licenceReminders.dueOn, status: t.licenceReminders.status, plannedAt: t.licenceReminders.plannedAt })
          .from(t.licenceReminders)
          .where(inArray(t.licenceReminders.licenceId, subject.licenceIds))
          .orderBy(asc(t.licenceReminders.dueOn))
      : [],
    subject.bookingIds.length ? db.select().from(t.appraisalBookings).where(inArray(t.appraisalBookings.id, subject.bookingIds)).orderBy(asc(t.appraisalBookings.startsAt)) : [],
  ]);
  return {
    generatedAt: now,
    lookup: subject.lookup,
    identities,
    phoneMessages: byPhone.filter((m) => !listed.has(m.id)),
    licences: licenceRows.map((l) => ({ ...l, reminders: reminders.filter((r) => r.licenceId === l.id).map(({ licenceId: _l, ...r }) => r) })),
    bookings,
  };
}

/** How many of each kind of record the export holds (the console's summary, the audit entry). */
export interface SubjectCounts {
  identities: number;
  contacts: number;
  conversations: number;
  messages: number;
  feedback: number;
  inboundEvents: number;
  outboxMessages: number;
  licenceLinks: number;
  linkCodes: number;
  broadcasts: number;
  broadcastOptOuts: number;
  licences: number;
  bookings: number;
}

export function countExport(e: SubjectExport): SubjectCounts {
  const sum = (pick: (i: IdentityExport) => number) => e.identities.reduce((n, i) => n + pick(i), 0);
  return {
    identities: e.identities.length,
    contacts: sum((i) => (i.contact ? 1 : 0)),
    conversations: sum((i) => (i.conversation ? 1 : 0)),
    messages: sum((i) => i.messages.length),
    feedback: sum((i) => i.feedback.length),
    inboundEvents: sum((i) => i.inboundEvents.length),
    outboxMessages: sum((i) => i.outboxMessages.length) + e.phoneMessages.length,
    licenceLinks: sum((i) => i.licenceLinks.length),
    linkCodes: sum((i) => i.linkCodes.length),
    broadcasts: sum((i) => i.broadcasts.length),
    broadcastOptOuts: sum((i) => (i.broadcastOptOutAt ? 1 : 0)),
    licences: e.licences.length,
    bookings: e.bookings.length,
  };
}

/** Nothing found: there is nothing to export or erase. */
export function isEmptyExport(e: SubjectExport): boolean {
  return Object.values(countExport(e)).every((n) => n === 0);
}
