/**
 * What must never reach a log line, and how it is hidden: credentials (tokens, secrets, passwords,
 * one-time codes, cookies, signatures) are replaced by `[redacted]`; phone numbers are masked to
 * their first four and last three digits (0912***678), enough for an official to recognise a number
 * they already have, useless to anyone reading a leaked log.
 *
 * The logger (src/logger.ts) passes every log object, message and child binding through here, so a
 * careless `logger.error({ err })` with an axios error (whose `config` holds the Zalo `access_token`
 * header and whose URL may hold Messenger's `?access_token=`) or a `{ phone }` field is still safe.
 */

export const REDACTED = '[redacted]';

/** Object keys whose values are credentials; compared lower-case with `-`, `_` and `.` removed. */
function isSecretKey(normalized: string): boolean {
  return (
    /token$/.test(normalized) ||
    /(accesstoken|refreshtoken|authorization|cookie|secret|password|passwd|passphrase|signature|apikey|privatekey|credential|sessionid|verificationcode|onetimecode)/.test(
      normalized,
    ) ||
    normalized === 'otp' ||
    normalized.startsWith('otp') ||
    normalized.endsWith('otp')
  );
}

function isPhoneKey(normalized: string): boolean {
  return normalized.includes('phone') || normalized.includes('msisdn') || normalized === 'tel' || normalized === 'mobile';
}

const normalizeKey = (key: string) => key.toLowerCase().replace(/[-_.\s]/g, '');

type KeyKind = 'secret' | 'phone' | 'plain';

/**
 * What a key holds, remembered: log objects repeat a few dozen keys, and classifying one costs
 * several regular expressions on every line otherwise. Bounded, because keys can come from data
 * (a webhook's fields); past the bound keys are classified each time, as before.
 */
const keyKinds = new Map<string, KeyKind>();
const MAX_REMEMBERED_KEYS = 2000;

function keyKind(key: string): KeyKind {
  const known = keyKinds.get(key);
  if (known) return known;
  const normalized = normalizeKey(key);
  const kind: KeyKind = isSecretKey(normalized) ? 'secret' : isPhoneKey(normalized) ? 'phone' : 'plain';
  if (keyKinds.size < MAX_REMEMBERED_KEYS) keyKinds.set(key, kind);
  return kind;
}

/**
 * `0912345678` -> `0912***678`, `84912345678` -> `8491***678`: first four and last three digits.
 * Anything with fewer than 7 digits is masked whole.
 */
export function maskPhone(value: string | number): string {
  const digits = String(value).replace(/\D/g, '');
  if (digits.length < 7) return '***';
  return `${digits.slice(0, 4)}***${digits.slice(-3)}`;
}

/**
 * Vietnamese phone numbers inside free text: 0 or (+)84, then 9 digits (mobile) or 10 (landline 02x),
 * optionally grouped by spaces or dots ("0912 345 678"). Not part of a longer number (platform ids
 * are long digit strings and stay untouched).
 */
const PHONE_IN_TEXT = /(?<![\d+])(?:\+?84|0)(?:[ .]?\d){9,10}(?![\d])/g;

function maskPhoneMatch(match: string): string {
  const digits = match.replace(/\D/g, '');
  const national = digits.startsWith('84') ? digits.slice(2) : digits.slice(1);
  const valid = (national.length === 9 && /^[35789]/.test(national)) || (national.length === 10 && national.startsWith('2'));
  return valid ? maskPhone(digits) : match;
}

