/**
 * Messenger end to end: signed webhooks into the running app, answers out at the fake Graph API.
 */
import { messengerEvents, messengerWebhookBody, signMessengerWebhook, startFakeGraph, type FakeGraph } from '../fakes/graph';
import { describeEachDatabase } from '../support/db';
import { eventually, startApp, type RunningApp } from '../support/app';

const appSecret = 'messenger-app-secret';

describeEachDatabase('Messenger end to end', (getDb) => {
  let graph: FakeGraph;
  let app: RunningApp;
  beforeEach(async () => {
    graph = await startFakeGraph({ pageAccessToken: 'page-token', appSecret });
    app = await startApp(getDb().database, {
      MESSENGER_APP_SECRET: appSecret,
      MESSENGER_VERIFY_TOKEN: 'verify-me',
      MESSENGER_PAGE_ACCESS_TOKEN: 'page-token',
      MESSENGER_PAGE_ID: graph.pageId,
      GRAPH_API_BASE_URL: graph.baseUrl,
      GRAPH_API_VERSION: graph.version,
    });
    app.services.inbound.start(100);
    app.services.outbox.start(100);
  });
  afterEach(async () => {
    await app.close();
    await graph.close();
  });

  const post = async (body: unknown, signature?: string) => {
    const signed = signMessengerWebhook(body, appSecret);
    const headers = { ...signed.headers, ...(signature === undefined ? {} : { 'x-hub-signature-256': signature }) };
    return (await fetch(`${app.baseUrl}/webhooks/messenger`, { method: 'POST', headers, body: signed.rawBody })).status;
  };
  const textsTo = (psid: string) => graph.received.filter((m) => m.recipientId === psid).map((m) => m.message.text ?? m.message.attachment?.payload?.text ?? '');

  it('does the verify handshake', async () => {
    const ok = await fetch(`${app.baseUrl}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=12345`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('12345');
    const bad = await fetch(`${app.baseUrl}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`);
    expect(bad.status).toBe(403);
  });

  it('answers batched events of two people, each once, as RESPONSE messages with quick replies', async () => {
    const body = messengerWebhookBody([
      [messengerEvents.text('psid-1', 'dang ky thuong tru can giay to gi')],
      [messengerEvents.text('psid-2', 'lệ phí lý lịch tư pháp bao nhiêu')],
    ]);
    expect(await post(body)).toBe(200);
    expect(await post(body)).toBe(200); // redelivery
    await eventually(() => textsTo('psid-1').length >= 1 && textsTo('psid-2').length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(textsTo('psid-1').join('\n')).toContain('hồ sơ đăng ký thường trú gồm');
    expect(textsTo('psid-2').join('\n')).toContain('200.000 đồng');
    expect(graph.received.filter((m) => m.recipientId === 'psid-2')).toHaveLength(1);
    const first = graph.received.find((m) => m.recipientId === 'psid-2')!;
    expect(first.messagingType).toBe('RESPONSE');
    expect(first.message.quick_replies?.[0]).toMatchObject({ content_type: 'text', payload: expect.stringMatching(/^PROC:ly-lich-tu-phap:/) });
  });

  it('opens the chat on a procedure from an m.me ?ref= link (QR code at the counter)', async () => {
    expect(await post(messengerWebhookBody([messengerEvents.referral('psid-3', 'PROC:khai-sinh')]))).toBe(200);
    const texts = await eventually(() => (textsTo('psid-3').length ? textsTo('psid-3') : undefined));
    expect(texts.join('\n')).toContain('thủ tục đăng ký khai sinh');
  });

  it('refuses a forged signature with 401 and stores nothing', async () => {
    const body = messengerWebhookBody([messengerEvents.text('psid-4', 'xin chào')]);
    expect(await post(body, `sha256=${'0'.repeat(64)}`)).toBe(401);
    expect(await getDb().database.query('select 1 from inbound_events')).toEqual([]);
  });
});
