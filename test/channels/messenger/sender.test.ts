import { createMessengerSender } from '../../../src/channels/messenger';
import { SendError, type ChannelSender, type OutboundMessage, type SendMode } from '../../../src/channels/types';
import type { Reply } from '../../../src/channels/types';
import type { Config } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { startFakeGraph, type FakeGraph } from '../../fakes/graph';

const TOKEN = 'EAAG-sender-token';
const SECRET = 'sender-app-secret';
const PSID = '24000000000000002';
const DAY = new Date(Date.UTC(2026, 10, 24, 3, 0)); // 10:00 in Vietnam
const NIGHT = new Date(Date.UTC(2026, 10, 24, 16, 0)); // 23:00 in Vietnam
const RESPONSE: SendMode = { via: 'messenger', messagingType: 'RESPONSE' };

let fake: FakeGraph;
let clock = DAY;
let sender: ChannelSender;

function config(f: FakeGraph): Config['messenger'] {
  return { appSecret: SECRET, pageAccessToken: TOKEN, graphApiBaseUrl: f.baseUrl, graphApiVersion: f.version, humanAgentTagApproved: false, confirmedEventUpdateTag: true };
}

function outbound(reply: Reply, over: Partial<OutboundMessage> = {}): OutboundMessage {
  return { dedupeKey: `reply-${Math.random()}`, channel: 'messenger', recipient: { userId: PSID }, content: { type: 'reply', reply }, purpose: 'reply', ...over };
}

async function failure(p: Promise<unknown>): Promise<SendError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SendError) return err;
    throw err;
  }
  throw new Error('expected the send to fail');
}

const longAnswer = Array.from({ length: 50 }, (_, i) => `${i + 1}. Tờ khai đăng ký (mẫu số ${i + 1}), kèm bản sao giấy tờ tùy thân còn hiệu lực.`).join('\n');

beforeAll(async () => {
  fake = await startFakeGraph({ pageAccessToken: TOKEN, appSecret: SECRET });
  sender = createMessengerSender({ config: config(fake), logger: createLogger('silent'), now: () => clock, continuationText: 'Thêm lựa chọn' });
});
afterEach(() => {
  fake.reset();
  clock = DAY;
});
afterAll(() => fake.close());