/** `?access_token=…`, `&appsecret_proof=…`, `hub.verify_token=…` and the like, in URLs or messages. */
const SECRET_PARAM =
  /((?:^|[?&;\s"'{,])["']?(?:access_token|refresh_token|appsecret_proof|hub\.verify_token|verify_token|secret_key|client_secret|password|token|otp|code_verifier)["']?\s*[=:]\s*["']?)[^&\s"',;}]+/gi;
const HAS_DIGIT = /\d/;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/**
 * Masks phone numbers and credential parameters inside a string. Each pattern runs only on text
 * that could hold it (a parameter needs `=` or `:`, a phone number digits): most log strings
 * ("request", paths, event names) have neither, and this runs on every log line.
 */
export function maskText(text: string): string {
  let out = text;
  if (out.includes('=') || out.includes(':')) out = out.replace(SECRET_PARAM, `$1${REDACTED}`);
  if (out.includes('Bearer') || out.includes('Basic')) out = out.replace(BEARER, `$1 ${REDACTED}`);
  if (HAS_DIGIT.test(out)) out = out.replace(PHONE_IN_TEXT, maskPhoneMatch);
  return out;
}

/** Keys of an error object that carry a whole HTTP exchange (axios: config with headers, the raw request) or a query's parameters (drizzle). */
const DROPPED_ERROR_KEYS = new Set(['config', 'request', 'response', 'socket', 'agent', 'res', 'req', '_header', 'headers', 'toJSON', 'params']);

const MAX_DEPTH = 8;
const MAX_ITEMS = 100;

/** The URL of an axios request without its query string (where Messenger's access token travels). */
function urlWithoutQuery(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const cut = url.search(/[?#]/);
  return maskText(cut < 0 ? url : url.slice(0, cut));
}

/**
 * Drizzle's query errors spell out the statement's parameters in their message ("Failed query: …
 * params: …"): message texts, phone numbers, tokens being stored. The statement itself is kept.
 */
function withoutQueryParams(text: string): string {
  return text.replace(/\nparams: [\s\S]*?(?=\n\s+at |$)/, `\nparams: ${REDACTED}`);
}

/**
 * An error as a plain, safe object: type, message, stack and its own fields (pg's `code`, `detail`…),
 * masked; an axios error keeps only its method, URL path, status and code — never its `config`
 * (headers with the token), `request` or `response`.
 */
export function safeError(err: unknown, depth = 0): Record<string, unknown> {
  if (typeof err !== 'object' || err === null) return { message: maskText(String(err)) };
  const e = err as Error & Record<string, unknown>;
  const out: Record<string, unknown> = {
    type: e.constructor?.name && e.constructor.name !== 'Object' ? e.constructor.name : (e.name ?? 'Error'),
    message: maskText(withoutQueryParams(String(e.message ?? ''))),
  };
  if (typeof e.stack === 'string') out.stack = maskText(withoutQueryParams(e.stack));
  if (e.isAxiosError === true) {
    const config = e.config as { method?: string; url?: string; baseURL?: string } | undefined;
    const response = e.response as { status?: number } | undefined;
    out.method = config?.method;
    out.url = urlWithoutQuery(config?.url);
    out.status = response?.status;
  }
  for (const key of Object.keys(e)) {
    if (key in out || DROPPED_ERROR_KEYS.has(key) || key === 'isAxiosError') continue;
    out[key] = scrubValue(key, e[key], depth + 1);
  }
  if (e.cause !== undefined && !('cause' in out)) out.cause = depth < MAX_DEPTH ? safeError(e.cause, depth + 1) : '[cause]';
  return out;
}

/** One value under `key`, made safe (deep copy; the caller's object is never modified). */
export function scrubValue(key: string, value: unknown, depth = 0): unknown {
  if (value === undefined || value === null) return value;
  const kind = keyKind(key);
  // A flag about a secret (`hasSignature: false`) says nothing of it; anything else under such a key goes.
  if (kind === 'secret' && typeof value !== 'boolean') return REDACTED;
  if (kind === 'phone' && (typeof value === 'string' || typeof value === 'number')) return maskPhone(value);
  if (typeof value === 'string') return maskText(value);
  if (typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[depth]';
  if (value instanceof Error) return safeError(value, depth);
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => scrubValue(key, v, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`[${value.length - MAX_ITEMS} more]`);
    return items;
  }
  if (value instanceof Map) return scrubObject(Object.fromEntries(value), depth + 1);
  if ((value as { isAxiosError?: unknown }).isAxiosError === true) return safeError(value, depth);
  return scrubObject(value as Record<string, unknown>, depth + 1);
}

/** Every key of a log object made safe. */
export function scrubObject(obj: Record<string, unknown>, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) out[key] = scrubValue(key, obj[key], depth);
  return out;
}
