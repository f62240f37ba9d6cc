/**
 * Delivery under a controllable clock: the job hands frozen recipients to the outbox in batches, and
 * the real outbox worker delivers them through recording channels (with the real channel policies
 * where the test is about policy). Exactly once across pause/resume, cancel, schedule and re-runs.
 */
import {
  broadcastProgress,
  changeStatus,
  createBroadcast,
  deliverBroadcasts,
  getBroadcast,
  OPT_OUT_PAYLOAD,
  type Segment,
} from '../../src/broadcasts';
import { describeEachDatabase } from '../support/db';
import { addContact, DAY, futureVietnamTime, HOUR, i18n, optOut, T0, testDelivery } from './support';

const everyone: Segment = { kind: 'followers', channel: 'all' };

describeEachDatabase('broadcast delivery', (getDb) => {
  const db = () => getDb().database.db;
  const tick = (now: Date, batchSize = 2, maxInFlight = 2) => deliverBroadcasts(db(), now, { i18n, batchSize, maxInFlight });
  const create = async (scheduledAt = T0, segment = everyone) => {
    const result = await createBroadcast(db(), { title: 'Lịch làm việc sáng Chủ nhật', text: 'Từ tuần này Bộ phận Một cửa nhận hồ sơ sáng Chủ nhật.', segment, scheduledAt, createdBy: null }, T0);
    if (!result.ok) throw new Error('broadcast not created');
    return result.broadcast;
  };
  const followers = async (n: number) => {
    for (let i = 1; i <= n; i += 1) await addContact(db(), 'zalo', `z-${i}`);
  };

  it('freezes the recipients at creation: later followers are not added, and an empty segment creates nothing', async () => {
    expect(await createBroadcast(db(), { title: 't', text: 'x', segment: everyone, scheduledAt: T0, createdBy: null }, T0)).toEqual({ ok: false, reason: 'empty' });
    expect(await getDb().database.query('select * from broadcasts')).toHaveLength(0);
    await followers(3);
    const b = await create();
    expect(b.recipientCount).toBe(3);
    await addContact(db(), 'messenger', 'm-late');
    const delivery = testDelivery(db());
    for (let i = 0; i < 4; i += 1) {
      await tick(T0);
      await delivery.worker.drain();
    }
    expect(delivery.sentKeys().sort()).toEqual([1, 2, 3].map((i) => `broadcast:${b.id}:zalo:z-${i}`));
    expect((await getBroadcast(db(), b.id))?.status).toBe('done');
  });

  it('sends the text with the opt-out quick reply, for the purpose "broadcast"', async () => {
    await followers(1);
    await create();
    const delivery = testDelivery(db());
    await tick(T0);
    await delivery.worker.drain();
    const [sent] = delivery.zalo.sent;
    expect(sent?.message.purpose).toBe('broadcast');
    expect(sent?.message.content).toEqual({
      type: 'reply',
      reply: { text: 'Từ tuần này Bộ phận Một cửa nhận hồ sơ sáng Chủ nhật.', quickReplies: [{ title: 'Ngừng nhận thông báo', payload: OPT_OUT_PAYLOAD }] },
    });
  });

  it('paused mid-way and resumed, delivers each recipient exactly once', async () => {
    await followers(5);
    const b = await create();
    const delivery = testDelivery(db());
    expect(await tick(T0)).toMatchObject({ started: 1, queued: 2 });
    // At most two in flight: the next tick hands nothing over until the outbox has sent them.
    expect((await tick(T0)).queued).toBe(0);
    await delivery.worker.drain();
    expect(await changeStatus(db(), b.id, 'pause', T0)).toEqual({ ok: true, before: 'sending', after: 'paused' });

    expect((await tick(new Date(T0.getTime() + HOUR))).queued).toBe(0);
    await delivery.worker.drain();
    expect(delivery.sentKeys()).toHaveLength(2);
    expect(await broadcastProgress(db(), b.id, T0)).toMatchObject({ total: 5, pending: 3, counts: { sent: 2 } });

    expect(await changeStatus(db(), b.id, 'resume', T0)).toEqual({ ok: true, before: 'paused', after: 'sending' });
    for (let i = 0; i < 5; i += 1) {
      // Two passes at once, as two worker processes would run them.
      await Promise.all([tick(T0), tick(T0)]);
      await delivery.worker.drain();
    }
    const keys = delivery.sentKeys();
    expect(keys).toHaveLength(5);
    expect(new Set(keys).size).toBe(5);
    expect(await broadcastProgress(db(), b.id, T0)).toMatchObject({ total: 5, pending: 0, counts: { sent: 5, queued: 0, failed: 0 } });
    expect((await getBroadcast(db(), b.id))?.status).toBe('done');
  });

  it('cancel stops the rest, withdrawing what was queued but not yet sent', async () => {
    await followers(5);
    const b = await create();
    const delivery = testDelivery(db());
    await tick(T0);
    await delivery.worker.drain();
    await tick(T0); // two more queued, not yet sent
    expect(await changeStatus(db(), b.id, 'cancel', T0)).toEqual({ ok: true, before: 'sending', after: 'cancelled' });
    await tick(T0);
    await delivery.worker.drain();
    expect(delivery.sentKeys()).toHaveLength(2);
    expect(await broadcastProgress(db(), b.id, T0)).toMatchObject({ total: 5, pending: 1, counts: { sent: 2, cancelled: 2, queued: 0 } });
    // A cancelled broadcast cannot be resumed or cancelled again.
    expect(await changeStatus(db(), b.id, 'resume', T0)).toEqual({ ok: false, reason: 'not_allowed', status: 'cancelled' });
    expect(await changeStatus(db(), b.id, 'cancel', T0)).toMatchObject({ ok: false, reason: 'not_allowed' });
  });

  it('a scheduled broadcast waits for its time; pausing before then and resuming keeps it waiting', async () => {
    await followers(2);
    const at = new Date(T0.getTime() + 2 * HOUR);
    const b = await create(at);
    const delivery = testDelivery(db());
    expect(await tick(T0, 10, 10)).toEqual({ started: 0, queued: 0, skipped: 0, finished: 0 });
    await changeStatus(db(), b.id, 'pause', T0);
    expect(await changeStatus(db(), b.id, 'resume', new Date(T0.getTime() + HOUR))).toMatchObject({ after: 'scheduled' });
    expect((await tick(new Date(at.getTime() - 1), 10, 10)).queued).toBe(0);
    await delivery.worker.drain();
    expect(delivery.sentKeys()).toHaveLength(0);
    expect(await tick(at, 10, 10)).toMatchObject({ started: 1, queued: 2 });
    await delivery.worker.drain();
    expect(delivery.sentKeys()).toHaveLength(2);
    expect((await getBroadcast(db(), b.id))?.startedAt).toEqual(at);
  });

  it('skips people who opt out after the list was frozen', async () => {
    await followers(3);
    const b = await create();
    await optOut(db(), 'zalo', 'z-2');
    const delivery = testDelivery(db());
    expect(await tick(T0, 10, 10)).toMatchObject({ queued: 2, skipped: 1 });
    await delivery.worker.drain();
    expect(delivery.sentKeys().sort()).toEqual([`broadcast:${b.id}:zalo:z-1`, `broadcast:${b.id}:zalo:z-3`]);
    expect(await broadcastProgress(db(), b.id, T0)).toMatchObject({ optedOut: 1, counts: { sent: 2 } });
  });

  it('shows refusals by channel policy with their reasons, and waits out the night', async () => {
    await addContact(db(), 'zalo', 'z-recent', { lastInboundAt: new Date(T0.getTime() - DAY) });
    await addContact(db(), 'zalo', 'z-silent', { lastInboundAt: new Date(T0.getTime() - 10 * DAY) });
    await addContact(db(), 'messenger', 'm-recent', { lastInboundAt: new Date(T0.getTime() - 2 * HOUR) });
    await addContact(db(), 'messenger', 'm-stale', { lastInboundAt: new Date(T0.getTime() - 30 * HOUR) });
    const b = await create();
    const delivery = testDelivery(db(), { realPolicies: true });
    await tick(T0, 10, 10);
    await delivery.worker.drain();
    const progress = await broadcastProgress(db(), b.id, T0);
    expect(progress.counts).toMatchObject({ sent: 2, refused: 2, failed: 0 });
    expect(progress.reasons.map((r) => [r.kind, r.key, r.count]).sort()).toEqual([
      ['refused', 'messengerOutsideWindow', 1],
      ['refused', 'zaloOutsideWindow', 1],
    ]);

    // 23:00 some night ahead (the outbox's retry time must lie in the real future): Zalo holds the
    // message of whoever is still in the window until 06:00, and refuses the one outside it.
    const night = futureVietnamTime(23);
    await addContact(db(), 'zalo', 'z-night', { lastInboundAt: new Date(night.getTime() - HOUR) });
    await getDb().database.query("update channel_contacts set last_inbound_at = $1 where channel_user_id = 'z-recent'", [new Date(night.getTime() - DAY)]);
    const late = await create(night, { kind: 'followers', channel: 'zalo' });
    const nightDelivery = testDelivery(db(), { realPolicies: true, policyAt: night });
    await tick(night, 10, 10);
    await nightDelivery.worker.drain();
    const held = await broadcastProgress(db(), late.id, night);
    expect(held.counts).toMatchObject({ waiting: 2, refused: 1, sent: 0 });
    expect(held.reasons.map((r) => [r.kind, r.key, r.count]).sort()).toEqual([
      ['refused', 'zaloOutsideWindow', 1],
      ['waiting', 'quietHours', 2],
    ]);
    expect((await getBroadcast(db(), late.id))?.status).toBe('sending'); // not done while a message waits
  });
});
