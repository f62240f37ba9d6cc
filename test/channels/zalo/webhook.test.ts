import { parseZaloEvent, ZaloWebhookShapeError } from '../../../src/channels/zalo';

// Fixtures shaped like the documented payloads (Zalo docs "Webhook", spec §13.4–13.6): all ids and
// timestamps are strings; follow/unfollow carry `follower` instead of `sender`.
const text = {
  app_id: '360846524940903967',
  sender: { id: '246845883529197922' },
  user_id_by_app: '552177279717587730',
  recipient: { id: '388613280878808645' },
  event_name: 'user_send_text',
  message: { text: 'Cho hỏi làm giấy khai sinh cần gì?', msg_id: '96d3cdf3af150460909' },
  timestamp: '1718000100000',
};

const image = {
  app_id: '360846524940903967',
  sender: { id: '246845883529197922' },
  recipient: { id: '388613280878808645' },
  event_name: 'user_send_image',
  message: {
    msg_id: 'a5e6cbd4f2d04a8c9b1f',
    attachments: [{ type: 'image', payload: { thumbnail: 'https://photo-stal.zadn.vn/t.jpg', url: 'https://photo-stal.zadn.vn/f.jpg' } }],
    text: '',
  },
  timestamp: '1718000200000',
};

const follow = {
  oa_id: '388613280879808645',
  follower: { id: '24684588352919792' },
  user_id_by_app: '552172779717587730',
  event_name: 'follow',
  source: 'oa_profile',
  app_id: '36084652489903967',
  timestamp: '1718000300000',
};

const submitInfo = {
  sender: { id: '246845883529697922' },
  recipient: { id: '388613280879880645' },
  event_name: 'user_submit_info',
  app_id: '3608465248940903967',
  timestamp: '1718000400000',
  info: {
    name: 'Nguyễn Văn An',
    phone: '84912345678',
    user_dob: '30/10/1999',
    gender: 'Nam',
    full_address: { user_city: 'Thành phố Hồ Chí Minh', user_ward: 'Phường Tân Thuận', user_address: 'Đường số 13, KCX Tân Thuận Đông' },
  },
};

describe('parseZaloEvent', () => {
  it('turns user_send_text into a message, ids and timestamps kept as strings', () => {
    expect(parseZaloEvent(text)).toEqual([
      {
        channel: 'zalo',
        kind: 'message',
        channelUserId: '246845883529197922',
        platformEventId: '96d3cdf3af150460909',
        occurredAt: new Date(1718000100000),
        text: 'Cho hỏi làm giấy khai sinh cần gì?',
      },
    ]);
  });

  it('reads a tapped button (text "#<payload>") as a payload, keeping the raw text', () => {
    const [event] = parseZaloEvent({ ...text, message: { text: '#PROC:khai-sinh:fee', msg_id: 'm2' } });
    expect(event).toMatchObject({ kind: 'message', payload: 'PROC:khai-sinh:fee', text: '#PROC:khai-sinh:fee', platformEventId: 'm2' });
    const [plain] = parseZaloEvent({ ...text, message: { text: '#', msg_id: 'm3' } });
    expect(plain).not.toHaveProperty('payload');
  });

  it.each(['image', 'sticker', 'file', 'location', 'audio', 'video', 'gif', 'link', 'business_card'])('turns user_send_%s into media', (type) => {
    const [event] = parseZaloEvent({ ...image, event_name: `user_send_${type}`, message: { ...image.message, attachments: [{ type, payload: {} }] } });
    expect(event).toEqual({
      channel: 'zalo',
      kind: 'media',
      mediaType: type,
      channelUserId: '246845883529197922',
      platformEventId: 'a5e6cbd4f2d04a8c9b1f',
      occurredAt: new Date(1718000200000),
    });
  });

  it('turns follow and unfollow into events with a stable derived id', () => {
    const [f] = parseZaloEvent(follow);
    expect(f).toEqual({
      channel: 'zalo',
      kind: 'follow',
      channelUserId: '24684588352919792',
      platformEventId: 'follow:24684588352919792:1718000300000',
      occurredAt: new Date(1718000300000),
    });
    // A redelivery parses to the same id, so it is deduplicated.
    expect(parseZaloEvent(follow)[0]?.platformEventId).toBe(f?.platformEventId);
    expect(parseZaloEvent({ ...follow, event_name: 'unfollow' })[0]).toMatchObject({ kind: 'unfollow', platformEventId: 'unfollow:24684588352919792:1718000300000' });
  });

  it('turns user_submit_info into a contact with the phone in 0… form and one address line', () => {
    expect(parseZaloEvent(submitInfo)).toEqual([
      {
        channel: 'zalo',
        kind: 'contact',
        channelUserId: '246845883529697922',
        platformEventId: 'user_submit_info:246845883529697922:1718000400000',
        occurredAt: new Date(1718000400000),
        name: 'Nguyễn Văn An',
        phone: '0912345678',
        address: 'Đường số 13, KCX Tân Thuận Đông, Phường Tân Thuận, Thành phố Hồ Chí Minh',
      },
    ]);
    const flat = parseZaloEvent({ ...submitInfo, info: { name: ' ', phone: '+84 24 3825 1234', address: '12 Lê Lợi', city: 'Huế' } });
    expect(flat[0]).toMatchObject({ phone: '02438251234', address: '12 Lê Lợi, Huế' });
    expect(flat[0]).not.toHaveProperty('name');
    // A number that is not Vietnamese is dropped rather than stored wrong.
    expect(parseZaloEvent({ ...submitInfo, info: { phone: '12345' } })[0]).not.toHaveProperty('phone');
  });

  it.each([
    ['user_received_message', { sender: { id: '1' }, recipient: { id: '2' }, message: { msg_ids: ['x'] } }],
    ['user_seen_message', { sender: { id: '1' }, recipient: { id: '2' }, message: { msg_ids: ['x'] } }],
    ['oa_send_text', { sender: { id: '2', admin_id: '3' }, recipient: { id: '1' }, message: { msg_id: 'x', text: 'hi' } }],
    ['add_user_to_tag', { oa_id: '2', tag: { user_ids: ['1'], name: 'vip' } }],
    ['some_future_event', {}],
  ])('ignores %s', (eventName, rest) => {
    expect(parseZaloEvent({ app_id: '1', event_name: eventName, timestamp: '1718000000000', ...rest })).toEqual([]);
  });

  it('refuses bodies that are not Zalo events or handled events with missing fields', () => {
    expect(() => parseZaloEvent({ hello: 'world' })).toThrow(ZaloWebhookShapeError);
    expect(() => parseZaloEvent([text])).toThrow(ZaloWebhookShapeError);
    expect(() => parseZaloEvent({ ...text, message: { text: 'hi' } })).toThrow(/message\.msg_id/);
    expect(() => parseZaloEvent({ ...text, sender: { id: 246845883529197922 } })).toThrow(/sender\.id/);
    expect(() => parseZaloEvent({ ...text, timestamp: 'yesterday' })).toThrow(/timestamp/);
    expect(() => parseZaloEvent({ ...follow, follower: undefined })).toThrow(/follower/);
  });
});