describe('Messenger sender', () => {
  it('is the messenger channel and sends a reply with quick replies natively', async () => {
    expect(sender.channel).toBe('messenger');
    const { platformMessageId } = await sender.send(
      outbound({ text: 'Bạn hỏi về thủ tục nào?', quickReplies: [{ title: 'Đăng ký kết hôn', payload: 'PROC:ket-hon' }, { title: 'Chứng thực bản sao từ bản chính', payload: 'PROC:chung-thuc-ban-sao' }] }),
      RESPONSE,
    );
    expect(fake.received).toHaveLength(1);
    const got = fake.received[0]!;
    expect(platformMessageId).toBe(got.messageId);
    expect(got.message.text).toBe('Bạn hỏi về thủ tục nào?');
    expect(got.message.quick_replies).toEqual([
      { content_type: 'text', title: 'Đăng ký kết hôn', payload: 'PROC:ket-hon' },
      { content_type: 'text', title: expect.stringMatching(/^.{1,19}…$/u), payload: 'PROC:chung-thuc-ban-sao' },
    ]);
  });

  it('splits a long answer into several messages the fake accepts, in order, ids joined', async () => {
    const { platformMessageId } = await sender.send(outbound({ text: longAnswer, quickReplies: [{ title: 'Lệ phí', payload: 'PROC:ket-hon:fee' }] }), RESPONSE);
    const texts = fake.received.map((m) => m.message.text ?? '');
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.join('\n')).toBe(longAnswer);
    expect(fake.received.slice(0, -1).every((m) => m.message.quick_replies === undefined)).toBe(true);
    expect(fake.received.at(-1)?.message.quick_replies).toHaveLength(1);
    expect(platformMessageId).toBe(fake.received.map((m) => m.messageId).join(','));
  });

  it('renders buttons as button templates of at most three, after the text that does not fit in 640', async () => {
    const buttons = [
      { title: 'Nộp trực tuyến', url: 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html' },
      { title: 'Gặp cán bộ', payload: 'HANDOFF' },
      { title: 'Giờ làm việc', payload: 'MENU:hours' },
      { title: 'Đánh giá', payload: 'MENU:rate' },
    ];
    await sender.send(outbound({ text: longAnswer.slice(0, 1500), buttons }), RESPONSE);
    const kinds = fake.received.map((m) => (m.message.attachment ? `template:${m.message.attachment.payload.buttons.length}` : 'text'));
    expect(kinds).toEqual(['text', 'template:3', 'template:1']);
    expect(fake.received[1]?.message.attachment.payload.buttons[0]).toEqual({ type: 'web_url', title: 'Nộp trực tuyến', url: buttons[0]!.url });
    expect(fake.received[2]?.message.attachment.payload.text).toBe('Thêm lựa chọn');
  });

  it('resumes after the parts already delivered when a multi-part reply is retried', async () => {
    const message = outbound({ text: longAnswer });
    fake.setRateLimit(1);
    const err = await failure(sender.send(message, RESPONSE));
    expect(err.kind).toBe('rate_limited');
    expect(fake.received).toHaveLength(1);
    fake.setRateLimit(null);
    const { platformMessageId } = await sender.send(message, RESPONSE);
    const texts = fake.received.map((m) => m.message.text ?? '');
    expect(texts.join('\n')).toBe(longAnswer); // the first part was not sent twice
    expect(platformMessageId.split(',')).toEqual(fake.received.map((m) => m.messageId));
  });

  it('sends in the mode the policy chose (tag included)', async () => {
    await sender.send(outbound({ text: 'Cán bộ trả lời: hồ sơ đã đủ.' }, { purpose: 'human_reply' }), { via: 'messenger', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(fake.received[0]).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
  });

  it('reports the deprecated CONFIRMED_EVENT_UPDATE tag as outside_window so the outbox falls back', async () => {
    const mode: SendMode = { via: 'messenger', messagingType: 'MESSAGE_TAG', tag: 'CONFIRMED_EVENT_UPDATE' };
    const err = await failure(sender.send(outbound({ text: 'Lịch thẩm định: 9:00 ngày 25/11' }, { purpose: 'appointment_update' }), mode));
    expect(err.kind).toBe('outside_window');
    expect(fake.received).toHaveLength(0);
  });

  it('sends proactive messages silently at night in Vietnam, replies and daytime messages normally', async () => {
    clock = NIGHT;
    await sender.send(outbound({ text: 'Nhắc: giấy phép sắp hết hạn' }, { purpose: 'reminder' }), { via: 'messenger', messagingType: 'UPDATE' });
    await sender.send(outbound({ text: 'Trả lời' }), RESPONSE);
    clock = DAY;
    await sender.send(outbound({ text: 'Thông báo' }, { purpose: 'broadcast' }), { via: 'messenger', messagingType: 'UPDATE' });
    expect(fake.received.map((m) => m.notificationType)).toEqual(['SILENT_PUSH', undefined, undefined]);
  });

  it('fails permanently, without calling Graph, for what Messenger cannot carry', async () => {
    const cases: Array<[OutboundMessage, SendMode, RegExp]> = [
      [outbound({ text: 'x' }, { content: { type: 'template', templateId: 'T', data: {} } }), RESPONSE, /Zalo/],
      [outbound({ text: 'x' }, { recipient: { phone: '0912345678' } }), RESPONSE, /PSID/],
      [outbound({ text: 'x' }), { via: 'zalo_cs' }, /not a Messenger mode/],
      [outbound({ text: 'x', buttons: [{ title: 'Both', payload: 'P', url: 'https://example.org' }] }), RESPONSE, /invalid reply/],
      [outbound({ text: '   ' }), RESPONSE, /no text/],
      [outbound({ text: 'x' }), { via: 'messenger', messagingType: 'MESSAGE_TAG' }, /tag/],
    ];
    for (const [message, mode, reason] of cases) {
      const err = await failure(sender.send(message, mode));
      expect(err.kind).toBe('permanent');
      expect(err.message).toMatch(reason);
    }
    expect(fake.requests).toHaveLength(0);
  });
});
