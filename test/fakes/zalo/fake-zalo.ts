/**
 * A local fake of Zalo's OpenAPI (CS messages), ZNS (template messages) and OAuth v4 (token refresh)
 * in one `node:http` server on a free port, for tests and `npm run sandbox`. No test-runner APIs.
 *
 * It behaves like the real services where our code depends on it:
 * - errors are HTTP 200 envelopes `{error: <non-zero>, message}`; success `{error: 0, data: {…}}`
 *   with `data.message_id` (CS) or `data.msg_id` (ZNS);
 * - `access_token` header checked: unknown/expired -> -216 "Access token is invalid" on the OA API,
 *   -124 on ZNS (ZNS has its own table: "-124 Access token invalid");
 * - refresh tokens are single-use: the old one is dead once a refresh succeeded; a reused or unknown
 *   one gets `{error: -14014, error_name: "Invalid refresh token", error_reason, ref_doc}` (the
 *   -14xxx OAuth envelope carries `error_name`/`error_reason`/`ref_doc`, spec §4.1.2); a new pair
 *   comes with `expires_in: "90000"` (a string, 25 h);
 * - a per-minute request limit answers -32 "Your OA reached limit call api";
 * - `failNext` makes the next calls fail with a Zalo code, an HTTP 500/429 or a hang (timeout);
 *   `setRandomFaults` makes calls fail at random (from a seeded generator) for fault-tolerance tests.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface FakeZaloOptions {
  appId: string;
  appSecret: string;
  initialAccessToken: string;
  initialRefreshToken: string;
  /** Lifetime of issued access tokens in seconds (Zalo: 90000). */
  accessTokenLifetimeSec?: number;
}

export type FakeEndpoint = 'cs' | 'zns' | 'oauth';
export type FakeFailure = number | 'http500' | 'http429' | 'timeout';

/**
 * Random faults: every call to `endpoints` (default CS and ZNS) draws one number from `random`, and
 * fails with the first entry whose cumulative probability covers it. Pass a seeded generator (e.g.
 * bench/lib/common.ts `seededRandom`) so a failing run can be replayed.
 */
export interface FakeRandomFaults {
  random: () => number;
  failures: Array<{ failure: FakeFailure; probability: number }>;
  endpoints?: FakeEndpoint[];
}

/** A call the fake answered with an injected failure instead of doing it. */
export interface FakeInjectedFailure {
  endpoint: FakeEndpoint;
  failure: FakeFailure;
  /** The request body as sent (JSON for CS/ZNS, a form for OAuth). */
  rawBody: string;
  at: Date;
}

export interface FakeZaloReceived {
  kind: 'cs' | 'zns';
  /** The id the fake answered with (`message_id` for CS, `msg_id` for ZNS). */
  messageId: string;
  accessToken: string;
  /** The parsed JSON body as sent. */
  body: any;
  at: Date;
}

export interface FakeRefreshCall {
  refreshToken: string;
  ok: boolean;
  at: Date;
}

export interface FakeZalo {
  /** Use as apiBaseUrl, znsBaseUrl and oauthBaseUrl. */
  baseUrl: string;
  /** Every accepted CS/ZNS message, in order. */
  received: FakeZaloReceived[];
  /** Every call to the OAuth refresh endpoint (accepted or refused). */
  refreshCalls: FakeRefreshCall[];
  /** Every injected failure (`failNext` and `setRandomFaults`), in order. */
  injected: FakeInjectedFailure[];
  /** Mints a valid pair (as an admin re-consenting would) and returns it. */
  issueToken(): { accessToken: string; refreshToken: string };
  /** Expires one access token, or all of them. */
  expireAccessToken(token?: string): void;
  /** The next `n` calls to `endpoints` fail with `failure` (a Zalo error code, HTTP 500, or a hang). */
  failNext(failure: FakeFailure, n?: number, endpoints?: FakeEndpoint[]): void;
  /** Turns random faults on (after any `failNext` ones are used up), or off with `undefined`. */
  setRandomFaults(faults: FakeRandomFaults | undefined): void;
  /** Requests per minute to CS+ZNS before -32 (undefined: no limit). */
  setRateLimit(perMinute: number | undefined): void;
  /** Answers on `endpoints` only after `ms` (e.g. to hold a refresh open while another process races it). */
  setDelay(ms: number, endpoints?: FakeEndpoint[]): void;
  close(): Promise<void>;
}

const OA_MESSAGES: Record<number, string> = {
  [-32]: 'Your OA reached limit call api',
  [-108]: 'Phone number is invalid',
  [-124]: 'Access token is invalid',
  [-133]: 'This ZNS template cannot be sent at night',
  [-201]: 'Parameters are invalid!',
  [-210]: 'Parameter exceeds allowable limit',
  [-211]: 'Out of quota',
  [-213]: 'User has not followed OA',
  [-216]: 'Access token is invalid',
  [-220]: 'access_token is expired or removed',
  [-227]: 'User is banned or has been inactive for more than 45 days',
  [-230]: 'User has not interacted with the OA in the past 7 days',
  [-232]: 'User has not interacted, or last interaction expired',
  [-234]: 'This message cannot be sent at night (10:00PM - 6:00AM)',
};

