/**
 * Per-client limits: the sliding-window limiter on its own (with a clock the test moves), then the
 * web chat's per-session and per-address limits over real HTTP on the running app.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { SlidingWindowLimiter } from '../../src/http/rate-limit';
import { loadTranslator } from '../../src/i18n';
import { trustProxySetting, loadConfig, ConfigError } from '../../src/config';
import { describeEachDatabase } from '../support/db';
import { startApp, type RunningApp } from '../support/app';

const i18n = loadTranslator(path.resolve(__dirname, '../../locales'));

describe('SlidingWindowLimiter', () => {
  it('accepts the limit within any rolling minute and says when the next request will be accepted', () => {
    let now = 1_000_000;
    const limiter = new SlidingWindowLimiter(3, 60_000, () => now);
    expect([limiter.take('a'), limiter.take('a')]).toEqual([{ ok: true }, { ok: true }]);
    now += 20_000;
    expect(limiter.take('a')).toEqual({ ok: true });
    now += 10_000;
    // The oldest of the three was 30 s ago: the next slot opens when it leaves the window.
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 30_000 });
    expect(limiter.take('b')).toEqual({ ok: true }); // keys are independent
    now += 30_000;
    expect(limiter.take('a')).toEqual({ ok: true }); // the first two left the window
    expect(limiter.take('a')).toEqual({ ok: true });
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterMs: 20_000 });
  });

  it('never allows more than the limit in a window, even from a full idle start (no double burst)', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(5, 60_000, () => now);
    const accepted: number[] = [];
    for (now = 0; now < 180_000; now += 1_000) if (limiter.take('k').ok) accepted.push(now);
    for (const start of accepted) expect(accepted.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(5);
    expect(accepted.length).toBe(15);
  });

  it('bounds its table: idle keys are forgotten first, then the least recently seen, never a client being refused', () => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(2, 60_000, () => now, 10);
    for (let i = 0; i < 10; i++) limiter.take(`idle-${i}`);
    expect(limiter.size).toBe(10);
    now += 61_000;
    limiter.take('busy'); // the table is full: the ten idle keys go
    expect(limiter.size).toBe(1);
    limiter.take('busy');
    for (let i = 0; i < 9; i++) limiter.take(`new-${i}`);
    expect(limiter.take('busy').ok).toBe(false); // refused, and now the most recently seen
    limiter.take('new-9'); // full again, nothing idle: the least recently seen (new-0) goes
    expect(limiter.size).toBe(10);
    expect(limiter.take('busy').ok).toBe(false); // still remembered, still refused
  });

  it('refuses a limit below one', () => {
    expect(() => new SlidingWindowLimiter(0)).toThrow(/whole number/);
  });
});

describe('TRUST_PROXY', () => {
  it('accepts false, a hop count or proxy addresses, and refuses "true" (any client could forge its address)', () => {
    expect(trustProxySetting('false')).toBe(false);
    expect(trustProxySetting('')).toBe(false);
    expect(trustProxySetting('1')).toBe(1);
    expect(trustProxySetting('loopback, 10.0.0.0/8,::1')).toEqual(['loopback', '10.0.0.0/8', '::1']);
    expect(trustProxySetting('true')).toBeUndefined();
    expect(trustProxySetting('proxy.example')).toBeUndefined();
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({}).limits).toEqual({ webchatPerSessionPerMinute: 30, webchatPerAddressPerMinute: 300, senderPerMinute: 30 });
  });
});

describeEachDatabase('web chat limits over HTTP', (getDb) => {
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const say = (sessionId: string, headers: Record<string, string> = {}) =>
    fetch(`${app!.baseUrl}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ sessionId, payload: 'GET_STARTED' }),
    });

  it('answers 429 with Retry-After and a Vietnamese message past the per-session limit; other sessions go on', async () => {
    app = await startApp(getDb().database, { WEBCHAT_RATE_PER_MINUTE: '2', WEBCHAT_ADDRESS_RATE_PER_MINUTE: '100' });
    const session = randomUUID();
    expect([(await say(session)).status, (await say(session)).status]).toEqual([200, 200]);
    const refused = await say(session);
    expect(refused.status).toBe(429);
    const seconds = Number(refused.headers.get('retry-after'));
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(60);
    expect(await refused.json()).toEqual({ error: 'rate_limited', message: i18n.t('limits.webchatTooFast', { seconds }) });
    expect(i18n.t('limits.webchatTooFast', { seconds })).toContain('Anh/chị vui lòng chờ');
    expect((await say(randomUUID())).status).toBe(200);
    // The refused message was not stored: only the two answered ones are in the conversation.
    const [row] = await getDb().database.query<{ n: number }>(
      `select count(*)::int as n from messages m join conversations c on c.id = m.conversation_id where c.channel_user_id = $1 and m.direction = 'in'`,
      [session],
    );
    expect(row?.n).toBe(2);
  });

  it('limits one client address across sessions, and reads the address from X-Forwarded-For only behind a trusted proxy', async () => {
    app = await startApp(getDb().database, { WEBCHAT_RATE_PER_MINUTE: '100', WEBCHAT_ADDRESS_RATE_PER_MINUTE: '3' });
    // Default TRUST_PROXY=false: a forged X-Forwarded-For does not buy a fresh allowance.
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await say(randomUUID(), { 'x-forwarded-for': `203.0.113.${i}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    await app.close();

    app = await startApp(getDb().database, { WEBCHAT_RATE_PER_MINUTE: '100', WEBCHAT_ADDRESS_RATE_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
    const fromA = [];
    for (let i = 0; i < 4; i++) fromA.push((await say(randomUUID(), { 'x-forwarded-for': '203.0.113.7' })).status);
    expect(fromA).toEqual([200, 200, 200, 429]);
    // Another citizen behind the same proxy has their own allowance.
    expect((await say(randomUUID(), { 'x-forwarded-for': '198.51.100.20' })).status).toBe(200);
  });
});
