/**
 * A broadcast end to end on Zalo: a follower who wrote to the OA receives the announcement at the
 * fake Zalo platform with the native "Ngừng nhận thông báo" button; tapping it (a signed webhook
 * carrying the button's `#BCAST:optout`) records the opt-out and the confirmation arrives at the fake.
 */
import { countSegment, createBroadcast, deliverBroadcasts } from '../../src/broadcasts';
import { createLogger } from '../../src/logger';
import { OutboxWorker } from '../../src/outbox';
import { signZaloWebhook, zaloFollowEvent, zaloTextEvent, type FakeZalo } from '../fakes/zalo';
import { eventually, type RunningApp } from '../support/app';
import { describeEachDatabase } from '../support/db';
import { startZaloApp, ZALO_KEYS } from '../support/zalo-app';
import { futureVietnamTime, i18n } from './support';

const keys = ZALO_KEYS;
const TEXT = 'Thứ Sáu này Bộ phận Một cửa làm việc đến 19:00 để giải quyết hồ sơ tồn đọng.';

describeEachDatabase('broadcast on Zalo end to end', (getDb) => {
  let fake: FakeZalo;
  let app: RunningApp;
  beforeEach(async () => {
    ({ fake, app } = await startZaloApp(getDb().database));
  });
  afterEach(async () => {
    await app.close();
    await fake.close();
  });

  const post = async (body: object) => {
    const signed = signZaloWebhook(body, keys);
    return (await fetch(`${app.baseUrl}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.rawBody })).status;
  };
  const messagesTo = (userId: string) => fake.received.filter((r) => r.body?.recipient?.user_id === userId).map((r) => r.body.message);

  it('delivers the announcement with the opt-out button, and the tap opts the person out', async () => {
    expect(await post(zaloFollowEvent({ appId: keys.appId, userId: '8001' }))).toBe(200);
    expect(await post(zaloTextEvent({ appId: keys.appId, userId: '8001', text: 'xin chào' }))).toBe(200);
    await eventually(() => messagesTo('8001').length > 0);

    const db = getDb().database.db;
    const created = await createBroadcast(db, { title: 'Làm thêm giờ thứ Sáu', text: TEXT, segment: { kind: 'followers', channel: 'zalo' }, scheduledAt: new Date(), createdBy: null }, new Date());
    expect(created).toMatchObject({ ok: true, broadcast: { recipientCount: 1 } });
    expect(await deliverBroadcasts(db, new Date(), { i18n })).toMatchObject({ started: 1, queued: 1 });
    // Delivered by a worker judging at 10:00 Vietnam time (the real hour may be Zalo's quiet night),
    // through the app's own Zalo policy and sender, to the fake platform.
    const zalo = app.services.channels.zalo;
    if (!zalo) throw new Error('Zalo channel not configured');
    const dayTime = futureVietnamTime(10);
    await new OutboxWorker({ db, channels: { zalo }, logger: createLogger('silent'), ratePerMinute: {}, maxAttempts: 3, clock: () => dayTime }).drain();
    const announcement = await eventually(() => messagesTo('8001').find((m) => m.text === TEXT));
    expect(announcement.attachment.payload.buttons).toEqual([{ title: 'Ngừng nhận thông báo', type: 'oa.query.hide', payload: '#BCAST:optout' }]);

    expect(await post(zaloTextEvent({ appId: keys.appId, userId: '8001', text: '#BCAST:optout' }))).toBe(200);
    await eventually(() => messagesTo('8001').find((m) => m.text === i18n.t('broadcasts.optOut.confirmed')));
    expect(await getDb().database.query('select channel, channel_user_id from broadcast_opt_outs')).toEqual([{ channel: 'zalo', channel_user_id: '8001' }]);
    expect((await countSegment(db, { kind: 'followers', channel: 'zalo' }, new Date())).total).toBe(0);
  });
});
