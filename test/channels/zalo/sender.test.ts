import { createZaloSender, znsTrackingId } from '../../../src/channels/zalo';
import { SendError, type OutboundMessage } from '../../../src/channels/types';
import { createLogger } from '../../../src/logger';
import { startFakeZalo, type FakeZalo } from '../../fakes/zalo';
import { describeEachDatabase } from '../../support/db';
import { APP_ID, APP_SECRET, USER_ID, zaloConfig } from './helpers';

const logger = createLogger('silent');

function cs(dedupeKey: string, text: string): OutboundMessage {
  return { dedupeKey, channel: 'zalo', recipient: { userId: USER_ID }, content: { type: 'reply', reply: { text } }, purpose: 'reply' };
}

describeEachDatabase('Zalo sender', (getDb) => {
  let fake: FakeZalo;
  beforeEach(async () => {
    fake = await startFakeZalo({ appId: APP_ID, appSecret: APP_SECRET, initialAccessToken: 'seed-access-token', initialRefreshToken: 'seed-refresh-token' });
  });
  afterEach(() => fake.close());

  const sender = (over = {}) => createZaloSender({ config: zaloConfig(fake.baseUrl, over), db: getDb().database.db, logger });

  it('sends a reply as a CS message and returns Zalo’s message id', async () => {
    const result = await sender().send(cs('reply:1', 'Lệ phí: 8.000 đồng/bản'), { via: 'zalo_cs' });
    expect(fake.received).toHaveLength(1);
    expect(result).toEqual({ platformMessageId: fake.received[0]?.messageId });
    expect(fake.received[0]?.body).toEqual({ recipient: { user_id: USER_ID }, message: { text: 'Lệ phí: 8.000 đồng/bản' } });
  });

  it('recovers from a token that expires mid-conversation with exactly one refresh', async () => {
    const s = sender();
    await s.send(cs('reply:1', 'Câu trả lời 1'), { via: 'zalo_cs' });
    fake.expireAccessToken('seed-access-token');
    await s.send(cs('reply:2', 'Câu trả lời 2'), { via: 'zalo_cs' });
    await s.send(cs('reply:3', 'Câu trả lời 3'), { via: 'zalo_cs' });
    expect(fake.refreshCalls).toEqual([expect.objectContaining({ refreshToken: 'seed-refresh-token', ok: true })]);
    expect(fake.received.map((r) => r.body.message.text)).toEqual(['Câu trả lời 1', 'Câu trả lời 2', 'Câu trả lời 3']);
    const stored = await s.tokens.current();
    expect(fake.received[1]?.accessToken).toBe(stored.accessToken);
    expect(stored.accessToken).not.toBe('seed-access-token');
  });

  it('falls back to options as text lines when Zalo refuses the buttons as invalid parameters', async () => {
    fake.failNext(-201, 1, ['cs']);
    const message: OutboundMessage = {
      ...cs('reply:btn', 'Dạ, lệ phí là 8.000 đồng.'),
      content: { type: 'reply', reply: { text: 'Dạ, lệ phí là 8.000 đồng.', quickReplies: [{ title: 'Thời gian', payload: 'PROC:x:duration' }, { title: 'Nơi nộp', payload: 'PROC:x:where' }] } },
    };
    await sender().send(message, { via: 'zalo_cs' });
    expect(fake.received.map((r) => r.body.message)).toEqual([{ text: 'Dạ, lệ phí là 8.000 đồng.\n• Thời gian\n• Nơi nộp' }]);
  });

  it('sends a template by ZNS to the 84… phone with the dedupe key as tracking id', async () => {
    const message: OutboundMessage = {
      dedupeKey: 'licence-expiry:GP-2024-001:30',
      channel: 'zalo',
      recipient: { phone: '0912345678' },
      content: { type: 'template', templateId: 'tpl-licence', data: { customer_name: 'Cơ sở Bình An', licence_number: 'GP-2024-001', days_left: 30 } },
      purpose: 'reminder',
    };
    const result = await sender().send(message, { via: 'zalo_zns', templateId: 'tpl-licence' });
    expect(fake.received[0]?.body).toEqual({
      phone: '84912345678',
      template_id: 'tpl-licence',
      template_data: { customer_name: 'Cơ sở Bình An', licence_number: 'GP-2024-001', days_left: '30' },
      tracking_id: 'licence-expiry:GP-2024-001:30',
    });
    expect(result.platformMessageId).toBe(fake.received[0]?.messageId);
  });

  it('derives a stable ZNS tracking id when the dedupe key is too long or has other characters', () => {
    const long = `reminder/${'x'.repeat(60)}`;
    expect(znsTrackingId(long)).toMatch(/^k_[A-Za-z0-9_-]{43}$/);
    expect(znsTrackingId(long)).toBe(znsTrackingId(long));
    expect(znsTrackingId(long)).not.toBe(znsTrackingId(`${long}y`));
  });

  it('resumes a long reply after the piece that failed, without sending earlier pieces twice', async () => {
    const s = sender();
    const text = Array.from({ length: 4 }, (_, i) => `Mục ${i + 1}. ${'Mang theo giấy tờ tùy thân bản chính. '.repeat(25)}`).join('\n\n');
    fake.setRateLimit(1);
    const err = await s.send(cs('reply:long', text), { via: 'zalo_cs' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'rate_limited', platformCode: -32 });
    expect(fake.received).toHaveLength(1);
    fake.setRateLimit(undefined);
    const result = await s.send(cs('reply:long', text), { via: 'zalo_cs' });
    const texts = fake.received.map((r) => r.body.message.text as string);
    expect(texts.join('\n\n')).toBe(text);
    expect(new Set(texts).size).toBe(texts.length);
    expect(result.platformMessageId).toBe(fake.received.map((r) => r.messageId).join(','));
  });

  it('fails permanently for a message it cannot address or a mode that does not fit the content', async () => {
    const s = sender();
    const noUser = { ...cs('k1', 'x'), recipient: { phone: '0912345678' } };
    await expect(s.send(noUser, { via: 'zalo_cs' })).rejects.toMatchObject({ kind: 'permanent' });
    await expect(s.send(cs('k2', 'x'), { via: 'zalo_zns', templateId: 't' })).rejects.toMatchObject({ kind: 'permanent' });
    await expect(s.send(cs('k3', 'x'), { via: 'messenger', messagingType: 'RESPONSE' })).rejects.toBeInstanceOf(SendError);
    expect(fake.received).toEqual([]);
  });

  it('fails with auth while the channel is not configured for sending', async () => {
    await expect(sender({ appSecret: undefined }).send(cs('k', 'x'), { via: 'zalo_cs' })).rejects.toMatchObject({ kind: 'auth' });
    expect(fake.received).toEqual([]);
  });
});
