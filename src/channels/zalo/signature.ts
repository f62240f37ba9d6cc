/**
 * Zalo OA webhook signature (DESIGN.md §5).
 *
 * Header `X-ZEvent-Signature: mac=<hex>`, where hex is a PLAIN SHA-256 (not an HMAC) of
 * `app_id + rawBody + timestamp + OA secret key`, `timestamp` being the string inside the JSON body.
 * Sources: Zalo docs "Xác thực Webhook" as summarised in the public "Zalo Platform API —
 * Integration Specification" §13.3 (compiled 2026-08), and community verifiers that strip the
 * `mac=` prefix and hash `app_id + raw_body + timestamp + secret`. The digest must be taken over the
 * raw bytes as received: re-serialising parsed JSON changes whitespace and key order.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Hex SHA-256 of `prefix + rawBody + timestamp + secret`, the value Zalo puts after `mac=`. */
export function computeZaloMac(prefix: string, rawBody: Buffer | string, timestamp: string, secret: string): string {
  return createHash('sha256')
    .update(prefix, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .update(timestamp, 'utf8')
    .update(secret, 'utf8')
    .digest('hex');
}

/** The hex digest from a header value: `mac=<hex>` (the documented form) or a bare hex string. */
export function macFromHeader(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  const hex = value.toLowerCase().startsWith('mac=') ? value.slice(4).trim() : value;
  return /^[0-9a-fA-F]{64}$/.test(hex) ? hex.toLowerCase() : undefined;
}

/** Constant-time comparison of two hex digests (different lengths are simply unequal). */
function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ZaloSignatureInput {
  /** The `X-ZEvent-Signature` header as received (undefined when missing). */
  header: string | undefined;
  /** The request body, byte for byte. */
  rawBody: Buffer;
  /** The `timestamp` field of the body, as the string Zalo sent. */
  timestamp: string;
  appId: string;
  oaSecretKey: string;
  /**
   * Also accept the OA id as the first term. Public reports disagree on whether the first term is
   * the app id (as documented) or the OA id; accepting both costs nothing in security (either
   * digest still needs the secret key) and keeps the channel working whichever Zalo sends.
   */
  oaId?: string;
}

/** Which prefix matched (`app_id` is the documented one), or null when the signature is wrong/missing. */
export function verifyZaloSignature(input: ZaloSignatureInput): 'app_id' | 'oa_id' | null {
  const mac = macFromHeader(input.header);
  if (!mac) return null;
  if (sameDigest(mac, computeZaloMac(input.appId, input.rawBody, input.timestamp, input.oaSecretKey))) return 'app_id';
  if (input.oaId && sameDigest(mac, computeZaloMac(input.oaId, input.rawBody, input.timestamp, input.oaSecretKey))) {
    return 'oa_id';
  }
  return null;
}
