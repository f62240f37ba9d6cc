import request from 'supertest';
import { MESSENGER_WEBHOOK_PATH, messengerVerificationRouter, messengerWebhookReceiver } from '../../../src/channels/messenger';
import type { InboundEvent } from '../../../src/channels/types';
import type { Config } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { messengerEvents as ev, messengerWebhookBody, signMessengerWebhook } from '../../fakes/graph';
import { webhookApp } from '../../support/webhook-app';

const SECRET = 'webhook-app-secret';
const VERIFY = 'verify-me-123';
const PSID = '24000000000000001';

const config: Config['messenger'] = {
  appSecret: SECRET,
  verifyToken: VERIFY,
  pageAccessToken: 'page-token',
  humanAgentTagApproved: false,
  confirmedEventUpdateTag: true,
  pageId: '100000000000001',
  graphApiBaseUrl: 'https://graph.facebook.com',
  graphApiVersion: 'v23.0',
};

function appWith(accept: (events: InboundEvent[]) => Promise<void>, cfg: Config['messenger'] = config) {
  const logger = createLogger('silent');
  return webhookApp([messengerWebhookReceiver({ config: cfg, accept, logger })], {
    routes: (app) => app.use(MESSENGER_WEBHOOK_PATH, messengerVerificationRouter({ config: cfg, logger })),
  });
}

function recorder(impl?: () => Promise<void>) {
  const calls: InboundEvent[][] = [];
  const accept = async (events: InboundEvent[]) => {
    calls.push(events);
    if (impl) await impl();
  };
  return { calls, accept };
}

const signed = (body: unknown, secret = SECRET) => signMessengerWebhook(body, secret);

