/**
 * A local fake of the Graph API's Send API (`POST /{version}/me/messages` and `/{version}/{page}/messages`)
 * for tests and the sandbox. It behaves like Meta where our client depends on it:
 * - `access_token` query parameter checked (wrong, missing or revoked -> HTTP 400, code 190
 *   OAuthException); `appsecret_proof`, when sent, must be HMAC-SHA256(token, app secret) (code 100);
 * - bodies validated like Meta (code 100, see `validate.ts`), including the deprecated tags;
 * - a per-minute rate limit (HTTP 400, code 613, with `X-Business-Use-Case-Usage`);
 * - people marked outside the window (code 10, subcode 2018278 for untagged sends) or unavailable
 *   (code 551, subcode 1545041); injected failures (`failNext`) and latency;
 * - accepted messages recorded with a generated `message_id` ("m_…") and answered
 *   `{recipient_id, message_id}`.
 * Plain `node:http`, no test-framework APIs: the sandbox uses it too.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateSendRequest, type FakeGraphError } from './validate';

export interface FakeGraphOptions {
  pageAccessToken: string;
  /** When set, a sent `appsecret_proof` is verified against it. */
  appSecret?: string;
  /** Reported API version (any `vN.N` path is served). Default 'v23.0'. */
  version?: string;
  pageId?: string;
  /** Refuse calls without `appsecret_proof` ("Require App Secret" on). Default false. */
  requireAppSecretProof?: boolean;
  /** Accept CONFIRMED_EVENT_UPDATE / ACCOUNT_UPDATE / POST_PURCHASE_UPDATE as before 27 April 2026. Default false. */
  acceptDeprecatedTags?: boolean;
  /** The app holds the Human Agent permission. Default true. */
  humanAgentApproved?: boolean;
  host?: string;
  port?: number;
}

/** A message the fake accepted. */
export interface FakeGraphMessage {
  messageId: string;
  recipientId: string;
  messagingType: string;
  tag?: string;
  notificationType?: string;
  /** The Send API `message` object as received. */
  message: { text?: string; attachment?: any; quick_replies?: any[] };
  at: Date;
}

/** Every request, accepted or not. */
export interface FakeGraphRequest {
  path: string;
  status: number;
  body: unknown;
  errorCode?: number;
  at: Date;
}

export type GraphErrorEnvelope = { error: Partial<FakeGraphError> & { code: number; message: string } };

export interface FakeGraph {
  baseUrl: string;
  version: string;
  pageId: string;
  received: FakeGraphMessage[];
  requests: FakeGraphRequest[];
  /** The next `n` requests fail: with this envelope (HTTP `httpStatus`, default 400) or a bare HTTP status. */
  failNext(failure: GraphErrorEnvelope | number, n?: number, httpStatus?: number): void;
  /** Requests allowed per rolling minute; null = unlimited. */
  setRateLimit(perMinute: number | null): void;
  /** The Page token stops working (code 190) until `restoreToken`. */
  revokeToken(): void;
  restoreToken(): void;
  /** Untagged sends to this PSID fail with 10/2018278 (as if the person last wrote > 24 h ago). */
  setOutsideWindow(psid: string, outside?: boolean): void;
  /** Sends to this PSID fail with 551/1545041 (blocked us, deactivated). */
  setUnavailable(psid: string, unavailable?: boolean): void;
  /** Delay before each answer (timeouts). */
  setLatency(ms: number): void;
  /** Resolves once `count` messages were accepted (rejects after `timeoutMs`). */
  waitForMessages(count: number, timeoutMs?: number): Promise<FakeGraphMessage[]>;
  /** Clears recordings, failures, limits and marks. */
  reset(): void;
  close(): Promise<void>;
}

function envelope(error: FakeGraphError): { error: FakeGraphError } {
  return { error: { ...error, fbtrace_id: error.fbtrace_id ?? randomBytes(8).toString('base64url') } };
}

