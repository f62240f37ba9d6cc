import { MessengerWebhookError, parseMessengerWebhook } from '../../../src/channels/messenger';
import type { InboundEvent } from '../../../src/channels/types';
import { messengerEvents as ev, messengerWebhookBody } from '../../fakes/graph';

const T = Date.UTC(2026, 10, 23, 3, 0, 0); // 10:00 in Vietnam
const PSID = '6543210987654321';

describe('parseMessengerWebhook', () => {
  it('loops over every entry and every messaging event, in order', () => {
    const body = messengerWebhookBody([
      [ev.text(PSID, 'một', { mid: 'm_1', timestamp: T }), ev.text('111', 'hai', { mid: 'm_2', timestamp: T + 1 })],
      [ev.text(PSID, 'ba', { mid: 'm_3', timestamp: T + 2 }), ev.quickReply('222', 'Lệ phí', 'PROC:ket-hon:fee', { mid: 'm_4', timestamp: T + 3 })],
    ]);
    const events = parseMessengerWebhook(body);
    expect(events.map((e) => e.platformEventId)).toEqual(['m_1', 'm_2', 'm_3', 'm_4']);
    expect(events.map((e) => e.channelUserId)).toEqual([PSID, '111', PSID, '222']);
  });

  it('turns a text message into a message event with the platform timestamp', () => {
    const [e] = parseMessengerWebhook(messengerWebhookBody([ev.text(PSID, 'đăng ký khai sinh cần gì', { mid: 'm_a', timestamp: T })]));
    expect(e).toEqual<InboundEvent>({
      channel: 'messenger',
      channelUserId: PSID,
      platformEventId: 'm_a',
      occurredAt: new Date(T),
      kind: 'message',
      text: 'đăng ký khai sinh cần gì',
      payload: undefined,
    });
  });

  it('carries the quick reply payload with the tapped title as text', () => {
    const [e] = parseMessengerWebhook(messengerWebhookBody([ev.quickReply(PSID, 'Lệ phí', 'PROC:ket-hon:fee', { mid: 'm_q' })]));
    expect(e).toMatchObject({ kind: 'message', text: 'Lệ phí', payload: 'PROC:ket-hon:fee', platformEventId: 'm_q' });
  });

  it('turns a postback into a message with its payload, and its referral into a referral event after it', () => {
    const body = messengerWebhookBody([ev.postback(PSID, 'GET_STARTED', { mid: 'm_p', title: 'Bắt đầu', ref: 'PROC:khai-sinh', timestamp: T })]);
    const events = parseMessengerWebhook(body);
    expect(events).toEqual([
      expect.objectContaining({ kind: 'message', payload: 'GET_STARTED', text: 'Bắt đầu', platformEventId: 'm_p' }),
      expect.objectContaining({ kind: 'referral', ref: 'PROC:khai-sinh', platformEventId: 'm_p:referral' }),
    ]);
  });

  it('derives a stable id for a postback without mid: same event, same id; other timestamp, other id', () => {
    const one = ev.postback(PSID, 'MENU:hours', { withoutMid: true, timestamp: T });
    const a = parseMessengerWebhook(messengerWebhookBody([one]));
    const b = parseMessengerWebhook(messengerWebhookBody([one]));
    const c = parseMessengerWebhook(messengerWebhookBody([{ ...one, timestamp: T + 1 }]));
    expect(a[0]?.platformEventId).toBe(`postback:${PSID}:${T}`);
    expect(b[0]?.platformEventId).toBe(a[0]?.platformEventId);
    expect(c[0]?.platformEventId).not.toBe(a[0]?.platformEventId);
  });

  it('turns an m.me ?ref= referral (messaging_referrals) into a referral event with a derived id', () => {
    const events = parseMessengerWebhook(messengerWebhookBody([ev.referral(PSID, 'PROC:attp', { timestamp: T })]));
    expect(events).toEqual([
      { channel: 'messenger', channelUserId: PSID, platformEventId: `referral:${PSID}:${T}`, occurredAt: new Date(T), kind: 'referral', ref: 'PROC:attp' },
    ]);
  });

  it('ignores a referral without ref (an ad or a plain m.me link)', () => {
    const e = ev.referral(PSID, 'x', { timestamp: T });
    delete (e.referral as Record<string, unknown>).ref;
    expect(parseMessengerWebhook(messengerWebhookBody([e]))).toEqual([]);
  });

  it.each(['image', 'audio', 'video', 'file', 'location', 'fallback'] as const)('turns a %s attachment into a media event', (type) => {
    const [e] = parseMessengerWebhook(messengerWebhookBody([ev.attachment(PSID, type, { mid: `m_${type}` })]));
    expect(e).toMatchObject({ kind: 'media', mediaType: type, platformEventId: `m_${type}` });
  });

  it('tells stickers from the thumbs-up like', () => {
    const [like, sticker] = parseMessengerWebhook(messengerWebhookBody([ev.sticker(PSID), ev.sticker(PSID, '126361874215276')]));
    expect(like).toMatchObject({ kind: 'media', mediaType: 'like' });
    expect(sticker).toMatchObject({ kind: 'media', mediaType: 'sticker' });
  });

  it('ignores echoes, deliveries, reads, unknown events and senders without a PSID', () => {
    const noPsid = { ...ev.text(PSID, 'hi'), sender: { user_ref: 'ref-123' } };
    const reaction = { ...ev.read(PSID), read: undefined, reaction: { mid: 'm_x', action: 'react', emoji: '👍' } };
    const body = messengerWebhookBody([
      ev.echo(PSID, 'Xin chào'),
      ev.delivery(PSID, ['m_1']),
      ev.read(PSID),
      reaction,
      noPsid as never,
      ev.text(PSID, 'còn lại', { mid: 'm_keep' }),
    ]);
    expect(parseMessengerWebhook(body).map((e) => e.platformEventId)).toEqual(['m_keep']);
  });

  it('skips a malformed event but keeps the rest of the batch', () => {
    const body = messengerWebhookBody([{ sender: 'nope' } as never, ev.text(PSID, 'ok', { mid: 'm_ok' })]);
    expect(parseMessengerWebhook(body).map((e) => e.platformEventId)).toEqual(['m_ok']);
  });

  it('accepts timestamps sent as strings and in seconds', () => {
    const e = { ...ev.referral(PSID, 'PROC:ket-hon'), timestamp: '1763866800' };
    const [r] = parseMessengerWebhook(messengerWebhookBody([e as never]));
    expect(r?.occurredAt).toEqual(new Date(1763866800 * 1000));
  });

  it('accepts an entry without messaging (e.g. feed changes) and returns nothing', () => {
    expect(parseMessengerWebhook({ object: 'page', entry: [{ id: '1', time: T, changes: [{ field: 'feed' }] }] })).toEqual([]);
  });

  it.each([
    ['another object', { object: 'instagram', entry: [] }],
    ['no entry array', { object: 'page', entry: {} }],
    ['not an object', 'page'],
    ['null', null],
  ])('throws MessengerWebhookError for %s', (_name, body) => {
    expect(() => parseMessengerWebhook(body)).toThrow(MessengerWebhookError);
  });
});
