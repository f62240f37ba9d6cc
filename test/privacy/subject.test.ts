/**
 * One person's data: the lookup (identity, phone, licence), the export holding every kind of
 * record, and the erasure — everything of that person goes except the official records, nobody
 * else is touched, counts stay, and it all happens in one transaction or not at all.
 */
import { eq } from 'drizzle-orm';
import { tables, type Db } from '../../src/db';
import { broadcastProgress, countSegment } from '../../src/broadcasts';
import {
  ANONYMISED,
  PSEUDONYM_PREFIX,
  REDACTED,
  countExport,
  eraseSubject,
  exportSubject,
  isEmptyExport,
  readLookup,
  resolveSubject,
  subjectFingerprint,
  type SubjectLookup,
} from '../../src/privacy';
import { describeEachDatabase } from '../support/db';
import { conversationOf, countedRows, dumpPersonalTables, seedPerson } from './support';

const t = tables;
const NOW = new Date();
const HOUR = 3_600_000;

async function exportOf(db: Db, lookup: SubjectLookup) {
  return exportSubject(db, await resolveSubject(db, lookup), NOW);
}

/** Erases with the fingerprint of what the lookup leads to now (what an official would have reviewed). */
async function erase(db: Db, lookup: SubjectLookup) {
  const fingerprint = subjectFingerprint(await resolveSubject(db, lookup));
  return eraseSubject(db, lookup, { fingerprint });
}

/** Tables of chat data (not the official records, which an erasure keeps on purpose). */
async function chatTables(db: Db): Promise<string> {
  const dump = JSON.parse(await dumpPersonalTables(db)) as Record<string, unknown>[];
  return JSON.stringify(dump.filter((part) => !('appraisal_bookings' in part)));
}

