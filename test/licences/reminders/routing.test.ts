/**
 * Routing through the real channel policies and senders, out to the fake Zalo (CS and ZNS) and the
 * fake Graph API: Zalo CS inside the 7-day window, ZNS outside it with the contract's template data,
 * Messenger inside its window, "no reachable channel" otherwise; quiet hours hold reminders until
 * 06:00; a refusal at send time is marked on the reminder, not lost.
 */
import { configuredChannels } from '../../../src/channels/registry';
import { loadConfig } from '../../../src/config';
import { znsTrackingId } from '../../../src/channels/zalo';
import { startFakeZalo, type FakeZalo } from '../../fakes/zalo';
import { startFakeGraph, type FakeGraph } from '../../fakes/graph';
import { describeEachDatabase } from '../../support/db';
import { addLicence, linkIdentity, remindersOf, silent, tickAt, vn, type TestChannels } from './support';

const TEMPLATE = 'tpl-licence-expiry';
const HOUR = 3_600_000;

describeEachDatabase('reminder routing', (getDb) => {
  const db = () => getDb().database.db;
  let zalo: FakeZalo;
  let graph: FakeGraph;
  let channels: TestChannels;
  beforeEach(async () => {
    zalo = await startFakeZalo({ appId: 'app-1', appSecret: 'app-secret', initialAccessToken: 'at-1', initialRefreshToken: 'rt-1' });
    graph = await startFakeGraph({ pageAccessToken: 'page-token', appSecret: 'messenger-secret' });
    const config = loadConfig({
      ZALO_APP_ID: 'app-1',
      ZALO_APP_SECRET: 'app-secret',
      ZALO_ACCESS_TOKEN: 'at-1',
      ZALO_REFRESH_TOKEN: 'rt-1',
      ZALO_API_BASE_URL: zalo.baseUrl,
      ZALO_OAUTH_BASE_URL: zalo.baseUrl,
      ZALO_ZNS_BASE_URL: zalo.baseUrl,
      MESSENGER_APP_SECRET: 'messenger-secret',
      MESSENGER_PAGE_ACCESS_TOKEN: 'page-token',
      MESSENGER_PAGE_ID: graph.pageId,
      GRAPH_API_BASE_URL: graph.baseUrl,
      GRAPH_API_VERSION: graph.version,
    });
    channels = configuredChannels(config, db(), silent) as TestChannels;
  });
  afterEach(async () => {
    await zalo.close();
    await graph.close();
  });
  const tick = (at: Date) => tickAt(db(), channels, at, { znsTemplateId: TEMPLATE, ladderDays: [7, 1] });

  it('chooses Zalo CS, ZNS with the template data, Messenger, or no channel', async () => {
    const at = vn('2026-12-01', '09:00');
    const expiresOn = '2026-12-08';
    const csLicence = await addLicence(db(), { expiresOn });
    await linkIdentity(db(), csLicence.id, { channel: 'zalo', userId: 'zalo-recent', lastInboundAt: new Date(at.getTime() - 2 * 24 * HOUR) });
    const znsLicence = await addLicence(db(), { expiresOn, holderName: 'Cửa hàng Phân bón Hòa Bình', number: '123/2024/GCN-BVTV' });
    await linkIdentity(db(), znsLicence.id, { channel: 'zalo', userId: 'zalo-old', lastInboundAt: new Date(at.getTime() - 20 * 24 * HOUR), phone: '0912000002' });
    const messengerLicence = await addLicence(db(), { expiresOn });
    await linkIdentity(db(), messengerLicence.id, { channel: 'messenger', userId: 'psid-recent', lastInboundAt: new Date(at.getTime() - 2 * HOUR) });
    const staleMessenger = await addLicence(db(), { expiresOn });
    await linkIdentity(db(), staleMessenger.id, { channel: 'messenger', userId: 'psid-old', lastInboundAt: new Date(at.getTime() - 3 * 24 * HOUR) });
    const phoneOnly = await addLicence(db(), { expiresOn, phone: '0987000005' });
    const nobody = await addLicence(db(), { expiresOn });

    const summary = await tick(at);
    expect(summary).toMatchObject({ today: '2026-12-01', planned: 6, queued: 4, noChannel: 2, skipped: 0, sent: 4, failed: 0, waiting: 0 });

    const cs = zalo.received.filter((r) => r.kind === 'cs');
    expect(cs.map((r) => r.body.recipient.user_id)).toEqual(['zalo-recent']);
    expect(cs[0]?.body.message.text).toContain('sẽ hết hạn vào ngày 08/12/2026, còn 7 ngày');
    const zns = zalo.received.filter((r) => r.kind === 'zns').sort((a, b) => String(a.body.phone).localeCompare(String(b.body.phone)));
    expect(zns.map((r) => r.body.phone)).toEqual(['84912000002', '84987000005']);
    expect(zns[0]?.body).toMatchObject({
      template_id: TEMPLATE,
      tracking_id: znsTrackingId(`licence:${znsLicence.id}:expiry:2026-12-08:7`), // the dedupe key, digested to ZNS's 48 characters
    });
    expect(zns[0]?.body.template_data).toEqual({
      customer_name: 'Cửa hàng Phân bón Hòa Bình',
      licence_number: '123/2024/GCN-BVTV',
      licence_type: 'buon-ban-thuoc-bvtv', // no knowledge base loaded: the slug stands in for the name
      expiry_date: '08/12/2026',
      days_left: '7',
    });
    expect(graph.received.map((m) => [m.recipientId, m.messagingType])).toEqual([['psid-recent', 'UPDATE']]);
    expect(graph.received[0]?.message.text ?? graph.received[0]?.message.attachment?.payload?.text).toContain('còn 7 ngày');

    expect(await remindersOf(db(), staleMessenger.id)).toEqual([
      expect.objectContaining({ status: 'no_channel', note: expect.stringContaining('messenger:psid-old: outside the Messenger 24-hour window') }),
    ]);
    expect(await remindersOf(db(), nobody.id)).toEqual([expect.objectContaining({ status: 'no_channel', deliveries: [] })]);
    expect(await remindersOf(db(), phoneOnly.id)).toEqual([
      expect.objectContaining({ status: 'queued', deliveries: [{ channel: 'zalo', dedupeKey: `licence:${phoneOnly.id}:expiry:2026-12-08:7` }] }),
    ]);
    expect((await tick(new Date(at.getTime() + HOUR))).planned).toBe(0);
    expect(zalo.received).toHaveLength(3);
  });

  it('a tick at 23:00 queues but sends nothing until 06:00', async () => {
    const night = vn('2026-12-01', '23:00');
    const expiresOn = '2026-12-08';
    const cs = await addLicence(db(), { expiresOn });
    await linkIdentity(db(), cs.id, { channel: 'zalo', userId: 'zalo-night', lastInboundAt: new Date(night.getTime() - 24 * HOUR) });
    await addLicence(db(), { expiresOn, phone: '0987000006' });
    const messenger = await addLicence(db(), { expiresOn });
    await linkIdentity(db(), messenger.id, { channel: 'messenger', userId: 'psid-night', lastInboundAt: new Date(night.getTime() - 2 * HOUR) });

    const atNight = await tick(night);
    expect(atNight).toMatchObject({ queued: 3, sent: 0, waiting: 3 });
    expect(atNight.waitingReasons).toEqual({
      'Zalo quiet hours (22:00–06:00 Vietnam time)': 2,
      'night in Vietnam (22:00–06:00): reminders and broadcasts wait for 06:00': 1,
    });
    expect(await tick(vn('2026-12-02', '05:59'))).toMatchObject({ planned: 0, sent: 0, waiting: 3 });
    expect(zalo.received).toHaveLength(0);
    expect(graph.received).toHaveLength(0);

    expect(await tick(vn('2026-12-02', '06:00'))).toMatchObject({ planned: 0, sent: 3, waiting: 0 });
    expect(zalo.received.map((r) => r.kind).sort()).toEqual(['cs', 'zns']);
    expect(graph.received).toHaveLength(1);
  });

  it('marks a reminder whose every message was refused at send time for an officer to phone', async () => {
    const at = vn('2026-12-01', '10:00');
    const licence = await addLicence(db(), { expiresOn: '2026-12-08' });
    await linkIdentity(db(), licence.id, { channel: 'messenger', userId: 'psid-gone', lastInboundAt: new Date(at.getTime() - HOUR) });
    graph.setOutsideWindow('psid-gone'); // Meta disagrees with our records: the window is closed

    const summary = await tick(at);
    expect(summary).toMatchObject({ queued: 1, sent: 0, failed: 1, unreachable: 1 });
    expect(await remindersOf(db(), licence.id)).toEqual([
      expect.objectContaining({ status: 'no_channel', note: expect.stringMatching(/^every message failed: messenger: outside_window/) }),
    ]);
  });
});