const newId = (bytes: number) => randomBytes(bytes).toString('hex');

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const zaloError = (res: ServerResponse, code: number, message?: string) =>
  json(res, 200, { error: code, message: message ?? OA_MESSAGES[code] ?? `Error ${code}` });

/** `null` when the CS body is acceptable, else the Zalo error to answer. */
function checkCs(body: any): [number, string] | null {
  if (typeof body?.recipient?.user_id !== 'string' || !body.recipient.user_id) return [-201, 'user_id is invalid!'];
  const m = body.message;
  if (typeof m !== 'object' || m === null) return [-201, 'message is invalid!'];
  if (m.text !== undefined && typeof m.text !== 'string') return [-201, 'text is invalid!'];
  if (typeof m.text === 'string' && m.text.length > 2000) return [-210, OA_MESSAGES[-210] ?? ''];
  if (!m.text && !m.attachment) return [-201, 'message is invalid!'];
  const buttons = m.attachment?.payload?.buttons;
  if (m.attachment !== undefined) {
    if (m.attachment.type !== 'template' || !Array.isArray(buttons) || buttons.length === 0 || buttons.length > 5) {
      return [-201, 'attachment is invalid!'];
    }
    for (const b of buttons) {
      const okTitle = typeof b?.title === 'string' && b.title.length > 0 && b.title.length <= 100;
      const okQuery = (b?.type === 'oa.query.show' || b?.type === 'oa.query.hide') && typeof b.payload === 'string' && b.payload.length <= 1000;
      const okUrl = b?.type === 'oa.open.url' && typeof b.payload?.url === 'string';
      if (!okTitle || !(okQuery || okUrl)) return [-201, 'buttons is invalid!'];
    }
  }
  return null;
}

/** `null` when the ZNS body is acceptable, else the ZNS error to answer. */
function checkZns(body: any): [number, string] | null {
  if (typeof body?.phone !== 'string' || !/^84\d{9,10}$/.test(body.phone)) return [-108, OA_MESSAGES[-108] ?? ''];
  if (typeof body.template_id !== 'string' || !body.template_id) return [-109, 'Template ID invalid'];
  if (typeof body.template_data !== 'object' || body.template_data === null) return [-111, 'Template data empty'];
  if (typeof body.tracking_id !== 'string' || !body.tracking_id || body.tracking_id.length > 48) return [-132, 'tracking_id is invalid'];
  return null;
}

