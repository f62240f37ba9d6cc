import { createZaloClient, createZaloHttp, type ZaloTokenSource } from '../../../src/channels/zalo';
import { SendError } from '../../../src/channels/types';
import { createLogger } from '../../../src/logger';
import { startFakeZalo, type FakeZalo } from '../../fakes/zalo';
import { APP_ID, APP_SECRET, USER_ID, zaloConfig } from './helpers';

/** A token source over the fake: counts refreshes, mints a new pair on each. */
function tokensFor(fake: FakeZalo, initial: string) {
  let current = initial;
  const source: ZaloTokenSource & { refreshes: string[] } = {
    refreshes: [],
    async getAccessToken() {
      return current;
    },
    async refreshAfterFailure(failed) {
      source.refreshes.push(failed);
      current = fake.issueToken().accessToken;
      return current;
    },
  };
  return source;
}

async function sendError(p: Promise<unknown>): Promise<SendError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof SendError)) throw new Error(`expected a SendError, got ${String(err)}`);
  return err;
}

describe('Zalo client against the fake platform', () => {
  let fake: FakeZalo;
  beforeEach(async () => {
    fake = await startFakeZalo({ appId: APP_ID, appSecret: APP_SECRET, initialAccessToken: 'at-0', initialRefreshToken: 'rt-0' });
  });
  afterEach(() => fake.close());

  function client(opts: { now?: Date; timeoutMs?: number } = {}) {
    const tokens = tokensFor(fake, 'at-0');
    const c = createZaloClient({
      config: zaloConfig(fake.baseUrl),
      tokens,
      logger: createLogger('silent'),
      http: createZaloHttp(opts.timeoutMs),
      now: opts.now ? () => opts.now as Date : undefined,
    });
    return { c, tokens };
  }

  it('sends a CS message with the access_token header and returns Zalo’s message_id', async () => {
    const { c } = client();
    const id = await c.sendCsMessage(USER_ID, { text: 'Lệ phí đăng ký kết hôn: miễn phí.', quickReplies: [{ title: 'Hồ sơ', payload: 'PROC:ket-hon:documents' }] });
    expect(fake.received).toHaveLength(1);
    const [got] = fake.received;
    expect(id).toBe(got?.messageId);
    expect(got?.accessToken).toBe('at-0');
    expect(got?.body).toEqual({
      recipient: { user_id: USER_ID },
      message: {
        text: 'Lệ phí đăng ký kết hôn: miễn phí.',
        attachment: { type: 'template', payload: { buttons: [{ title: 'Hồ sơ', type: 'oa.query.hide', payload: '#PROC:ket-hon:documents' }] } },
      },
    });
  });

  it('splits a reply over 2,000 characters into several messages, ids joined in order', async () => {
    const { c } = client();
    const text = Array.from({ length: 5 }, (_, i) => `Bước ${i + 1}. ${'Nộp hồ sơ tại bộ phận một cửa. '.repeat(20)}`).join('\n\n');
    const ids = await c.sendCsMessage(USER_ID, { text });
    expect(fake.received.length).toBeGreaterThan(1);
    expect(ids).toBe(fake.received.map((r) => r.messageId).join(','));
    expect(fake.received.map((r) => r.body.message.text).join('\n\n')).toBe(text.normalize('NFC'));
  });

  it('sends a ZNS template with phone 84…, template data as strings and our tracking id', async () => {
    const { c } = client();
    const id = await c.sendZns('84912345678', 'tpl-123', { customer_name: 'Cơ sở An Bình', days_left: 30 }, 'reminder:lic-1:30d');
    const [got] = fake.received;
    expect(got?.kind).toBe('zns');
    expect(id).toBe(got?.messageId);
    expect(got?.body).toEqual({
      phone: '84912345678',
      template_id: 'tpl-123',
      template_data: { customer_name: 'Cơ sở An Bình', days_left: '30' },
      tracking_id: 'reminder:lic-1:30d',
    });
  });

  it('refreshes once on an expired token and delivers the message', async () => {
    const { c, tokens } = client();
    fake.expireAccessToken('at-0');
    await c.sendCsMessage(USER_ID, { text: 'Xin chào' });
    expect(tokens.refreshes).toEqual(['at-0']);
    expect(fake.received).toHaveLength(1);
    expect(fake.received[0]?.accessToken).not.toBe('at-0');
  });

  it('gives up with auth when the token is refused again after the refresh', async () => {
    const { c, tokens } = client();
    fake.failNext(-216, 2);
    const err = await sendError(c.sendCsMessage(USER_ID, { text: 'Xin chào' }));
    expect(err.kind).toBe('auth');
    expect(err.platformCode).toBe(-216);
    expect(tokens.refreshes).toHaveLength(1);
    expect(fake.received).toEqual([]);
  });

  // 2026-03-10 15:30 UTC = 22:30 Vietnam time: night errors wait until 06:00 (23:00 UTC).
  const night = new Date('2026-03-10T15:30:00Z');
  const sixAm = new Date('2026-03-10T23:00:00Z').getTime() - night.getTime();

  it.each([
    [-32, 'rate_limited'],
    [-211, 'rate_limited'],
    [-213, 'permanent'],
    [-227, 'permanent'],
    [-230, 'outside_window'],
    [-232, 'outside_window'],
    [-234, 'rate_limited'],
    [-220, 'auth'],
    [-999, 'permanent'],
  ] as const)('maps CS error %i to %s', async (code, kind) => {
    const { c } = client({ now: night });
    fake.failNext(code, 2);
    const err = await sendError(c.sendCsMessage(USER_ID, { text: 'x' }));
    expect(err.kind).toBe(kind);
    expect(err.platformCode).toBe(code);
  });

  it('waits until 06:00 Vietnam time after a night refusal (-234 CS, -133 ZNS)', async () => {
    const { c } = client({ now: night });
    fake.failNext(-234);
    expect((await sendError(c.sendCsMessage(USER_ID, { text: 'x' }))).retryAfterMs).toBe(sixAm);
    fake.failNext(-133);
    const zns = await sendError(c.sendZns('84912345678', 't', {}, 'k1'));
    expect(zns).toMatchObject({ kind: 'rate_limited', platformCode: -133, retryAfterMs: sixAm });
  });

  it('waits about a minute on -32 and at least an hour on an exhausted quota', async () => {
    const { c } = client({ now: night });
    fake.failNext(-32);
    const limited = await sendError(c.sendCsMessage(USER_ID, { text: 'x' }));
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    expect(limited.retryAfterMs).toBeLessThanOrEqual(61_000);
    fake.failNext(-211);
    expect((await sendError(c.sendCsMessage(USER_ID, { text: 'x' }))).retryAfterMs).toBeGreaterThanOrEqual(3_600_000);
  });

  it('treats HTTP 500 and timeouts as transient', async () => {
    const { c } = client({ timeoutMs: 300 });
    fake.failNext('http500');
    expect((await sendError(c.sendCsMessage(USER_ID, { text: 'x' }))).kind).toBe('transient');
    fake.failNext('timeout');
    const timeout = await sendError(c.sendCsMessage(USER_ID, { text: 'x' }));
    expect(timeout.kind).toBe('transient');
    expect(timeout.message).toMatch(/timeout/);
    expect(fake.received).toEqual([]);
  });

  it('surfaces the fake’s own rate limit as rate_limited', async () => {
    const { c } = client();
    fake.setRateLimit(2);
    await c.sendCsMessage(USER_ID, { text: '1' });
    await c.sendCsMessage(USER_ID, { text: '2' });
    const err = await sendError(c.sendCsMessage(USER_ID, { text: '3' }));
    expect(err).toMatchObject({ kind: 'rate_limited', platformCode: -32 });
    expect(fake.received).toHaveLength(2);
  });
});
