/**
 * Finding one person ("data subject") for an access or erasure request: by a chat identity, a
 * phone number or a licence number. The search goes exactly one step from what the official typed
 * and no further (a phone shared by a family shop must not pull in every relative's chat):
 *
 * - chat identity -> that identity, the phone it shared, the licences it is linked to, the
 *   appraisal bookings made from it;
 * - phone -> the chat identities that shared it or are linked to a licence or booking with it,
 *   the licences and bookings with it;
 * - licence number -> the licence, its phone, its linked chat identities, its appraisal bookings.
 *
 * The console shows all of it before anything is exported or erased.
 */
import { createHash } from 'node:crypto';
import { and, eq, inArray, or } from 'drizzle-orm';
import { z } from 'zod';
import { tables, type Db } from '../../db';
import { normaliseLicenceNumber } from '../../licences';
import { normalizePhone } from '../../nlu';
import { PSEUDONYM_PREFIX } from '../redaction';

const { channelContacts, licences, licenceLinks, appraisalBookings } = tables;

export const LOOKUP_KINDS = ['identity', 'phone', 'licence'] as const;
export const CHAT_CHANNELS = ['zalo', 'messenger', 'webchat'] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];

export type SubjectLookup =
  | { kind: 'identity'; channel: ChatChannel; userId: string }
  | { kind: 'phone'; phone: string }
  | { kind: 'licence'; number: string };

/** Which field of the search form was wrong (the console words it). */
export type LookupProblem = 'kind' | 'channel' | 'userId' | 'phone' | 'licence';

const formSchema = z.object({
  kind: z.enum(LOOKUP_KINDS),
  channel: z.string().optional(),
  value: z.string().trim().min(1).max(200),
});

/** Reads the search form (`kind`, `channel`, `value`): the lookup, or the field that is wrong. */
export function readLookup(input: unknown): { lookup: SubjectLookup } | { problem: LookupProblem } {
  const kind = z.object({ kind: z.enum(LOOKUP_KINDS) }).safeParse(input);
  if (!kind.success) return { problem: 'kind' };
  const form = formSchema.safeParse(input);
  const field: LookupProblem = kind.data.kind === 'identity' ? 'userId' : kind.data.kind;
  if (!form.success) return { problem: form.error.issues.some((i) => i.path[0] === 'channel') ? 'channel' : field };
  const { value } = form.data;
  switch (kind.data.kind) {
    case 'identity': {
      const channel = CHAT_CHANNELS.find((c) => c === form.data.channel);
      if (!channel) return { problem: 'channel' };
      // A pseudonym is what is left after an erasure: it is nobody.
      if (value.startsWith(PSEUDONYM_PREFIX)) return { problem: 'userId' };
      return { lookup: { kind: 'identity', channel, userId: value } };
    }
    case 'phone': {
      const phone = normalizePhone(value);
      return phone ? { lookup: { kind: 'phone', phone } } : { problem: 'phone' };
    }
    case 'licence':
      return { lookup: { kind: 'licence', number: normaliseLicenceNumber(value) } };
  }
}

export interface ChatIdentity {
  channel: string;
  userId: string;
}

/** Everything one lookup leads to, as ids (the export reads the data behind them). */
export interface Subject {
  lookup: SubjectLookup;
  identities: ChatIdentity[];
  phones: string[];
  licenceIds: string[];
  bookingIds: string[];
}

const identityKey = (i: ChatIdentity) => `${i.channel}\u0000${i.userId}`;

function uniqueIdentities(list: readonly ChatIdentity[]): ChatIdentity[] {
  const seen = new Map<string, ChatIdentity>();
  for (const i of list) if (!i.userId.startsWith(PSEUDONYM_PREFIX)) seen.set(identityKey(i), { channel: i.channel, userId: i.userId });
  return [...seen.values()].sort((a, b) => identityKey(a).localeCompare(identityKey(b)));
}

const unique = (list: readonly (string | null | undefined)[]): string[] => [...new Set(list.filter((v): v is string => !!v))].sort();

