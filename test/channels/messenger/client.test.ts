import { createMessengerClient, type MessengerClient, type SendMessageRequest } from '../../../src/channels/messenger';
import { SendError } from '../../../src/channels/types';
import type { Config } from '../../../src/config';
import { startFakeGraph, type FakeGraph } from '../../fakes/graph';

const TOKEN = 'EAAG-page-token';
const SECRET = 'graph-app-secret';
const PSID = '24000000000000001';

let fake: FakeGraph;
let client: MessengerClient;

function configFor(f: FakeGraph, over: Partial<Config['messenger']> = {}): Config['messenger'] {
  return { appSecret: SECRET, pageAccessToken: TOKEN, graphApiBaseUrl: f.baseUrl, graphApiVersion: f.version, humanAgentTagApproved: false, confirmedEventUpdateTag: true, ...over };
}

const text = (t = 'Xin chào', over: Partial<SendMessageRequest> = {}): SendMessageRequest => ({
  recipientId: PSID,
  messagingType: 'RESPONSE',
  message: { text: t },
  ...over,
});

async function failure(p: Promise<unknown>): Promise<SendError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SendError) return err;
    throw err;
  }
  throw new Error('expected the send to fail');
}

beforeAll(async () => {
  fake = await startFakeGraph({ pageAccessToken: TOKEN, appSecret: SECRET, requireAppSecretProof: true });
  client = createMessengerClient({ config: configFor(fake) });
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

describe('Send API client against the fake Graph API', () => {
  it('sends a text message with messaging_type and appsecret_proof, and returns the message_id', async () => {
    const { messageId } = await client.sendMessage(text('Giờ làm việc: 7:30–17:00'));
    expect(messageId).toMatch(/^m_/);
    expect(fake.received).toEqual([
      expect.objectContaining({ messageId, recipientId: PSID, messagingType: 'RESPONSE', message: { text: 'Giờ làm việc: 7:30–17:00' } }),
    ]);
  });

  it('sends a tag and notification type when asked', async () => {
    await client.sendMessage(text('Nhắc lịch', { messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', notificationType: 'SILENT_PUSH' }));
    expect(fake.received[0]).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', notificationType: 'SILENT_PUSH' });
  });

  it('refuses a tag without MESSAGE_TAG before calling Graph', async () => {
    const err = await failure(client.sendMessage(text('x', { tag: 'HUMAN_AGENT' })));
    expect(err.kind).toBe('permanent');
    expect(fake.requests).toHaveLength(0);
  });

  it('maps a revoked token (190) to auth', async () => {
    fake.revokeToken();
    const err = await failure(client.sendMessage(text()));
    expect(err).toMatchObject({ kind: 'auth', platformCode: '190/460' });
    expect(err.message).not.toContain(TOKEN);
  });

  it('maps a wrong token to auth, and a missing one to auth without a request', async () => {
    const wrong = createMessengerClient({ config: configFor(fake, { pageAccessToken: 'EAAG-other' }) });
    expect(await failure(wrong.sendMessage(text()))).toMatchObject({ kind: 'auth', platformCode: 190 });
    const none = createMessengerClient({ config: configFor(fake, { pageAccessToken: undefined }) });
    expect((await failure(none.sendMessage(text()))).kind).toBe('auth');
    expect(fake.requests).toHaveLength(1);
  });

  it('maps the rate limit (613) to rate_limited with the time to regain access', async () => {
    fake.setRateLimit(2);
    await client.sendMessage(text('1'));
    await client.sendMessage(text('2'));
    const err = await failure(client.sendMessage(text('3')));
    expect(err).toMatchObject({ kind: 'rate_limited', platformCode: 613, retryAfterMs: 60_000 });
    expect(fake.received).toHaveLength(2);
  });

  it.each([4, 17, 32])('maps Graph throttling code %d to rate_limited', async (code) => {
    fake.failNext({ error: { code, message: 'Application request limit reached' } });
    expect((await failure(client.sendMessage(text()))).kind).toBe('rate_limited');
  });

  it('maps "outside of allowed window" (10/2018278) to outside_window', async () => {
    fake.setOutsideWindow(PSID);
    const err = await failure(client.sendMessage(text()));
    expect(err).toMatchObject({ kind: 'outside_window', platformCode: '10/2018278' });
  });

  it('maps a person who is unavailable (551/1545041, 200/2018108) to permanent', async () => {
    fake.setUnavailable(PSID);
    expect(await failure(client.sendMessage(text()))).toMatchObject({ kind: 'permanent', platformCode: '551/1545041' });
    fake.setUnavailable(PSID, false);
    fake.failNext({ error: { code: 200, error_subcode: 2018108, message: 'This person isn’t receiving messages from you right now.' } });
    expect(await failure(client.sendMessage(text()))).toMatchObject({ kind: 'permanent', platformCode: '200/2018108' });
  });

  it('maps error 100 on a tagged send (deprecated CONFIRMED_EVENT_UPDATE) to outside_window: the tag is unusable', async () => {
    const err = await failure(client.sendMessage(text('Lịch thẩm định đổi sang 9:00', { messagingType: 'MESSAGE_TAG', tag: 'CONFIRMED_EVENT_UPDATE' })));
    expect(err).toMatchObject({ kind: 'outside_window', platformCode: 100 });
    expect(err.message).toMatch(/CONFIRMED_EVENT_UPDATE.*no longer usable/);
    expect(fake.received).toHaveLength(0);
  });

  it('maps error 100 on an untagged send (invalid message) to permanent', async () => {
    const tooLong = { text: 'x', quick_replies: [{ content_type: 'text' as const, title: 'a'.repeat(21), payload: 'P' }] };
    const err = await failure(client.sendMessage({ recipientId: PSID, messagingType: 'RESPONSE', message: tooLong }));
    expect(err).toMatchObject({ kind: 'permanent', platformCode: 100 });
  });

  it.each([
    ['HTTP 500 without envelope', 500, undefined, 'http_500'],
    ['HTTP 503 without envelope', 503, undefined, 'http_503'],
    ['code 2 (unexpected error)', { error: { code: 2, message: 'An unexpected error has occurred. Please retry your request later.' } }, 500, 2],
    ['code 1200 (temporary send failure)', { error: { code: 1200, message: 'Temporary send message failure. Please try again later.' } }, 400, 1200],
  ] as const)('maps %s to transient', async (_name, failure_, status, code) => {
    fake.failNext(failure_ as never, 1, status);
    expect(await failure(client.sendMessage(text()))).toMatchObject({ kind: 'transient', platformCode: code });
  });

  it('maps a bare HTTP 429 to rate_limited and a bare 404 to permanent', async () => {
    fake.failNext(429);
    expect((await failure(client.sendMessage(text()))).kind).toBe('rate_limited');
    fake.failNext(404);
    expect(await failure(client.sendMessage(text()))).toMatchObject({ kind: 'permanent', platformCode: 'http_404' });
  });

  it('maps any other Graph error to permanent with its code', async () => {
    fake.failNext({ error: { code: 368, message: 'The action attempted has been deemed abusive or is otherwise disallowed' } });
    expect(await failure(client.sendMessage(text()))).toMatchObject({ kind: 'permanent', platformCode: 368 });
  });

  it('maps a timeout to transient', async () => {
    fake.setLatency(300);
    const slow = createMessengerClient({ config: configFor(fake), timeoutMs: 50 });
    const err = await failure(slow.sendMessage(text()));
    expect(err.kind).toBe('transient');
    expect(err.message).toMatch(/unreachable/);
  });

  it('maps an unreachable server to transient', async () => {
    const gone = await startFakeGraph({ pageAccessToken: TOKEN });
    const base = gone.baseUrl;
    await gone.close();
    const offline = createMessengerClient({ config: configFor(fake, { graphApiBaseUrl: base }) });
    expect((await failure(offline.sendMessage(text()))).kind).toBe('transient');
  });

  it('is refused by the fake when appsecret_proof is wrong (no app secret, different secret)', async () => {
    const other = createMessengerClient({ config: configFor(fake, { appSecret: 'not-the-secret' }) });
    expect(await failure(other.sendMessage(text()))).toMatchObject({ kind: 'permanent', platformCode: 100 });
    const without = createMessengerClient({ config: configFor(fake, { appSecret: undefined }) });
    expect(await failure(without.sendMessage(text()))).toMatchObject({ kind: 'permanent', platformCode: 100 });
  });
});