describeEachDatabase('privacy: one person', (getDb) => {
  const db = () => getDb().database.db;

  async function seedTwo() {
    const person = await seedPerson(db(), { userId: 'zalo7001', phone: '0977000001', at: new Date(NOW.getTime() - HOUR), licenceNumber: '77/GCN-BVTV', bookingStartsAt: new Date(NOW.getTime() + 48 * HOUR) });
    // The same person on Messenger, sharing the same phone.
    const second = await seedPerson(db(), { channel: 'messenger', userId: 'psid7002', phone: '0977000001', at: new Date(NOW.getTime() - 2 * HOUR) });
    const other = await seedPerson(db(), { userId: 'zalo8001', phone: '0988000001', at: new Date(NOW.getTime() - HOUR), licenceNumber: '88/GCN-BVTV', bookingStartsAt: new Date(NOW.getTime() + 72 * HOUR) });
    return { person, second, other };
  }

  it('reads the search form, with a clear problem for each bad field', () => {
    expect(readLookup({ kind: 'identity', channel: 'zalo', value: ' 123 ' })).toEqual({ lookup: { kind: 'identity', channel: 'zalo', userId: '123' } });
    expect(readLookup({ kind: 'phone', value: '+84 912 345 678' })).toEqual({ lookup: { kind: 'phone', phone: '0912345678' } });
    expect(readLookup({ kind: 'licence', value: '45 / gp-ubnd' })).toEqual({ lookup: { kind: 'licence', number: '45/GP-UBND' } });
    expect(readLookup({ kind: 'identity', channel: 'fax', value: '1' })).toEqual({ problem: 'channel' });
    expect(readLookup({ kind: 'identity', channel: 'zalo', value: `${PSEUDONYM_PREFIX}x` })).toEqual({ problem: 'userId' });
    expect(readLookup({ kind: 'identity', channel: 'zalo', value: '' })).toEqual({ problem: 'userId' });
    expect(readLookup({ kind: 'phone', value: '12345' })).toEqual({ problem: 'phone' });
    expect(readLookup({ kind: 'licence', value: 'x'.repeat(201) })).toEqual({ problem: 'licence' });
    expect(readLookup({ kind: 'email', value: 'a' })).toEqual({ problem: 'kind' });
  });

  it('exports every kind of data held about the person, and nothing of anyone else', async () => {
    const { person, other } = await seedTwo();
    const data = await exportOf(db(), { kind: 'identity', channel: 'zalo', userId: person.userId });
    expect(countExport(data)).toEqual({
      identities: 1,
      contacts: 1,
      conversations: 1,
      messages: 3,
      feedback: 1,
      inboundEvents: 1,
      // Two replies and a broadcast to the chat; ZNS messages to the phone (this chat's and the Messenger one's).
      outboxMessages: 5,
      licenceLinks: 1,
      linkCodes: 1,
      broadcasts: 1,
      broadcastOptOuts: 1,
      licences: 1,
      bookings: 1,
    });
    const [identity] = data.identities;
    expect(identity!.contact).toMatchObject({ displayName: person.name, phone: person.phone });
    expect(identity!.conversation).toMatchObject({ context: { procedure: 'attp', booking: { businessName: person.name } } });
    expect(identity!.messages.map((m) => m.text ?? m.payload)).toEqual([`Tôi là ${person.name}, số ${person.phone}`, `Dạ, chào ${person.name}`, `PAY:${person.userId}`]);
    expect(identity!.feedback[0]).toMatchObject({ rating: 4, comment: `Cảm ơn, ${person.name}` });
    expect(identity!.inboundEvents[0]).toMatchObject({ kind: 'message', status: 'done' });
    expect(identity!.licenceLinks[0]).toMatchObject({ licenceNumber: '77/GCN-BVTV', verifiedBy: 'code' });
    expect(identity!.linkCodes[0]).toMatchObject({ licenceNumber: '77/GCN-BVTV' });
    expect(identity!.broadcasts[0]).toMatchObject({ text: 'Lịch tiếp dân', recipientStatus: 'queued' });
    expect(identity!.broadcastOptOutAt).toBeInstanceOf(Date);
    expect(data.phoneMessages.map((m) => m.purpose)).toEqual(['reminder', 'reminder']);
    expect(data.licences[0]).toMatchObject({ number: '77/GCN-BVTV', holderName: person.name, reminders: [{ step: 30, status: 'queued' }] });
    expect(data.bookings[0]).toMatchObject({ businessName: `Cửa hàng ${person.name}`, phone: person.phone });
    const text = JSON.stringify(data);
    expect(text).not.toContain(other.userId);
    expect(text).not.toContain(other.phone);
    expect(text).not.toContain(`hash-${person.userId}`);
    // What an official can download is plain JSON (dates as ISO strings).
    expect(JSON.parse(text).generatedAt).toBe(NOW.toISOString());
  });

  it('finds the person by phone (both chats) and by licence number (the linked chat)', async () => {
    const { person, second } = await seedTwo();
    const byPhone = await resolveSubject(db(), { kind: 'phone', phone: person.phone });
    expect(byPhone.identities).toEqual([
      { channel: 'messenger', userId: second.userId },
      { channel: 'zalo', userId: person.userId },
    ]);
    expect([byPhone.licenceIds, byPhone.bookingIds]).toEqual([[person.licenceId], [person.bookingId]]);
    const byLicence = await resolveSubject(db(), { kind: 'licence', number: '77/GCN-BVTV' });
    expect(byLicence).toMatchObject({ identities: [{ channel: 'zalo', userId: person.userId }], phones: [person.phone], licenceIds: [person.licenceId], bookingIds: [person.bookingId] });
    expect(isEmptyExport(await exportOf(db(), { kind: 'licence', number: 'NONE/1' }))).toBe(true);
    expect(isEmptyExport(await exportOf(db(), { kind: 'identity', channel: 'zalo', userId: 'nobody' }))).toBe(true);
  });

  it('erases the person, keeps the official records, leaves others intact, and keeps counts', async () => {
    const { person, second, other } = await seedTwo();
    // Everyone asked about attp; only the other person has not opted out of broadcasts.
    await db().delete(t.broadcastOptOuts).where(eq(t.broadcastOptOuts.channelUserId, other.userId));
    const otherBefore = JSON.stringify({ ...(await exportOf(db(), { kind: 'identity', channel: 'zalo', userId: other.userId })), generatedAt: null });
    const rowsBefore = await countedRows(db());
    const progressBefore = await broadcastProgress(db(), person.broadcastId, NOW);
    const asked = { kind: 'asked_procedure', channel: 'all', procedure: 'attp', days: 30 } as const;
    expect((await countSegment(db(), asked, NOW)).total).toBe(1);
    await db().update(t.conversations).set({ status: 'human' }).where(eq(t.conversations.id, person.conversationId));

    const outcome = await erase(db(), { kind: 'phone', phone: person.phone });
    if (!outcome.ok) throw new Error('erasure refused');
    expect(outcome.counts).toEqual({
      identities: 2,
      conversations: 2,
      messages: 6,
      feedbackComments: 2,
      contacts: 2,
      inboundEvents: 2,
      outboxDeleted: 2,
      outboxAnonymised: 6,
      licenceLinks: 1,
      linkCodes: 1,
      broadcastRecipients: 2,
      broadcastOptOuts: 2,
      bookingsUnlinked: 1,
      licenceRemindersRewritten: 1,
    });

    // Nothing of the person is left in chat data: ids, phone and name are gone everywhere.
    const chat = await chatTables(db());
    for (const marker of [person.userId, second.userId, person.phone, person.name, second.name]) expect(chat).not.toContain(marker);
    expect(chat).toContain(other.userId);
    // Rows that analytics and the broadcast progress count are still there, anonymous.
    expect(await countedRows(db())).toEqual(rowsBefore);
    expect(await broadcastProgress(db(), person.broadcastId, NOW)).toEqual(progressBefore);
    const [conversation] = await db().select().from(t.conversations).where(eq(t.conversations.id, person.conversationId));
    expect(conversation).toMatchObject({ status: 'bot', context: {} });
    expect(conversation!.channelUserId.startsWith(PSEUDONYM_PREFIX)).toBe(true);
    const texts = await db().select({ text: t.messages.text, intent: t.messages.intent }).from(t.messages).where(eq(t.messages.conversationId, person.conversationId));
    expect(texts).toEqual([
      { text: REDACTED, intent: 'procedure.fee' },
      { text: REDACTED, intent: 'procedure.fee' },
      { text: null, intent: 'greeting' },
    ]);
    const [sent] = await db().select().from(t.outbox).where(eq(t.outbox.dedupeKey, person.keys.sent));
    expect(sent).toMatchObject({ status: 'sent', recipient: ANONYMISED, content: ANONYMISED });
    // The erasure removed the opt-outs too, yet the pseudonymised chats are never picked for a broadcast.
    expect((await countSegment(db(), asked, NOW)).total).toBe(1);

    // Official records stay, unlinked from the chat.
    const [licence] = await db().select().from(t.licences).where(eq(t.licences.id, person.licenceId!));
    expect(licence).toMatchObject({ holderName: person.name, phone: person.phone });
    const [booking] = await db().select().from(t.appraisalBookings).where(eq(t.appraisalBookings.id, person.bookingId!));
    expect(booking).toMatchObject({ phone: person.phone, channel: null, channelUserId: null, status: 'booked' });
    const [reminder] = await db().select().from(t.licenceReminders).where(eq(t.licenceReminders.licenceId, person.licenceId!));
    expect(JSON.stringify(reminder)).not.toContain(person.userId);
    expect(reminder!.note).toMatch(/^zalo:erased:[0-9a-f-]{36}: outside the window$/);

    // Someone else's data is exactly as it was.
    expect(JSON.stringify({ ...(await exportOf(db(), { kind: 'identity', channel: 'zalo', userId: other.userId })), generatedAt: null })).toBe(otherBefore);
    // Looking the person up again finds only the records kept on purpose.
    expect(countExport(await exportOf(db(), { kind: 'phone', phone: person.phone }))).toMatchObject({ identities: 0, messages: 0, outboxMessages: 0, licences: 1, bookings: 1 });
    expect(isEmptyExport(await exportOf(db(), { kind: 'identity', channel: 'zalo', userId: person.userId }))).toBe(true);
    expect(await conversationOf(db(), 'zalo', person.userId)).toBeUndefined();
  });

  it('skips a pending broadcast recipient instead of sending to the pseudonym', async () => {
    const { person } = await seedTwo();
    await db().update(t.broadcastRecipients).set({ status: 'pending', queuedAt: null }).where(eq(t.broadcastRecipients.channelUserId, person.userId));
    const outcome = await erase(db(), { kind: 'identity', channel: 'zalo', userId: person.userId });
    expect(outcome.ok).toBe(true);
    const [recipient] = await db().select().from(t.broadcastRecipients).where(eq(t.broadcastRecipients.broadcastId, person.broadcastId));
    expect(recipient!.status).toBe('skipped');
    expect(recipient!.channelUserId.startsWith(PSEUDONYM_PREFIX)).toBe(true);
  });

  it('changes nothing when the data changed since it was reviewed, or when the audit step fails', async () => {
    const { person } = await seedTwo();
    const lookup: SubjectLookup = { kind: 'phone', phone: person.phone };
    const reviewed = subjectFingerprint(await resolveSubject(db(), lookup));
    // A new chat shares the phone after the review.
    await db().insert(t.channelContacts).values({ channel: 'zalo', channelUserId: 'late9001', phone: person.phone });
    const before = await dumpPersonalTables(db());
    const refused = await eraseSubject(db(), lookup, { fingerprint: reviewed });
    expect(refused.ok).toBe(false);
    expect(refused.subject.identities.map((i) => i.userId)).toContain('late9001');
    expect(await dumpPersonalTables(db())).toBe(before);

    const fingerprint = subjectFingerprint(await resolveSubject(db(), lookup));
    await expect(
      eraseSubject(db(), lookup, {
        fingerprint,
        onErased: async () => {
          throw new Error('audit failed');
        },
      }),
    ).rejects.toThrow('audit failed');
    expect(await dumpPersonalTables(db())).toBe(before);
  });
});