async function byIdentity(db: Db, lookup: Extract<SubjectLookup, { kind: 'identity' }>): Promise<Subject> {
  const [contacts, links, bookings] = await Promise.all([
    db.select({ phone: channelContacts.phone }).from(channelContacts).where(and(eq(channelContacts.channel, lookup.channel), eq(channelContacts.channelUserId, lookup.userId))),
    db.select({ licenceId: licenceLinks.licenceId }).from(licenceLinks).where(and(eq(licenceLinks.channel, lookup.channel), eq(licenceLinks.channelUserId, lookup.userId))),
    db.select({ id: appraisalBookings.id }).from(appraisalBookings).where(and(eq(appraisalBookings.channel, lookup.channel), eq(appraisalBookings.channelUserId, lookup.userId))),
  ]);
  return {
    lookup,
    identities: [{ channel: lookup.channel, userId: lookup.userId }],
    phones: unique(contacts.map((c) => c.phone)),
    licenceIds: unique(links.map((l) => l.licenceId)),
    bookingIds: unique(bookings.map((b) => b.id)),
  };
}

async function byPhone(db: Db, lookup: Extract<SubjectLookup, { kind: 'phone' }>): Promise<Subject> {
  const [contacts, held, booked] = await Promise.all([
    db.select({ channel: channelContacts.channel, userId: channelContacts.channelUserId }).from(channelContacts).where(eq(channelContacts.phone, lookup.phone)),
    db.select({ id: licences.id }).from(licences).where(eq(licences.phone, lookup.phone)),
    db
      .select({ id: appraisalBookings.id, channel: appraisalBookings.channel, userId: appraisalBookings.channelUserId })
      .from(appraisalBookings)
      .where(eq(appraisalBookings.phone, lookup.phone)),
  ]);
  const licenceIds = unique(held.map((l) => l.id));
  const links = licenceIds.length
    ? await db.select({ channel: licenceLinks.channel, userId: licenceLinks.channelUserId }).from(licenceLinks).where(inArray(licenceLinks.licenceId, licenceIds))
    : [];
  const bookingChats = booked.flatMap((b) => (b.channel && b.userId ? [{ channel: b.channel, userId: b.userId }] : []));
  return {
    lookup,
    identities: uniqueIdentities([...contacts, ...links, ...bookingChats]),
    phones: [lookup.phone],
    licenceIds,
    bookingIds: unique(booked.map((b) => b.id)),
  };
}

async function byLicence(db: Db, lookup: Extract<SubjectLookup, { kind: 'licence' }>): Promise<Subject> {
  const [licence] = await db.select().from(licences).where(eq(licences.number, lookup.number));
  if (!licence) return { lookup, identities: [], phones: [], licenceIds: [], bookingIds: [] };
  const bookingMatch = licence.bookingId
    ? or(eq(appraisalBookings.licenceId, licence.id), eq(appraisalBookings.id, licence.bookingId))
    : eq(appraisalBookings.licenceId, licence.id);
  const [links, bookings] = await Promise.all([
    db.select({ channel: licenceLinks.channel, userId: licenceLinks.channelUserId }).from(licenceLinks).where(eq(licenceLinks.licenceId, licence.id)),
    db.select({ id: appraisalBookings.id }).from(appraisalBookings).where(bookingMatch),
  ]);
  return {
    lookup,
    identities: uniqueIdentities(links),
    phones: unique([licence.phone]),
    licenceIds: [licence.id],
    bookingIds: unique(bookings.map((b) => b.id)),
  };
}

/** What `lookup` leads to, now (pass a transaction to read it where an erasure will write). */
export function resolveSubject(db: Db, lookup: SubjectLookup): Promise<Subject> {
  switch (lookup.kind) {
    case 'identity':
      return byIdentity(db, lookup);
    case 'phone':
      return byPhone(db, lookup);
    case 'licence':
      return byLicence(db, lookup);
  }
}

/**
 * A digest of what the lookup led to. The erase form carries the one the official reviewed; if
 * the data changed since (a new chat linked, a booking made), the erasure is refused and the new
 * picture shown, so nobody erases what they did not see.
 */
export function subjectFingerprint(s: Subject): string {
  const canonical = JSON.stringify([s.identities.map(identityKey).sort(), [...s.phones].sort(), [...s.licenceIds].sort(), [...s.bookingIds].sort()]);
  return createHash('sha256').update(canonical).digest('hex');
}