function safeEqualHex(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** Starts the fake on `host:port` (default 127.0.0.1, a free port). */
export async function startFakeGraph(options: FakeGraphOptions): Promise<FakeGraph> {
  const version = options.version ?? 'v23.0';
  const pageId = options.pageId ?? '100000000000001';
  const state = {
    revoked: false,
    rateLimit: null as number | null,
    hits: [] as number[],
    failures: [] as Array<{ status: number; body: unknown }>,
    outside: new Set<string>(),
    unavailable: new Set<string>(),
    latency: 0,
  };
  const received: FakeGraphMessage[] = [];
  const requests: FakeGraphRequest[] = [];
  const waiters = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();

  function answer(path: string, body: unknown, status: number, payload: unknown, res: ServerResponse, headers: Record<string, string> = {}) {
    const code = (payload as { error?: { code?: number } } | null)?.error?.code;
    requests.push({ path, status, body, errorCode: code, at: new Date() });
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const type = typeof payload === 'string' ? 'text/plain' : 'application/json';
    const timer = setTimeout(() => {
      timers.delete(timer);
      res.writeHead(status, { 'content-type': type, ...headers }).end(text);
    }, state.latency);
    timers.add(timer);
  }

  function handle(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    let body: unknown = raw;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      /* kept as text; answered below */
    }
    const fail = (status: number, error: FakeGraphError, headers?: Record<string, string>) =>
      answer(path, body, status, envelope(error), res, headers);

    const route = /^\/v\d+\.\d+\/(me|[0-9]+)\/messages$/.exec(path);
    if (req.method !== 'POST' || !route) {
      return fail(400, { message: `Unsupported ${req.method} request to ${path}`, type: 'GraphMethodException', code: 100 });
    }
    const injected = state.failures.shift();
    if (injected) return answer(path, body, injected.status, injected.body, res);

    const now = Date.now();
    state.hits = state.hits.filter((t) => t > now - 60_000);
    state.hits.push(now);
    if (state.rateLimit !== null && state.hits.length > state.rateLimit) {
      const oldest = state.hits[0] ?? now;
      const minutes = Math.max(1, Math.ceil((oldest + 60_000 - now) / 60_000));
      const usage = { [pageId]: [{ type: 'messenger', call_count: 100, total_cputime: 0, total_time: 0, estimated_time_to_regain_access: minutes }] };
      return fail(400, { message: '(#613) Calls to this API have exceeded the rate limit.', type: 'OAuthException', code: 613 }, {
        'x-business-use-case-usage': JSON.stringify(usage),
      });
    }

    const token = url.searchParams.get('access_token');
    if (!token || state.revoked || !safeEqualHex(token, options.pageAccessToken)) {
      const message = !token
        ? 'An active access token must be used to query information about the current user.'
        : state.revoked
          ? 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.'
          : 'Invalid OAuth access token - Cannot parse access token';
      return fail(400, { message, type: 'OAuthException', code: 190, error_subcode: state.revoked ? 460 : undefined });
    }
    const proof = url.searchParams.get('appsecret_proof');
    if (options.appSecret && proof !== null) {
      const expected = createHmac('sha256', options.appSecret).update(token).digest('hex');
      if (!safeEqualHex(proof, expected)) return fail(400, { message: 'Invalid appsecret_proof provided in the API argument', type: 'GraphMethodException', code: 100 });
    } else if (options.requireAppSecretProof) {
      return fail(400, { message: 'API calls from the server require an appsecret_proof argument', type: 'GraphMethodException', code: 100 });
    }

    if (typeof body === 'string') return fail(400, { message: '(#100) The request body is not valid JSON', type: 'OAuthException', code: 100 });
    const problem = validateSendRequest(body, { acceptDeprecatedTags: options.acceptDeprecatedTags ?? false });
    if (problem) return fail(400, problem);

    const b = body as { recipient: { id: string | number }; messaging_type: string; tag?: string; notification_type?: string; message: FakeGraphMessage['message'] };
    const psid = String(b.recipient.id);
    if (b.tag === 'HUMAN_AGENT' && options.humanAgentApproved === false) {
      return fail(400, { message: '(#10) Application does not have permission for this action', type: 'OAuthException', code: 10 });
    }
    if (state.unavailable.has(psid)) {
      return fail(400, { message: "(#551) This person isn't available right now.", type: 'OAuthException', code: 551, error_subcode: 1545041 });
    }
    if (state.outside.has(psid) && b.messaging_type !== 'MESSAGE_TAG') {
      return fail(400, {
        message: '(#10) This message is sent outside of allowed window. Learn more about the new policy here: https://developers.facebook.com/docs/messenger-platform/policy-overview',
        type: 'OAuthException',
        code: 10,
        error_subcode: 2018278,
      });
    }
    const messageId = `m_${randomBytes(24).toString('base64url')}`;
    received.push({ messageId, recipientId: psid, messagingType: b.messaging_type, tag: b.tag, notificationType: b.notification_type, message: b.message, at: new Date() });
    for (const wake of [...waiters]) wake();
    answer(path, body, 200, { recipient_id: psid, message_id: messageId }, res);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, Buffer.concat(chunks).toString('utf8'), res));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    baseUrl: `http://${host}:${port}`,
    version,
    pageId,
    received,
    requests,
    failNext(failure, n = 1, httpStatus = 400) {
      for (let i = 0; i < n; i++) {
        state.failures.push(
          typeof failure === 'number'
            ? { status: failure, body: `fake graph: injected HTTP ${failure}` }
            : { status: httpStatus, body: { error: { type: 'OAuthException', fbtrace_id: 'FAKE', ...failure.error } } },
        );
      }
    },
    setRateLimit(perMinute) {
      state.rateLimit = perMinute;
      state.hits = [];
    },
    revokeToken: () => void (state.revoked = true),
    restoreToken: () => void (state.revoked = false),
    setOutsideWindow: (psid, outside = true) => void (outside ? state.outside.add(psid) : state.outside.delete(psid)),
    setUnavailable: (psid, unavailable = true) => void (unavailable ? state.unavailable.add(psid) : state.unavailable.delete(psid)),
    setLatency: (ms) => void (state.latency = ms),
    waitForMessages(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (received.length < count) return;
          cleanup();
          resolve(received.slice(0, count));
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`fake graph: ${received.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    reset() {
      received.length = 0;
      requests.length = 0;
      Object.assign(state, { revoked: false, rateLimit: null, hits: [], failures: [], latency: 0 });
      state.outside.clear();
      state.unavailable.clear();
    },
    close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
