import type { RequestListener } from 'node:http';
import request from 'supertest';
import { zaloWebhookReceiver } from '../../../src/channels/zalo';
import type { InboundEvent } from '../../../src/channels/types';
import { createLogger } from '../../../src/logger';
import { signZaloWebhook, zaloFollowEvent, zaloReceiptEvent, zaloTextEvent } from '../../fakes/zalo';
import { webhookApp } from '../../support/webhook-app';
import { APP_ID, OA_SECRET_KEY, USER_ID, zaloConfig } from './helpers';

const keys = { appId: APP_ID, oaSecretKey: OA_SECRET_KEY };

function setup(accept: (events: InboundEvent[]) => Promise<void> = async () => undefined, config = zaloConfig()) {
  const stored: InboundEvent[][] = [];
  const app = webhookApp([
    zaloWebhookReceiver({
      config,
      logger: createLogger('silent'),
      accept: async (events) => {
        await accept(events);
        stored.push(events);
      },
    }),
  ]);
  return { app, stored };
}

function post(app: RequestListener, rawBody: string, headers: Record<string, string>) {
  return request(app).post('/webhooks/zalo').set(headers).send(rawBody);
}

describe('POST /webhooks/zalo', () => {
  it('stores a signed text message, then answers 200 {}', async () => {
    const { app, stored } = setup();
    const event = zaloTextEvent({ appId: APP_ID, userId: USER_ID, text: 'Lệ phí kết hôn bao nhiêu?', msgId: 'msg-1' });
    const { rawBody, headers } = signZaloWebhook(event, keys);
    const res = await post(app, rawBody, headers);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(stored).toHaveLength(1);
    expect(stored[0]).toEqual([expect.objectContaining({ kind: 'message', channelUserId: USER_ID, platformEventId: 'msg-1', text: 'Lệ phí kết hôn bao nhiêu?' })]);
  });

  it('answers 401 and stores nothing for a missing, wrong or tampered signature', async () => {
    const { app, stored } = setup();
    const { rawBody, headers } = signZaloWebhook(zaloTextEvent({ appId: APP_ID, userId: USER_ID, text: 'xin chào' }), keys);
    const forged = signZaloWebhook(zaloTextEvent({ appId: APP_ID, userId: USER_ID, text: 'xin chào' }), { ...keys, oaSecretKey: 'guess' });
    const missing = await post(app, rawBody, { 'content-type': 'application/json' });
    const wrong = await post(app, forged.rawBody, forged.headers);
    const tampered = await post(app, rawBody.replace('xin chào', 'tạm biệt'), headers);
    for (const res of [missing, wrong, tampered]) {
      expect(res.status).toBe(401);
      expect(res.body.error).toEqual(expect.any(String));
    }
    expect(stored).toEqual([]);
  });

  it('answers 400 with a JSON error for malformed JSON and for a malformed event', async () => {
    const { app, stored } = setup();
    const notJson = await post(app, '{"event_name": "user_send_text",', { 'content-type': 'application/json', 'x-zevent-signature': `mac=${'0'.repeat(64)}` });
    expect(notJson.status).toBe(400);
    expect(notJson.body).toEqual({ error: 'body is not valid JSON' });
    const bad = { ...zaloTextEvent({ appId: APP_ID, userId: USER_ID, text: 'x' }), message: { text: 'no msg_id' } };
    const signed = signZaloWebhook(bad, keys);
    const res = await post(app, signed.rawBody, signed.headers);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/msg_id/);
    expect(stored).toEqual([]);
  });

  it('acknowledges events it does not act on without storing them', async () => {
    const { app, stored } = setup();
    for (const kind of ['user_seen_message', 'user_received_message', 'oa_send_text'] as const) {
      const { rawBody, headers } = signZaloWebhook(zaloReceiptEvent({ appId: APP_ID, userId: USER_ID, kind }), keys);
      const res = await post(app, rawBody, headers);
      expect(res.status).toBe(200);
    }
    const unknown = signZaloWebhook({ app_id: APP_ID, event_name: 'brand_new_event', timestamp: '1718000000000' }, keys);
    expect((await post(app, unknown.rawBody, unknown.headers)).status).toBe(200);
    expect(stored).toEqual([]);
  });

  it('answers 500 when the events cannot be stored, so Zalo retries', async () => {
    const { app, stored } = setup(async () => {
      throw new Error('database down');
    });
    const { rawBody, headers } = signZaloWebhook(zaloFollowEvent({ appId: APP_ID, userId: USER_ID }), keys);
    const res = await post(app, rawBody, headers);
    expect(res.status).toBe(500);
    expect(stored).toEqual([]);
  });

  it('accepts any content type (the signature is over the raw bytes)', async () => {
    const { app, stored } = setup();
    const { rawBody, headers } = signZaloWebhook(zaloFollowEvent({ appId: APP_ID, userId: USER_ID }), keys);
    const res = await post(app, rawBody, { ...headers, 'content-type': 'text/plain' });
    expect(res.status).toBe(200);
    expect(stored[0]?.[0]).toMatchObject({ kind: 'follow', channelUserId: USER_ID });
  });

  it('answers 404 while the Zalo channel is not configured', async () => {
    const { app, stored } = setup(undefined, zaloConfig(undefined, { appId: undefined, oaSecretKey: undefined }));
    const { rawBody, headers } = signZaloWebhook(zaloTextEvent({ appId: APP_ID, userId: USER_ID, text: 'a' }), keys);
    const res = await post(app, rawBody, headers);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'zalo channel is not configured' });
    expect(stored).toEqual([]);
  });

  it('answers 413 in JSON for a body over 1 MB', async () => {
    const { app } = setup();
    const res = await post(app, JSON.stringify({ event_name: 'user_send_text', pad: 'x'.repeat(1_100_000) }), { 'content-type': 'application/json', 'x-zevent-signature': 'mac=00' });
    expect(res.status).toBe(413);
    expect(res.body.error).toEqual(expect.any(String));
  });
});