describe('GET /webhooks/messenger (verify handshake)', () => {
  const app = appWith(async () => undefined);

  it('echoes the challenge as text/plain when mode and token match', async () => {
    const res = await request(app).get('/webhooks/messenger').query({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY, 'hub.challenge': '1158201444' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toBe('1158201444');
  });

  it('answers 403 for a wrong token or mode', async () => {
    const wrongToken = await request(app).get('/webhooks/messenger').query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' });
    const wrongMode = await request(app).get('/webhooks/messenger').query({ 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY, 'hub.challenge': '1' });
    const nothing = await request(app).get('/webhooks/messenger');
    expect([wrongToken.status, wrongMode.status, nothing.status]).toEqual([403, 403, 403]);
    expect(wrongToken.text).not.toContain('1');
  });

  it('answers 403 when no verify token is configured', async () => {
    const res = await request(appWith(async () => undefined, { ...config, verifyToken: undefined }))
      .get('/webhooks/messenger')
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' });
    expect(res.status).toBe(403);
  });
});

describe('POST /webhooks/messenger', () => {
  it('accepts the events of a signed body, then answers 200 EVENT_RECEIVED', async () => {
    const { calls, accept } = recorder();
    const body = messengerWebhookBody([ev.text(PSID, 'giờ làm việc', { mid: 'm_1' }), ev.postback(PSID, 'GET_STARTED', { mid: 'm_2', ref: 'PROC:ket-hon' })]);
    const { rawBody, headers } = signed(body);
    const res = await request(appWith(accept)).post('/webhooks/messenger').set(headers).send(rawBody);
    expect(res.status).toBe(200);
    expect(res.text).toBe('EVENT_RECEIVED');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.map((e) => [e.kind, e.platformEventId])).toEqual([
      ['message', 'm_1'],
      ['message', 'm_2'],
      ['referral', 'm_2:referral'],
    ]);
  });

  it('answers 200 only after accept resolved', async () => {
    let resolved = false;
    const { accept } = recorder(() => new Promise<void>((r) => setTimeout(() => ((resolved = true), r()), 50)));
    const { rawBody, headers } = signed(messengerWebhookBody([ev.text(PSID, 'a')]));
    const res = await request(appWith(accept)).post('/webhooks/messenger').set(headers).send(rawBody);
    expect(res.status).toBe(200);
    expect(resolved).toBe(true);
  });

  it.each([
    ['missing', (h: Record<string, string>) => ({ 'content-type': h['content-type']! })],
    ['made with another secret', () => signed(messengerWebhookBody([ev.text(PSID, 'a')]), 'wrong').headers],
    ['garbage', (h: Record<string, string>) => ({ ...h, 'x-hub-signature-256': 'sha256=deadbeef' })],
  ])('answers 401 and accepts nothing when the signature is %s', async (_name, headersFor) => {
    const { calls, accept } = recorder();
    const { rawBody, headers } = signed(messengerWebhookBody([ev.text(PSID, 'a')]));
    const res = await request(appWith(accept)).post('/webhooks/messenger').set(headersFor(headers)).send(rawBody);
    expect(res.status).toBe(401);
    expect(calls).toHaveLength(0);
  });

  it('answers 401 for a body tampered with after signing', async () => {
    const { calls, accept } = recorder();
    const { rawBody, headers } = signed(messengerWebhookBody([ev.text(PSID, 'chuyển cho cán bộ')]));
    const res = await request(appWith(accept)).post('/webhooks/messenger').set(headers).send(rawBody.replace('cán bộ', 'ai đó'));
    expect(res.status).toBe(401);
    expect(calls).toHaveLength(0);
  });

  it('answers 400 for signed malformed JSON and for an object other than page', async () => {
    const { calls, accept } = recorder();
    const app = appWith(accept);
    const bad = signed('{"object":"page","entry":[');
    const other = signed({ object: 'user', entry: [] });
    const r1 = await request(app).post('/webhooks/messenger').set(bad.headers).send(bad.rawBody);
    const r2 = await request(app).post('/webhooks/messenger').set(other.headers).send(other.rawBody);
    expect([r1.status, r2.status]).toEqual([400, 400]);
    expect(calls).toHaveLength(0);
  });

  it('acknowledges a batch of events it does not answer (echo, delivery, read) without accepting anything', async () => {
    const { calls, accept } = recorder();
    const { rawBody, headers } = signed(messengerWebhookBody([ev.echo(PSID, 'Xin chào'), ev.delivery(PSID, ['m_1']), ev.read(PSID)]));
    const res = await request(appWith(accept)).post('/webhooks/messenger').set(headers).send(rawBody);
    expect(res.status).toBe(200);
    expect(calls).toHaveLength(0);
  });

  it('answers 500 when storing fails, so Meta redelivers', async () => {
    const { accept } = recorder(async () => {
      throw new Error('database down');
    });
    const { rawBody, headers } = signed(messengerWebhookBody([ev.text(PSID, 'a')]));
    const res = await request(appWith(accept)).post('/webhooks/messenger').set(headers).send(rawBody);
    expect(res.status).toBe(500);
  });

  it('refuses bodies over 1 MB', async () => {
    const { calls, accept } = recorder();
    const { rawBody, headers } = signed(messengerWebhookBody([ev.text(PSID, 'x'.repeat(1_100_000))]));
    const res = await request(appWith(accept)).post('/webhooks/messenger').set(headers).send(rawBody);
    expect(res.status).toBe(413);
    expect(calls).toHaveLength(0);
  });
});

describe('channel not configured (no app secret)', () => {
  const app = appWith(async () => undefined, { ...config, appSecret: undefined });

  it('answers 404 with a clear error to GET and POST', async () => {
    const get = await request(app).get('/webhooks/messenger').query({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY, 'hub.challenge': '1' });
    const { rawBody, headers } = signed(messengerWebhookBody([ev.text(PSID, 'a')]));
    const post = await request(app).post('/webhooks/messenger').set(headers).send(rawBody);
    expect([get.status, post.status]).toEqual([404, 404]);
    expect(post.body).toEqual({ error: 'messenger channel is not configured' });
  });
});
