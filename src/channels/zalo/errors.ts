/**
 * Zalo error codes -> `SendError` kinds, so the outbox can retry, wait or fail without knowing Zalo.
 *
 * Zalo answers HTTP 200 with `{"error": <non-zero>, "message": …}` for application errors (spec
 * §3.4 "Response envelope"), so every response body is checked. Codes from the OA error table
 * (docs "Phụ lục > Mã lỗi", spec §14.2) and the ZNS table (spec §14.3):
 * -216/-220 (OA) and -124 (ZNS) token invalid/expired; -32 rate limit (per minute); -211 out of
 * quota, -144 ZNS daily limit; -213 not a follower, -217 blocked invitations, -227 banned/inactive
 * > 45 days, -244 user restricted this message type; -230 no interaction in 7 days, -232 interaction
 * expired; -234 (OA) / -133 (ZNS) not at night 22:00–06:00; -100 (ZNS) unknown error, retry later.
 */
import { SendError } from '../types';
import { nextVietnamHour, quietHoursEnd } from './vn-time';

/** The token codes: the caller refreshes the token and retries once before giving up with 'auth'. */
export const TOKEN_ERROR_CODES: ReadonlySet<number> = new Set([-216, -220, -124]);

const PERMANENT_USER_CODES: ReadonlySet<number> = new Set([-213, -217, -227, -244]);
const WINDOW_CODES: ReadonlySet<number> = new Set([-230, -232]);
const NIGHT_CODES: ReadonlySet<number> = new Set([-234, -133]);
const QUOTA_CODES: ReadonlySet<number> = new Set([-211, -144]);

const HOUR_MS = 3_600_000;

/**
 * The `SendError` for a non-zero Zalo `error` (token codes included: callers only get here after the
 * single refresh-and-retry failed, so those are 'auth').
 *
 * Night refusals are 'rate_limited' until 06:00 Vietnam time rather than 'transient': nothing is
 * wrong with the message, it must simply wait for the morning, and 'rate_limited' tells the outbox to
 * retry at a given time without counting a failed attempt. Quota exhaustion waits for the next
 * Vietnamese midnight (daily quotas reset then), at least an hour.
 */
export function zaloSendError(code: number, message: string | undefined, now: Date): SendError {
  const text = `Zalo error ${code}${message ? `: ${message}` : ''}`;
  if (TOKEN_ERROR_CODES.has(code)) return new SendError('auth', `${text} (after a token refresh)`, code);
  if (code === -32) {
    // The limit is per minute and resets on the minute (spec §15.1).
    const untilNextMinute = 60_000 - (now.getTime() % 60_000);
    return new SendError('rate_limited', text, code, untilNextMinute + 1000);
  }
  if (QUOTA_CODES.has(code)) {
    const untilMidnight = nextVietnamHour(now, 0).getTime() - now.getTime();
    return new SendError('rate_limited', text, code, Math.max(HOUR_MS, untilMidnight));
  }
  if (NIGHT_CODES.has(code)) return new SendError('rate_limited', text, code, quietHoursEnd(now).getTime() - now.getTime());
  if (WINDOW_CODES.has(code)) return new SendError('outside_window', text, code);
  if (PERMANENT_USER_CODES.has(code)) return new SendError('permanent', text, code);
  if (code === -100) return new SendError('transient', text, code);
  return new SendError('permanent', text, code);
}

/** An HTTP-level failure (no Zalo envelope): 429 waits a minute, 5xx and the rest of 4xx as named. */
export function httpSendError(status: number, detail: string): SendError {
  if (status === 429) return new SendError('rate_limited', `HTTP 429 from Zalo: ${detail}`, status, 60_000);
  if (status >= 500) return new SendError('transient', `HTTP ${status} from Zalo: ${detail}`, status);
  return new SendError('permanent', `HTTP ${status} from Zalo: ${detail}`, status);
}
