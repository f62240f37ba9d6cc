/**
 * Messenger webhook signatures (DESIGN.md §5).
 *
 * Meta signs every event notification with the app secret and sends
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the payload>`; the payload is the raw request
 * body exactly as sent, so we verify the bytes before any JSON parsing (re-serialised JSON would not
 * match). See https://developers.facebook.com/docs/graph-api/webhooks/getting-started
 * ("Validating Payloads") and https://developers.facebook.com/docs/messenger-platform/webhooks.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Meta sets on event notifications (Node lower-cases incoming header names). */
export const MESSENGER_SIGNATURE_HEADER = 'x-hub-signature-256';

const PREFIX = 'sha256=';
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** `sha256=<hex>` for `rawBody`: what Meta would send. Used by the fake platform and tests too. */
export function computeMessengerSignature(rawBody: Buffer | string, appSecret: string): string {
  return PREFIX + createHmac('sha256', appSecret).update(rawBody).digest('hex');
}

/**
 * True when `header` is a well-formed `sha256=<64 hex>` value matching HMAC-SHA256(rawBody, appSecret).
 * The digests are compared with `timingSafeEqual`, so the time taken does not reveal how many leading
 * bytes of a forged signature were right. A missing, malformed or differently-prefixed header is false.
 */
export function verifyMessengerSignature(
  rawBody: Buffer,
  header: string | string[] | undefined,
  appSecret: string,
): boolean {
  if (typeof header !== 'string' || !appSecret) return false;
  const value = header.trim();
  if (!value.toLowerCase().startsWith(PREFIX)) return false;
  const hex = value.slice(PREFIX.length);
  if (!HEX_SHA256.test(hex)) return false;
  const given = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}
