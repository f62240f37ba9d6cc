/**
 * The ladder under a controllable clock: a tick every day for months, each step sent once and on its
 * day; a re-run sends nothing; an outage catches up with one message; nothing after expiry + 1;
 * unsubscribed identities are left alone; per-type ladders override the default.
 */
import { planSteps } from '../../../src/licences/reminders';
import { tables } from '../../../src/db';
import { recordingChannel } from '../../support/test-channel';
import { describeEachDatabase } from '../../support/db';
import { addLicence, linkIdentity, remindersOf, tickAt, vn } from './support';

/** Every day from `from` to `to` inclusive (`YYYY-MM-DD`). */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

describe('planSteps', () => {
  const ladder = [60, 30, 7, 1, -1];
  it('sends the step due today and nothing when it is recorded', () => {
    expect(planSteps(ladder, '2027-03-01', '2027-02-22', new Set([60, 30]))).toEqual({ send: { step: 7, dueOn: '2027-02-22' }, skip: [] });
    expect(planSteps(ladder, '2027-03-01', '2027-02-23', new Set([60, 30, 7]))).toEqual({ skip: [] });
    expect(planSteps(ladder, '2027-03-01', '2026-12-30', new Set())).toEqual({ skip: [] }); // nothing due yet
  });

  it('after missed days sends only the most recent step and skips the older ones with a note', () => {
    const plan = planSteps(ladder, '2027-03-01', '2027-02-25', new Set([60]));
    expect(plan.send).toEqual({ step: 7, dueOn: '2027-02-22' });
    expect(plan.skip).toEqual([{ step: 30, dueOn: '2027-01-30', note: expect.stringContaining('superseded by the 7-day reminder') }]);
  });

  it('ends the day after expiry: later, everything still open is skipped as too late', () => {
    expect(planSteps(ladder, '2027-03-01', '2027-03-02', new Set([60, 30, 7, 1])).send).toEqual({ step: -1, dueOn: '2027-03-02' });
    const late = planSteps(ladder, '2027-03-01', '2027-03-04', new Set([60, 30, 7, 1]));
    expect(late.send).toBeUndefined();
    expect(late.skip).toEqual([{ step: -1, dueOn: '2027-03-02', note: expect.stringContaining('too late') }]);
  });
});

