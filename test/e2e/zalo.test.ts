/**
 * Zalo end to end: signed webhooks into the running app, answers out at the fake Zalo platform.
 * The app's clients talk to the fake through the configurable base URLs, as they would to Zalo.
 */
import { startFakeZalo, signZaloWebhook, zaloTextEvent, zaloMediaEvent, type FakeZalo } from '../fakes/zalo';
import { enqueueOutbound } from '../../src/outbox';
import { claimDue } from '../../src/outbox/store';
import { describeEachDatabase } from '../support/db';
import { startZaloApp, ZALO_KEYS } from '../support/zalo-app';
import { eventually, startApp, type RunningApp } from '../support/app';

const keys = ZALO_KEYS;

describeEachDatabase('Zalo end to end', (getDb) => {
  let fake: FakeZalo;
  let app: RunningApp;
  beforeEach(async () => {
    ({ fake, app } = await startZaloApp(getDb().database));
  });
  afterEach(async () => {
    await app.close();
    await fake.close();
  });

  const post = async (body: object | string, headers?: Record<string, string>) => {
    const signed = signZaloWebhook(body, keys);
    const res = await fetch(`${app.baseUrl}/webhooks/zalo`, {
      method: 'POST',
      headers: { ...signed.headers, ...headers },
      body: signed.rawBody,
    });
    return res.status;
  };
  const textsTo = (userId: string) => fake.received.filter((r) => r.body?.recipient?.user_id === userId).map((r) => String(r.body.message.text));

  it('answers a question with the right procedure, once, even when Zalo redelivers the webhook', async () => {
    const event = zaloTextEvent({ appId: keys.appId, userId: '7001', text: 'le phi dang ky ket hon bao nhieu', msgId: 'msg-1' });
    expect(await post(event)).toBe(200);
    expect(await post(event)).toBe(200); // Zalo retries: acknowledged, not answered again
    const texts = await eventually(() => (textsTo('7001').length ? textsTo('7001') : undefined));
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo('7001')).toHaveLength(1);
    expect(texts[0]).toContain('đăng ký kết hôn được miễn lệ phí');
    const sent = fake.received[0]!;
    expect(sent.accessToken).toBe('at-1');
    // Quick replies arrive as native buttons whose payload comes back as a "#…" message.
    expect(sent.body.message.attachment.payload.buttons[0]).toMatchObject({ type: 'oa.query.hide', payload: expect.stringMatching(/^#PROC:ket-hon:/) });
  });

  it('keeps one person in order and context: a follow-up names only the aspect', async () => {
    await post(zaloTextEvent({ appId: keys.appId, userId: '7002', text: 'lam giay khai sinh can giay to gi' }));
    await post(zaloTextEvent({ appId: keys.appId, userId: '7002', text: 'còn lệ phí thì sao' }));
    const texts = await eventually(() => (textsTo('7002').length >= 2 ? textsTo('7002') : undefined));
    expect(texts[0]).toContain('hồ sơ đăng ký khai sinh gồm');
    expect(texts[1]).toContain('đăng ký khai sinh được miễn lệ phí');
  });

  it('refuses a forged or unsigned webhook with 401 and stores nothing; a malformed one gets 400', async () => {
    const event = zaloTextEvent({ appId: keys.appId, userId: '7003', text: 'xin chào' });
    expect(await post(event, { 'x-zevent-signature': 'mac=' + '0'.repeat(64) })).toBe(401);
    const unsigned = await fetch(`${app.baseUrl}/webhooks/zalo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(unsigned.status).toBe(401);
    const malformed = await fetch(`${app.baseUrl}/webhooks/zalo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${'a'.repeat(64)}` },
      body: '{"app_id": "1234567890", "timestamp": "1", "event_name": ',
    });
    expect(malformed.status).toBe(400);
    expect(await getDb().database.query('select 1 from inbound_events')).toEqual([]);
  });

  it('answers an image politely, asking for text', async () => {
    await post(zaloMediaEvent({ appId: keys.appId, userId: '7004', type: 'image' }));
    const texts = await eventually(() => (textsTo('7004').length ? textsTo('7004') : undefined));
    expect(texts[0]).toContain('chỉ đọc được tin nhắn chữ');
  });

  it('recovers from an expired token mid-conversation with exactly one refresh', async () => {
    await post(zaloTextEvent({ appId: keys.appId, userId: '7005', text: 'xin chào' }));
    await eventually(() => textsTo('7005').length === 1);
    fake.expireAccessToken();
    await post(zaloTextEvent({ appId: keys.appId, userId: '7005', text: 'giờ làm việc thế nào' }));
    await post(zaloTextEvent({ appId: keys.appId, userId: '7006', text: 'xin chào' }));
    await eventually(() => textsTo('7005').length === 2 && textsTo('7006').length === 1);
    expect(fake.refreshCalls.filter((c) => c.ok)).toHaveLength(1);
    const [stored] = await getDb().database.query<{ access_token: string }>('select access_token from zalo_tokens');
    expect(stored?.access_token).not.toBe('at-1');
  });
});

describeEachDatabase('Zalo delivery across a crash', (getDb) => {
  it('a message claimed by a worker that died before sending is sent once after restart', async () => {
    const fake = await startFakeZalo({ appId: keys.appId, appSecret: keys.appSecret, initialAccessToken: 'at-1', initialRefreshToken: 'rt-1' });
    const env = {
      ZALO_APP_ID: keys.appId, ZALO_APP_SECRET: keys.appSecret, ZALO_OA_SECRET_KEY: keys.oaSecretKey,
      ZALO_ACCESS_TOKEN: 'at-1', ZALO_REFRESH_TOKEN: 'rt-1',
      ZALO_API_BASE_URL: fake.baseUrl, ZALO_OAUTH_BASE_URL: fake.baseUrl, ZALO_ZNS_BASE_URL: fake.baseUrl,
    };
    const db = getDb().database.db;
    await getDb().database.query("insert into channel_contacts (channel, channel_user_id, last_inbound_at) values ('zalo', '7100', now())");
    await enqueueOutbound(db, [
      { dedupeKey: 'crash-1', channel: 'zalo', recipient: { userId: '7100' }, content: { type: 'reply', reply: { text: 'Dạ, em gửi lại ạ.' } }, purpose: 'reply' },
    ]);
    // The first worker claims the message for a minute and dies before sending anything.
    expect(await claimDue(db, 10, 60_000)).toHaveLength(1);
    const restarted = await startApp(getDb().database, env);
    try {
      await restarted.services.outbox.drain();
      expect(fake.received).toHaveLength(0); // still claimed by the dead worker
      // The dead worker's claim runs out (set here rather than waited for: no timing in tests).
      await getDb().database.query("update outbox set claimed_until = now() - interval '1 second' where dedupe_key = 'crash-1'");
      await restarted.services.outbox.drain();
      await restarted.services.outbox.drain();
      expect(fake.received.map((r) => r.body.message.text)).toEqual(['Dạ, em gửi lại ạ.']);
    } finally {
      await restarted.close();
      await fake.close();
    }
  });
});
