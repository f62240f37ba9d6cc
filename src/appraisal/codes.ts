/**
 * Booking codes people read aloud on the phone or type into a chat: "TĐ-" (thẩm định) and six
 * characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 8.9 × 10⁸ codes. Uniqueness
 * is the database's job (unique index); a collision is simply drawn again.
 */
import { randomInt } from 'node:crypto';

export const CODE_PREFIX = 'TĐ-';
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const CODE_LENGTH = 6;

export function newBookingCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return CODE_PREFIX + code;
}

/**
 * The stored form of a code as someone typed it: "td 7k3m9q", "TD-7K3M9Q", "tđ7k3m9q" and
 * "TĐ-7K3M9Q" are one code; null when it cannot be one.
 */
export function normalizeBookingCode(typed: string): string | null {
  const compact = typed
    .trim()
    .toUpperCase()
    .replace(/[\s\-_.]/g, '');
  const m = /^(?:TĐ|TD)?([0-9A-Z]{6})$/.exec(compact);
  if (!m?.[1]) return null;
  const body = m[1];
  return [...body].every((c) => CODE_ALPHABET.includes(c)) ? CODE_PREFIX + body : null;
}