describeEachDatabase('reminder ladder over months', (getDb) => {
  const db = () => getDb().database.db;

  it('sends each step once, on its day, across month and year ends; re-running a day sends nothing more', async () => {
    const zalo = recordingChannel('zalo');
    zalo.decide = () => ({ action: 'send', mode: { via: 'zalo_cs' } });
    const march = await addLicence(db(), { expiresOn: '2027-03-01' }); // 2027 is not a leap year
    const january = await addLicence(db(), { expiresOn: '2027-01-31' });
    await linkIdentity(db(), march.id, { channel: 'zalo', userId: 'z-march', lastInboundAt: vn('2026-11-20') });
    await linkIdentity(db(), january.id, { channel: 'zalo', userId: 'z-january', lastInboundAt: vn('2026-11-20') });

    const sentOn: string[] = [];
    for (const day of days('2026-11-25', '2027-03-06')) {
      const before = zalo.sent.length;
      await tickAt(db(), { zalo }, vn(day, '08:00'));
      if (day === '2027-01-30') expect((await tickAt(db(), { zalo }, vn(day, '15:00'))).planned).toBe(0); // the hourly catch-up tick
      for (const s of zalo.sent.slice(before)) sentOn.push(`${day} ${s.message.recipient.userId} ${s.message.dedupeKey.split(':').pop()}`);
    }
    expect(sentOn.sort()).toEqual([
      '2026-12-02 z-january 60',
      '2026-12-31 z-march 60',
      '2027-01-01 z-january 30',
      '2027-01-24 z-january 7',
      '2027-01-30 z-january 1',
      '2027-01-30 z-march 30',
      '2027-02-01 z-january -1',
      '2027-02-22 z-march 7',
      '2027-02-28 z-march 1',
      '2027-03-02 z-march -1',
    ]);
    const texts = zalo.sent.map((s) => (s.message.content.type === 'reply' ? s.message.content.reply.text : ''));
    expect(texts[0]).toContain('sẽ hết hạn vào ngày 31/01/2027, còn 60 ngày');
    expect(texts.filter((t) => t.includes('hết hạn hôm nay'))).toEqual([]); // no step on the day itself
    expect(texts.filter((t) => t.includes('đã hết hạn từ ngày 31/01/2027'))).toHaveLength(1);
    expect(await remindersOf(db(), march.id)).toEqual(
      [60, 30, 7, 1, -1].map((step) => expect.objectContaining({ step, status: 'queued', deliveries: [{ channel: 'zalo', dedupeKey: `licence:${march.id}:expiry:2027-03-01:${step}` }] })),
    );
  }, 180_000);

  it('catches up after a 10-day outage with one message, not several; after expiry + 1 nothing more', async () => {
    const zalo = recordingChannel('zalo');
    const licence = await addLicence(db(), { expiresOn: '2027-02-10' });
    const lateComer = await addLicence(db(), { expiresOn: '2027-01-20' }); // expired before the server came back
    for (const l of [licence, lateComer]) await linkIdentity(db(), l.id, { channel: 'zalo', userId: `z-${l.id}`, lastInboundAt: vn('2027-01-01') });
    // First tick: each licence gets only its most recent due step (60 days / 30 days), not a backlog.
    expect(await tickAt(db(), { zalo }, vn('2027-01-05'))).toMatchObject({ planned: 3, queued: 2, skipped: 1, sent: 2 });
    // Down from 2027-01-06 to 2027-02-04: the 30-day (01-11) and 7-day (02-03) steps were missed.
    const back = await tickAt(db(), { zalo }, vn('2027-02-05'));
    expect(back).toMatchObject({ planned: 2, queued: 1, skipped: 1, sent: 1 });
    const caughtUp = zalo.sent[2];
    expect(caughtUp?.message.dedupeKey).toBe(`licence:${licence.id}:expiry:2027-02-10:7`);
    expect(caughtUp?.message.content).toMatchObject({ reply: { text: expect.stringContaining('còn 5 ngày') } });
    expect(await remindersOf(db(), licence.id)).toEqual([
      expect.objectContaining({ step: 60, status: 'queued' }),
      expect.objectContaining({ step: 30, status: 'skipped', note: expect.stringContaining('superseded by the 7-day reminder') }),
      expect.objectContaining({ step: 7, status: 'queued' }),
    ]);
    // lateComer expired 01-20: its 7, 1 and -1 steps fell in the outage and its ladder is over: no late "expired" message.
    expect((await remindersOf(db(), lateComer.id)).map((r) => `${r.step} ${r.status}`)).toEqual(['60 skipped', '30 queued']);
    expect((await tickAt(db(), { zalo }, vn('2027-02-05', '10:00'))).planned).toBe(0);
    expect(zalo.sent).toHaveLength(3);
  });

  it('skips unsubscribed identities; a licence reachable by nobody is left for an officer to phone', async () => {
    const zalo = recordingChannel('zalo');
    const both = await addLicence(db(), { expiresOn: '2027-01-08' });
    const onlyUnsubscribed = await addLicence(db(), { expiresOn: '2027-01-08', phone: '0912000009' });
    await linkIdentity(db(), both.id, { channel: 'zalo', userId: 'z-stays', lastInboundAt: vn('2026-12-30') });
    await linkIdentity(db(), both.id, { channel: 'zalo', userId: 'z-left', lastInboundAt: vn('2026-12-30'), unsubscribed: true });
    await linkIdentity(db(), onlyUnsubscribed.id, { channel: 'zalo', userId: 'z-gone', lastInboundAt: vn('2026-12-30'), unsubscribed: true });
    const noIdentity = await addLicence(db(), { expiresOn: '2027-01-08' });
    // With a ZNS template configured, the unsubscribed holder's phone would otherwise get a ZNS.
    const summary = await tickAt(db(), { zalo }, vn('2027-01-01'), { znsTemplateId: 'tpl-expiry' });
    expect(summary).toMatchObject({ planned: 9, queued: 1, noChannel: 2, skipped: 6, sent: 1 });
    expect(zalo.sent.map((s) => s.message.recipient.userId)).toEqual(['z-stays']);
    expect(await remindersOf(db(), onlyUnsubscribed.id)).toContainEqual(
      expect.objectContaining({
        step: 7,
        status: 'no_channel',
        note: 'zalo:z-gone: unsubscribed from reminders on this channel | phone 0912000009: not used for ZNS, the holder opted out of Zalo',
        deliveries: [],
      }),
    );
    expect(await remindersOf(db(), noIdentity.id)).toContainEqual(
      expect.objectContaining({ step: 7, status: 'no_channel', note: 'no subscribed chat identity and no phone on the licence' }),
    );
  });

  it('uses the licence type\'s own ladder when one is set', async () => {
    const zalo = recordingChannel('zalo');
    await db().insert(tables.reminderLadders).values({ procedureSlug: 'attp', steps: [14, 3] });
    const food = await addLicence(db(), { expiresOn: '2027-01-15', procedureSlug: 'attp' });
    const other = await addLicence(db(), { expiresOn: '2027-03-15' }); // default ladder: first step 2027-01-14
    for (const l of [food, other]) await linkIdentity(db(), l.id, { channel: 'zalo', userId: `z-${l.id}`, lastInboundAt: vn('2026-12-30') });
    await tickAt(db(), { zalo }, vn('2027-01-01')); // 14 days before: attp's first step; the default ladder has none today
    expect(zalo.sent.map((s) => s.message.dedupeKey)).toEqual([`licence:${food.id}:expiry:2027-01-15:14`]);
  });
});