export async function startFakeZalo(opts: FakeZaloOptions): Promise<FakeZalo> {
  const lifetimeMs = (opts.accessTokenLifetimeSec ?? 90000) * 1000;
  const accessTokens = new Map<string, number>([[opts.initialAccessToken, Date.now() + lifetimeMs]]);
  const refreshTokens = new Set<string>([opts.initialRefreshToken]);
  const received: FakeZaloReceived[] = [];
  const refreshCalls: FakeRefreshCall[] = [];
  const failures: Array<{ failure: FakeFailure; endpoints: FakeEndpoint[] }> = [];
  const injected: FakeInjectedFailure[] = [];
  let random: FakeRandomFaults | undefined;
  const recentCalls: number[] = [];
  const hung = new Set<ServerResponse>();
  let perMinute: number | undefined;
  const delays = new Map<FakeEndpoint, number>();
  const pause = (endpoint: FakeEndpoint) => new Promise((resolve) => setTimeout(resolve, delays.get(endpoint) ?? 0));

  const mint = () => {
    const pair = { accessToken: `at_${newId(12)}`, refreshToken: `rt_${newId(12)}` };
    accessTokens.set(pair.accessToken, Date.now() + lifetimeMs);
    refreshTokens.add(pair.refreshToken);
    return pair;
  };

  /** The random failure drawn for this call, if random faults are on for the endpoint. */
  function drawFailure(endpoint: FakeEndpoint): FakeFailure | undefined {
    if (!random || !(random.endpoints ?? ['cs', 'zns']).includes(endpoint)) return undefined;
    const u = random.random();
    let cumulative = 0;
    for (const f of random.failures) {
      cumulative += f.probability;
      if (u < cumulative) return f.failure;
    }
    return undefined;
  }

  /** Applies a queued (else a random) failure for this endpoint; true when the response was taken care of. */
  function injectFailure(endpoint: FakeEndpoint, res: ServerResponse, rawBody: string): boolean {
    const index = failures.findIndex((f) => f.endpoints.includes(endpoint));
    const failure = index >= 0 ? failures.splice(index, 1)[0]?.failure : drawFailure(endpoint);
    if (failure === undefined) return false;
    injected.push({ endpoint, failure, rawBody, at: new Date() });
    if (failure === 'http500') {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal Server Error');
    } else if (failure === 'http429') {
      res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '60' });
      res.end('Too Many Requests');
    } else if (failure === 'timeout') {
      hung.add(res);
    } else {
      zaloError(res, failure);
    }
    return true;
  }

  function rateLimited(): boolean {
    const now = Date.now();
    while (recentCalls.length > 0 && (recentCalls[0] ?? 0) <= now - 60_000) recentCalls.shift();
    recentCalls.push(now);
    return perMinute !== undefined && recentCalls.length > perMinute;
  }

  async function onMessage(kind: 'cs' | 'zns', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    await pause(kind);
    if (rateLimited()) return zaloError(res, -32);
    if (injectFailure(kind, res, raw)) return;
    const token = req.headers['access_token'];
    const expiry = typeof token === 'string' ? accessTokens.get(token) : undefined;
    if (typeof token !== 'string' || expiry === undefined || expiry <= Date.now()) return zaloError(res, kind === 'cs' ? -216 : -124);
    let body: any;
    try {
      body = JSON.parse(raw);
    } catch {
      return zaloError(res, kind === 'cs' ? -201 : -122, 'Body request is not valid JSON');
    }
    const problem = kind === 'cs' ? checkCs(body) : checkZns(body);
    if (problem) return zaloError(res, problem[0], problem[1]);
    const messageId = newId(10);
    received.push({ kind, messageId, accessToken: token, body, at: new Date() });
    if (kind === 'cs') return json(res, 200, { error: 0, message: 'Success', data: { message_id: messageId, user_id: body.recipient.user_id } });
    json(res, 200, {
      error: 0,
      message: 'Success',
      data: { msg_id: messageId, sent_time: String(Date.now()), sending_mode: '1', quota: { dailyQuota: '500', remainingQuota: '499' } },
    });
  }

  async function onRefresh(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const form = new URLSearchParams(raw);
    const refreshToken = form.get('refresh_token') ?? '';
    await pause('oauth');
    if (injectFailure('oauth', res, raw)) {
      refreshCalls.push({ refreshToken, ok: false, at: new Date() });
      return;
    }
    // Codes other than -14014 are chosen by this fake: Zalo publishes no -14xxx table.
    const refuse = (error: number, name: string, reason: string) => {
      refreshCalls.push({ refreshToken, ok: false, at: new Date() });
      json(res, 200, { error, error_name: name, error_reason: reason, ref_doc: 'https://developers.zalo.me/docs/official-account/bat-dau/xac-thuc-va-uy-quyen-cho-ung-dung-new' });
    };
    if (req.headers['secret_key'] !== opts.appSecret) return refuse(-14004, 'Invalid secret key', 'secret_key header does not match the app');
    if (form.get('app_id') !== opts.appId) return refuse(-14002, 'Invalid appId', 'app_id does not match');
    if (form.get('grant_type') !== 'refresh_token') return refuse(-14001, 'Invalid grant_type', 'grant_type must be refresh_token');
    if (!refreshTokens.delete(refreshToken)) return refuse(-14014, 'Invalid refresh token', 'refresh token is invalid or already used');
    const pair = mint();
    refreshCalls.push({ refreshToken, ok: true, at: new Date() });
    json(res, 200, { access_token: pair.accessToken, refresh_token: pair.refreshToken, expires_in: String(lifetimeMs / 1000) });
  }

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const route =
      req.method !== 'POST'
        ? undefined
        : path === '/v3.0/oa/message/cs'
          ? () => onMessage('cs', req, res)
          : path === '/message/template'
            ? () => onMessage('zns', req, res)
            : path === '/v4/oa/access_token'
              ? () => onRefresh(req, res)
              : undefined;
    if (!route) return json(res, 404, { error: 404, message: `no fake for ${req.method} ${path}` });
    route().catch((err: Error) => json(res, 500, { error: -1, message: err.message }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    refreshCalls,
    injected,
    issueToken: mint,
    expireAccessToken(token) {
      for (const t of token === undefined ? [...accessTokens.keys()] : [token]) accessTokens.set(t, 0);
    },
    failNext(failure, n = 1, endpoints = ['cs', 'zns']) {
      for (let i = 0; i < n; i++) failures.push({ failure, endpoints });
    },
    setRandomFaults(faults) {
      random = faults;
    },
    setDelay(ms, endpoints = ['cs', 'zns', 'oauth']) {
      for (const e of endpoints) delays.set(e, ms);
    },
    setRateLimit(limit) {
      perMinute = limit;
      recentCalls.length = 0;
    },
    close() {
      for (const res of hung) res.destroy();
      hung.clear();
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
