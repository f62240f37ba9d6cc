/**
 * Graph API failures -> `SendError` kinds the outbox acts on (DESIGN.md §5).
 *
 * Graph answers errors with an HTTP 4xx/5xx and the envelope
 * `{"error":{"message","type","code","error_subcode","fbtrace_id"}}` (Messenger Platform "Common
 * Error Codes", developers.facebook.com/docs/messenger-platform/error-codes). Codes relied on:
 * - 190 invalid/expired/revoked access token -> 'auth' (operators must issue a new Page token).
 * - 4 application request limit, 17 user request limit, 32 page request limit, 613 "Calls to this
 *   API have exceeded the rate limit" -> 'rate_limited'.
 * - 10 / subcode 2018278 "This message is sent outside of allowed window" -> 'outside_window'.
 * - 551 / subcode 1545041 "This person isn't available right now", subcode 2018108 (the person
 *   does not receive messages from the Page) -> 'permanent'.
 * - 100 on a MESSAGE_TAG send -> 'outside_window': Meta deprecated CONFIRMED_EVENT_UPDATE,
 *   ACCOUNT_UPDATE and POST_PURCHASE_UPDATE (effective 27 April 2026) and answers tagged sends with
 *   "(#100) Invalid parameter" (chatwoot/chatwoot#14674, #14329); the policy then has to find
 *   another way, exactly as for a closed window.
 * - 1 unknown, 2 "unexpected error, retry later", 1200 "Temporary send message failure", any 5xx,
 *   network errors and timeouts -> 'transient'. Everything else -> 'permanent' with its code.
 */
import { SendError } from '../types';

/** The Graph error envelope's inner object. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
}

export interface GraphFailure {
  /** HTTP status; undefined when no response arrived (network error, timeout). */
  status?: number;
  error?: GraphErrorBody;
  /** The request's message tag, when it was a MESSAGE_TAG send. */
  tag?: string;
  retryAfterMs?: number;
  /** Network failure description (e.g. `ECONNREFUSED`, `timeout of 10000ms exceeded`). */
  network?: string;
}

const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
const TRANSIENT_CODES = new Set([1, 2, 1200]);
const UNAVAILABLE_SUBCODES = new Set([1545041, 2018108]);
const OUTSIDE_WINDOW_SUBCODE = 2018278;

/** Reads an error envelope from a response body, if it has one. */
export function readGraphError(body: unknown): GraphErrorBody | undefined {
  if (body === null || typeof body !== 'object' || !('error' in body)) return undefined;
  const e = (body as { error: unknown }).error;
  if (e === null || typeof e !== 'object') return undefined;
  const o = e as Record<string, unknown>;
  return {
    message: typeof o.message === 'string' ? o.message : undefined,
    type: typeof o.type === 'string' ? o.type : undefined,
    code: typeof o.code === 'number' ? o.code : undefined,
    error_subcode: typeof o.error_subcode === 'number' ? o.error_subcode : undefined,
    fbtrace_id: typeof o.fbtrace_id === 'string' ? o.fbtrace_id : undefined,
  };
}

/**
 * How long to wait after a rate-limit answer: a `Retry-After` header when a proxy sets one, else the
 * `estimated_time_to_regain_access` (minutes) Graph reports in `X-Business-Use-Case-Usage`
 * (Graph API "Rate Limiting" docs). Undefined when neither is present: the outbox backs off.
 */
export function retryAfterFromHeaders(headers: Record<string, unknown>): number | undefined {
  const retryAfter = headers['retry-after'];
  if (typeof retryAfter === 'string' && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim()) * 1000;
  const buc = headers['x-business-use-case-usage'];
  if (typeof buc !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(buc);
    let minutes = 0;
    for (const list of Object.values(parsed as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      for (const item of list as Array<Record<string, unknown>>) {
        const m = Number(item?.estimated_time_to_regain_access);
        if (Number.isFinite(m) && m > minutes) minutes = m;
      }
    }
    return minutes > 0 ? minutes * 60_000 : undefined;
  } catch {
    return undefined;
  }
}

/** Classifies a failed Send API call. The message names the code and Meta's text, never the token. */
export function toSendError(f: GraphFailure): SendError {
  if (f.status === undefined) return new SendError('transient', `Graph API unreachable: ${f.network ?? 'no response'}`);
  const e = f.error;
  if (!e || e.code === undefined) {
    if (f.status === 429) return new SendError('rate_limited', 'Graph API answered HTTP 429', 429, f.retryAfterMs);
    if (f.status >= 500 || f.status === 408) return new SendError('transient', `Graph API answered HTTP ${f.status}`, `http_${f.status}`);
    return new SendError('permanent', `Graph API answered HTTP ${f.status} without an error envelope`, `http_${f.status}`);
  }
  const code = e.code;
  const sub = e.error_subcode;
  const platformCode = sub === undefined ? code : `${code}/${sub}`;
  const said = `(#${platformCode}) ${e.message ?? 'no message'}`;

  if (code === 190) return new SendError('auth', `Page access token rejected ${said}`, platformCode);
  if (RATE_LIMIT_CODES.has(code)) return new SendError('rate_limited', `Messenger rate limit ${said}`, platformCode, f.retryAfterMs);
  if (sub === OUTSIDE_WINDOW_SUBCODE || (code === 10 && /allowed window/i.test(e.message ?? ''))) {
    return new SendError('outside_window', `outside the Messenger messaging window ${said}`, platformCode);
  }
  if (code === 551 || (sub !== undefined && UNAVAILABLE_SUBCODES.has(sub))) {
    return new SendError('permanent', `the person cannot receive messages from the Page ${said}`, platformCode);
  }
  if (code === 100 && f.tag) {
    return new SendError(
      'outside_window',
      `Meta refused the ${f.tag} message tag ${said}; this tag is no longer usable, so Messenger is unavailable for this message`,
      platformCode,
    );
  }
  if (TRANSIENT_CODES.has(code) || f.status >= 500) return new SendError('transient', `Graph API temporary failure ${said}`, platformCode);
  return new SendError('permanent', `Graph API refused the message ${said}`, platformCode);
}
