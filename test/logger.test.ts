/**
 * Secrets never reach the logs and phone numbers appear masked, whatever a caller hands the logger:
 * a real axios error from a failing Zalo send (its config carries the access token), the Zalo
 * client's own warnings, a request log line, an OTP/phone log. The output is read back from the
 * stream pino writes to.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import express from 'express';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { createZaloClient, createZaloHttp } from '../src/channels/zalo';
import { requestLog } from '../src/http/request-log';
import { createLogger, LOG_FLUSH_MS, type Logger } from '../src/logger';
import { maskPhone, maskText } from '../src/log-masking';
import { startFakeZalo, type FakeZalo } from './fakes/zalo';

const ACCESS_TOKEN = 'AT-4f9c2e71b8d3a6e05c1b';
const PAGE_TOKEN = 'EAAG-page-token-77d1e0c9';

/** A logger writing into `lines` (one parsed JSON object per line) and the raw text. */
function capture(level = 'debug'): { logger: Logger; text: () => string; lines: () => Record<string, unknown>[] } {
  let raw = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      raw += String(chunk);
      done();
    },
  });
  const logger = createLogger(level, 'test', stream);
  return {
    logger,
    text: () => raw,
    lines: () => raw.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('masking helpers', () => {
  it('masks Vietnamese phone numbers, alone or in text, and leaves platform ids alone', () => {
    expect(maskPhone('0912345678')).toBe('0912***678');
    expect(maskPhone('+84 912 345 678')).toBe('8491***678');
    expect(maskText('gọi 0912 345 678 hoặc 84987654321, mã Zalo 2468458835296117922')).toBe('gọi 0912***678 hoặc 8498***321, mã Zalo 2468458835296117922');
    expect(maskText('GET /me/messages?access_token=abc123&appsecret_proof=def')).toBe('GET /me/messages?access_token=[redacted]&appsecret_proof=[redacted]');
    expect(maskText('{"access_token":"abc","expires_in":"90000"}')).toBe('{"access_token":"[redacted]","expires_in":"90000"}');
    expect(maskText('Authorization: Bearer eyJhbGciOi.x.y')).toBe('Authorization: Bearer [redacted]');
  });
});

describe('logs of a failing Zalo send', () => {
  let fake: FakeZalo;
  beforeEach(async () => {
    fake = await startFakeZalo({ appId: '3608465248940903967', appSecret: 'app-secret', initialAccessToken: ACCESS_TOKEN, initialRefreshToken: 'RT-1' });
  });
  afterEach(() => fake.close());

  it('never contain the access token from an axios error (header, query string, raw request)', async () => {
    fake.failNext('http500');
    const err: unknown = await axios
      .post(`${fake.baseUrl}/v3.0/oa/message/cs?access_token=${PAGE_TOKEN}`, { recipient: { user_id: '1' }, message: { text: 'x' } }, { headers: { access_token: ACCESS_TOKEN } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    // The error really carries the secrets (so the test can fail): in its config and its raw request.
    expect(axios.isAxiosError(err)).toBe(true);
    expect(JSON.stringify((err as { config: unknown }).config)).toContain(ACCESS_TOKEN);
    expect(String((err as { request: { _header: string } }).request._header)).toContain(ACCESS_TOKEN);

    const out = capture();
    out.logger.error({ err }, 'zalo send failed');
    out.logger.warn(err as Error);
    out.logger.child({ component: 'outbox' }).error({ error: err, attempt: { err } }, 'nested');
    const text = out.text();
    expect(text).not.toContain(ACCESS_TOKEN);
    expect(text).not.toContain(PAGE_TOKEN);
    // What is useful stays: the status, the method and the path.
    const [first] = out.lines();
    expect(first?.err).toMatchObject({ type: 'AxiosError', status: 500, method: 'post', url: `${fake.baseUrl}/v3.0/oa/message/cs` });
  });

  it("never contain the token through the Zalo client's own path (token refused, then the SendError logged by the outbox)", async () => {
    const out = capture();
    const client = createZaloClient({
      config: { apiBaseUrl: fake.baseUrl, znsBaseUrl: fake.baseUrl },
      tokens: { getAccessToken: async () => ACCESS_TOKEN, refreshAfterFailure: async () => ACCESS_TOKEN },
      logger: out.logger,
      http: createZaloHttp(),
    });
    fake.failNext(-216, 2);
    const sendErr = await client.sendZns('84912345678', 'tpl-1', { customer_name: 'Bình An', phone: '0912345678' }, 'track-1').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(sendErr).toBeInstanceOf(Error);
    out.logger.warn({ err: sendErr, outboxId: 7, recipient: { phone: '84912345678' } }, 'send failed');
    fake.failNext('timeout');
    const slow = createZaloClient({ config: { apiBaseUrl: fake.baseUrl, znsBaseUrl: fake.baseUrl }, tokens: { getAccessToken: async () => ACCESS_TOKEN, refreshAfterFailure: async () => ACCESS_TOKEN }, logger: out.logger, http: createZaloHttp(300) });
    out.logger.warn({ err: await slow.sendCsMessage('1', { text: 'x' }).catch((e: unknown) => e) }, 'send failed');
    const text = out.text();
    expect(out.lines().length).toBeGreaterThanOrEqual(3);
    expect(text).not.toContain(ACCESS_TOKEN);
    expect(text).not.toContain('84912345678');
    expect(text).toContain('8491***678');
  });
});

describe('request log', () => {
  it('logs method, path and status only: no query string, headers or body, and the .ics link secret masked', async () => {
    const out = capture();
    const app = express();
    app.use(requestLog(out.logger));
    app.use(express.json());
    app.all('/{*rest}', (_req, res) => res.status(200).json({ ok: true }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await fetch(`${base}/webhooks/messenger?hub.verify_token=VERIFY-SECRET&hub.challenge=1`, { headers: { authorization: 'Bearer BEARER-SECRET', cookie: 'tlmc_session=COOKIE-SECRET' } });
      await fetch(`${base}/appraisal/bookings/0b6f5a52-3c1e-4a57-9d1e-2f4a7c9e8b10/HMAC-SECRET-abcdef.ics`);
      await fetch(`${base}/api/webchat/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sessionId: 'session-1', text: 'số tôi 0912345678' }) });
    } finally {
      server.close();
    }
    const text = out.text();
    for (const secret of ['VERIFY-SECRET', 'BEARER-SECRET', 'COOKIE-SECRET', 'HMAC-SECRET', '0912345678']) expect([secret, text.includes(secret)]).toEqual([secret, false]);
    expect(out.lines().map((l) => [l.method, l.path, l.status])).toEqual([
      ['GET', '/webhooks/messenger', 200],
      ['GET', '/appraisal/bookings/0b6f5a52-3c1e-4a57-9d1e-2f4a7c9e8b10/[redacted].ics', 200],
      ['POST', '/api/webchat/messages', 200],
    ]);
  });
});

describe('OTP and phone logs', () => {
  it('redact codes, tokens, passwords and cookies at any depth and mask phones in fields, bindings and messages', () => {
    const out = capture();
    const child = out.logger.child({ phone: '0987654321' });
    child.info(
      {
        phone: '0912345678',
        otp: '482913',
        verificationCode: '771204',
        password: 'hunter2-password',
        session: { cookie: 'sid=SESSION-COOKIE', csrfToken: 'CSRF-TOKEN-1' },
        zns: { template_data: { customer_name: 'Bình An', phone_number: '84912345678' }, access_token: ACCESS_TOKEN },
        holders: [{ phone: '0901234567' }],
      },
      'sent a one-time code to 0912 345 678',
    );
    const err = Object.assign(new Error('duplicate key value violates unique constraint'), { detail: 'Key (phone)=(0912345678) already exists.', code: '23505' });
    out.logger.error({ err }, 'insert failed');
    const text = out.text();
    for (const secret of ['482913', '771204', 'hunter2-password', 'SESSION-COOKIE', 'CSRF-TOKEN-1', ACCESS_TOKEN, '0912345678', '84912345678', '0901234567', '0987654321', '0912 345 678']) {
      expect([secret, text.includes(secret)]).toEqual([secret, false]);
    }
    // A failed statement: drizzle spells out its parameters (here a token pair being stored) in the message.
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "zalo_tokens_pkey"'), { code: '23505' });
    const failed = new DrizzleQueryError('insert into zalo_tokens (oa_id, access_token, refresh_token) values ($1, $2, $3)', ['oa-1', ACCESS_TOKEN, 'RT-SECRET-0042'], cause);
    out.logger.error({ err: failed }, 'token store failed');
    expect(out.text()).not.toContain('RT-SECRET-0042');
    expect(out.text()).not.toContain(ACCESS_TOKEN);
    expect(out.lines()[2]?.err).toMatchObject({ type: 'DrizzleQueryError', message: expect.stringContaining('insert into zalo_tokens'), cause: { code: '23505' } });
    const [line, errLine] = out.lines();
    expect(line).toMatchObject({ phone: '0912***678', otp: '[redacted]', msg: 'sent a one-time code to 0912***678', holders: [{ phone: '0901***567' }] });
    expect(text).toContain('"phone":"0987***321"'); // the child's binding
    expect(errLine?.err).toMatchObject({ type: 'Error', code: '23505', detail: 'Key (phone)=(0912***678) already exists.' });
  });

  it('hide request-shaped credentials (headers, signatures, set-cookie) by key name, the same key every time', () => {
    const out = capture();
    const request = {
      req: { headers: { authorization: 'Bearer AUTH-HEADER-1', cookie: 'sid=COOKIE-2', 'x-zevent-signature': 'mac=SIG-3', 'X-Hub-Signature-256': 'sha256=SIG-4' } },
      res: { headers: { 'set-cookie': ['sid=COOKIE-5'] } },
      headers: { access_token: 'TOKEN-6', secret_key: 'SECRET-7' },
      refresh_token: 'TOKEN-8',
      nested: { deeper: { password: 'PASSWORD-9', otp: 'OTP-10' } },
    };
    // Twice: the second line classifies its keys from memory, and must hide the same things.
    out.logger.info(request, 'incoming');
    out.logger.info(request, 'incoming');
    const text = out.text();
    for (const secret of ['AUTH-HEADER-1', 'COOKIE-2', 'SIG-3', 'SIG-4', 'COOKIE-5', 'TOKEN-6', 'SECRET-7', 'TOKEN-8', 'PASSWORD-9', 'OTP-10']) {
      expect([secret, text.includes(secret)]).toEqual([secret, false]);
    }
    expect(out.lines()[1]).toMatchObject({ req: { headers: { authorization: '[redacted]' } }, nested: { deeper: { password: '[redacted]' } } });
  });
});

describe("servers' buffered standard output", () => {
  /** Runs a script with the logger on `bufferedStdout()`; resolves with stdout and when each line arrived. */
  function runScript(body: string): Promise<{ out: string; arrivals: { at: number; text: string }[] }> {
    const script = `
      const { createLogger, bufferedStdout } = require('./src/logger');
      const logger = createLogger('info', 'buffered', bufferedStdout());
      ${body}`;
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: path.resolve(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      const arrivals: { at: number; text: string }[] = [];
      child.stdout.on('data', (d: Buffer) => {
        out += String(d);
        arrivals.push({ at: Date.now() - started, text: String(d) });
      });
      child.on('error', reject);
      child.on('close', () => resolve({ out, arrivals }));
    });
  }

  it('writes a lone line within the flush interval while the process goes on, not only at exit', async () => {
    // The process lives 4 flush intervals after its one line; the line must come out long before it ends.
    const { arrivals } = await runScript(`logger.info('first line'); setTimeout(() => logger.info('last line'), ${LOG_FLUSH_MS * 4});`);
    const first = arrivals.find((a) => a.text.includes('first line'));
    const last = arrivals.find((a) => a.text.includes('last line'));
    expect(first && last).toBeTruthy();
    expect((last?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThan(LOG_FLUSH_MS * 2);
  });

  it('writes out everything still buffered when the process exits, also through process.exit after an error', async () => {
    const { out } = await runScript(`for (let i = 0; i < 50; i++) logger.info({ i }, 'line'); logger.error('fatal: stopping'); process.exit(1);`);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; i?: number });
    expect(lines.filter((l) => l.msg === 'line').map((l) => l.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(lines.at(-1)?.msg).toBe('fatal: stopping');
  });
});
