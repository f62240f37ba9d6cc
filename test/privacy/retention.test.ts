/**
 * The retention job on a real database: what is past its period is anonymised or deleted, what is
 * recent or must be kept is untouched, analytics and broadcast counts read the same afterwards, a
 * second run changes nothing, and small batches reach the same end.
 */
import { PassThrough } from 'node:stream';
import cron from 'node-cron';
import { and, eq } from 'drizzle-orm';
import { tables, type Db } from '../../src/db';
import { overview } from '../../src/admin/analytics/queries';
import { broadcastProgress } from '../../src/broadcasts';
import { createLogger } from '../../src/logger';
import { ANONYMISED, PSEUDONYM_PREFIX, REDACTED, RETENTION_STEPS, retentionJob, runRetention, type RetentionPolicy } from '../../src/privacy';
import { describeEachDatabase } from '../support/db';
import { conversationOf, countedRows, dumpPersonalTables, seedPerson, type SeededPerson } from './support';

const t = tables;
const DAY = 86_400_000;
const NOW = new Date('2027-06-01T03:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);
const POLICY: RetentionPolicy = { conversationDays: 365, rawDays: 30 };
/** Every day of the seeded history, for the analytics overview. */
const RANGE = { from: '2025-01-01', to: '2027-06-01', channel: null, start: new Date('2024-12-31T17:00:00Z'), end: new Date('2027-06-01T17:00:00Z') };

async function messagesOf(db: Db, conversationId: string) {
  return db.select().from(t.messages).where(eq(t.messages.conversationId, conversationId)).orderBy(t.messages.id);
}

async function contactOf(db: Db, p: SeededPerson) {
  const [row] = await db.select().from(t.channelContacts).where(and(eq(t.channelContacts.channel, p.channel), eq(t.channelContacts.channelUserId, p.userId)));
  return row;
}

async function outboxOf(db: Db, key: string) {
  const [row] = await db.select().from(t.outbox).where(eq(t.outbox.dedupeKey, key));
  return row;
}

describeEachDatabase('privacy: retention', (getDb) => {
  const db = () => getDb().database.db;

  it('anonymises old chats, deletes old raw data, keeps recent and protected data, and counts the same', async () => {
    const old = await seedPerson(db(), { userId: 'old1001', phone: '0911000001', at: daysAgo(400), licenceNumber: 'OLD/1', licenceExpiresOn: '2025-01-01' });
    const unfollowed = await seedPerson(db(), { userId: 'old1002', phone: '0911000002', at: daysAgo(400), following: false });
    const holder = await seedPerson(db(), { userId: 'old1003', phone: '0911000003', at: daysAgo(400), licenceNumber: 'KEEP/1', licenceExpiresOn: '2030-01-01' });
    const waiting = await seedPerson(db(), { userId: 'old1004', phone: '0911000004', at: daysAgo(400), status: 'waiting_human' });
    const booked = await seedPerson(db(), { userId: 'old1005', phone: '0911000005', at: daysAgo(400), following: null, bookingStartsAt: new Date(NOW.getTime() + 3 * DAY) });
    const middle = await seedPerson(db(), { userId: 'mid2001', phone: '0922000001', at: daysAgo(60) });
    const recent = await seedPerson(db(), { userId: 'new3001', phone: '0933000001', at: daysAgo(10) });
    await db().insert(t.inboundEvents).values({
      channel: 'zalo',
      channelUserId: 'old1001',
      platformEventId: 'still-pending',
      kind: 'message',
      event: {},
      occurredAt: daysAgo(400),
      receivedAt: daysAgo(400),
      status: 'pending',
    });
    await db().insert(t.loginAttempts).values([
      { email: 'old@motcua.test', ip: '10.0.0.1', ok: false, at: daysAgo(31) },
      { email: 'new@motcua.test', ip: '10.0.0.2', ok: true, at: daysAgo(1) },
    ]);
    const recentBefore = JSON.stringify(await messagesOf(db(), recent.conversationId));
    const middleMessagesBefore = JSON.stringify(await messagesOf(db(), middle.conversationId));
    const waitingBefore = JSON.stringify([await conversationOf(db(), waiting.channel, waiting.userId), await messagesOf(db(), waiting.conversationId)]);
    const officialBefore = JSON.stringify([await db().select().from(t.licences).orderBy(t.licences.number), await db().select().from(t.appraisalBookings)]);
    const overviewBefore = await overview(db(), RANGE);
    const rowsBefore = await countedRows(db());
    const progressBefore = await broadcastProgress(db(), old.broadcastId, NOW);

    const summary = await runRetention(db(), POLICY, NOW);
    expect(summary.complete).toBe(true);

    // The old person's chat: identity and context gone, content redacted, counted facts kept.
    expect(await conversationOf(db(), old.channel, old.userId)).toBeUndefined();
    const [renamed] = await db().select().from(t.conversations).where(eq(t.conversations.id, old.conversationId));
    expect(renamed!.channelUserId.startsWith(PSEUDONYM_PREFIX)).toBe(true);
    expect(renamed!.context).toEqual({});
    const redacted = await messagesOf(db(), old.conversationId);
    expect(redacted.map((m) => [m.direction, m.text, m.payload, m.meta, m.platformMessageId, m.intent, m.procedure])).toEqual([
      ['in', REDACTED, null, null, null, 'procedure.fee', 'attp'],
      ['out', REDACTED, null, null, null, 'procedure.fee', 'attp'],
      ['in', null, REDACTED, null, null, 'greeting', null],
    ]);
    const [rating] = await db().select().from(t.feedback).where(eq(t.feedback.conversationId, old.conversationId));
    expect([rating!.rating, rating!.comment, rating!.procedure]).toEqual([4, null, 'attp']);
    // The pseudonym can never be written to.
    const [tombstone] = await db().select().from(t.channelContacts).where(eq(t.channelContacts.channelUserId, renamed!.channelUserId));
    expect(tombstone!.following).toBe(false);

    // Contacts: a follower keeps the follow but not what they shared; a non-follower is gone.
    expect(await contactOf(db(), old)).toMatchObject({ following: true, displayName: null, phone: null, address: null });
    expect(await contactOf(db(), unfollowed)).toBeUndefined();
    // Protected people: a licence in force, an appraisal to come, an open hand-over.
    expect(await contactOf(db(), holder)).toMatchObject({ displayName: holder.name, phone: holder.phone });
    expect(await contactOf(db(), booked)).toMatchObject({ displayName: booked.name, phone: booked.phone });
    expect(await contactOf(db(), waiting)).toMatchObject({ displayName: waiting.name });
    expect(JSON.stringify([await conversationOf(db(), waiting.channel, waiting.userId), await messagesOf(db(), waiting.conversationId)])).toBe(waitingBefore);
    const links = await db().select().from(t.licenceLinks);
    expect(links.map((l) => l.channelUserId)).toEqual([holder.userId]);
    expect(JSON.stringify([await db().select().from(t.licences).orderBy(t.licences.number), await db().select().from(t.appraisalBookings)])).toBe(officialBefore);

    // Raw data past 30 days: processed events deleted, a pending one kept; sent bodies emptied, waiting ones kept.
    const events = await db().select().from(t.inboundEvents).orderBy(t.inboundEvents.id);
    expect(events.map((e) => e.channelUserId)).toEqual(['new3001', 'old1001']);
    expect(events[1]!.status).toBe('pending');
    expect(await outboxOf(db(), middle.keys.sent)).toMatchObject({ status: 'sent', recipient: ANONYMISED, content: ANONYMISED, purpose: 'reply' });
    expect(await outboxOf(db(), middle.keys.zns)).toMatchObject({ recipient: ANONYMISED, content: ANONYMISED });
    expect(await outboxOf(db(), old.keys.pending)).toMatchObject({ status: 'pending', recipient: { userId: old.userId } });
    expect(await outboxOf(db(), recent.keys.sent)).toMatchObject({ recipient: { userId: recent.userId } });
    expect((await db().select().from(t.licenceLinkCodes)).map((c) => c.channelUserId)).toEqual([]);
    expect((await db().select().from(t.loginAttempts)).map((a) => a.email)).toEqual(['new@motcua.test']);

    // Younger than a year: the chat itself is untouched.
    expect(JSON.stringify(await messagesOf(db(), middle.conversationId))).toBe(middleMessagesBefore);
    expect(JSON.stringify(await messagesOf(db(), recent.conversationId))).toBe(recentBefore);
    expect(await contactOf(db(), recent)).toMatchObject({ displayName: recent.name, phone: recent.phone });

    // Finished broadcasts: recipient and outbox key share a pseudonym, progress reads the same.
    const recipients = await db().select().from(t.broadcastRecipients).where(eq(t.broadcastRecipients.broadcastId, old.broadcastId));
    expect(recipients[0]!.channelUserId.startsWith(PSEUDONYM_PREFIX)).toBe(true);
    expect(await outboxOf(db(), `broadcast:${old.broadcastId}:zalo:${recipients[0]!.channelUserId}`)).toMatchObject({ status: 'sent', recipient: ANONYMISED });
    expect(await broadcastProgress(db(), old.broadcastId, NOW)).toEqual(progressBefore);
    expect(progressBefore.counts.sent).toBe(1);

    // Analytics: the same numbers for the same period.
    expect(await overview(db(), RANGE)).toEqual(overviewBefore);
    expect(await countedRows(db())).toEqual(rowsBefore);
    expect(overviewBefore.messagesIn).toBe(14);
  });

  it('changes nothing when run again', async () => {
    await seedPerson(db(), { userId: 'old4001', phone: '0944000001', at: daysAgo(500), licenceNumber: 'OLD/4', licenceExpiresOn: '2024-06-01' });
    await seedPerson(db(), { userId: 'new4002', phone: '0944000002', at: daysAgo(5) });
    const first = await runRetention(db(), POLICY, NOW);
    expect(first.counts.messages).toBe(3);
    expect(first.counts.conversations).toBe(1);
    const after = await dumpPersonalTables(db());

    const second = await runRetention(db(), POLICY, NOW);
    expect(second).toEqual({ counts: Object.fromEntries(RETENTION_STEPS.map((s) => [s, 0])), complete: true });
    expect(await dumpPersonalTables(db())).toBe(after);
  });

  it('reaches the same end in small batches, and a capped run leaves the rest to the next', async () => {
    const people = [];
    for (let i = 0; i < 5; i += 1) people.push(await seedPerson(db(), { userId: `batch500${i}`, phone: `095500000${i}`, at: daysAgo(400 + i) }));

    const capped = await runRetention(db(), POLICY, NOW, { batchSize: 2, maxBatchesPerStep: 1 });
    expect(capped.complete).toBe(false);
    expect(capped.counts.messages).toBe(2);
    expect(capped.counts.conversations).toBe(2);
    // Oldest idle conversations first.
    const stillNamed = [];
    for (const p of people) if (await conversationOf(db(), p.channel, p.userId)) stillNamed.push(p.userId);
    expect(stillNamed).toEqual(['batch5000', 'batch5001', 'batch5002']);

    const rest = await runRetention(db(), POLICY, NOW, { batchSize: 2 });
    expect(rest.complete).toBe(true);
    expect(rest.counts.messages).toBe(13);
    expect(rest.counts.conversations).toBe(3);
    expect(capped.counts.inboundEvents + rest.counts.inboundEvents).toBe(5);
    const left = await db().select().from(t.messages);
    expect(left.filter((m) => m.platformMessageId !== null || (m.text && m.text !== REDACTED))).toEqual([]);
    expect((await runRetention(db(), POLICY, NOW, { batchSize: 2 })).counts.messages).toBe(0);
  });

  it('refuses a batch size that could never finish', async () => {
    await expect(runRetention(db(), POLICY, NOW, { batchSize: 0 })).rejects.toThrow(/batchSize/);
  });

  it('runs nightly in Vietnam time as a worker job, logging counts and never the data', async () => {
    const person = await seedPerson(db(), { userId: 'job6001', phone: '0966100001', at: daysAgo(400) });
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    const job = retentionJob(db(), POLICY, createLogger('info', 'test', stream));
    expect(job.schedule).toBe('30 2 * * *');
    expect(cron.validate(job.schedule)).toBe(true);

    await job.run(NOW);
    expect(await conversationOf(db(), person.channel, person.userId)).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([expect.objectContaining({ msg: 'personal data past retention anonymised or deleted', messages: 3, conversations: 1, complete: true })]);
    expect(lines.join('\n')).not.toContain(person.userId);
  });
});
