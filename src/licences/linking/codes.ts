/**
 * One-time link codes: six random digits, kept only as a salted SHA-256 so the database never holds
 * a usable code (the message that carries it to the holder is the only clear copy). A code lives
 * `CODE_TTL_MS` and allows `MAX_CODE_ATTEMPTS` guesses: one in a million per guess, five guesses,
 * ten minutes — guessing is hopeless, and the holder's chat is told each time a code is asked for.
 */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const CODE_LENGTH = 6;
/** How long a code may be typed in. */
export const CODE_TTL_MS = 10 * 60_000;
/** Wrong guesses after which the code is dead. */
export const MAX_CODE_ATTEMPTS = 5;
/** Codes one chat identity may ask for within `CODE_REQUEST_WINDOW_MS` (spares the holder a flood of codes). */
export const MAX_CODE_REQUESTS = 3;
/** Codes sent for one licence within the window, whoever asks: more are silently not sent. */
export const MAX_CODES_PER_LICENCE = 5;
export const CODE_REQUEST_WINDOW_MS = 60 * 60_000;

/** A fresh code, uniformly random, with leading zeros kept ("004217"). */
export function generateCode(): string {
  return String(randomInt(0, 10 ** CODE_LENGTH)).padStart(CODE_LENGTH, '0');
}

const digest = (salt: string, code: string): string => createHash('sha256').update(`${salt}:${code}`, 'utf8').digest('hex');

/** `sha256$<salt>$<hex>` with a per-code random salt. */
export function hashCode(code: string): string {
  const salt = randomBytes(16).toString('hex');
  return `sha256$${salt}$${digest(salt, code)}`;
}

/** Does `typed` match the stored hash? Constant time; a malformed hash matches nothing. */
export function codeMatches(typed: string, stored: string): boolean {
  const [scheme, salt, hex] = stored.split('$');
  if (scheme !== 'sha256' || !salt || !hex || !/^[0-9a-f]{64}$/.test(hex)) return false;
  return timingSafeEqual(Buffer.from(digest(salt, typed), 'hex'), Buffer.from(hex, 'hex'));
}

/** The six-digit code in a message ("mã là 004217", "004 217"), if there is exactly one. */
export function codeInText(text: string): string | undefined {
  const found = [...text.replace(/(\d{3})[\s.-](\d{3})(?!\d)/g, '$1$2').matchAll(/(?<!\d)\d{6}(?!\d)/g)].map((m) => m[0]);
  return found.length === 1 ? found[0] : undefined;
}
