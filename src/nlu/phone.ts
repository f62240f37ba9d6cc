/**
 * `phone` entities: Vietnamese phone numbers as people type them — "0912345678", "0912 345 678",
 * "0912.345.678", "+84912345678", "84 912 345 678", "(+84) 24 3825 1234" — normalised to the
 * national form with a leading 0, the form licence registers and ZNS look-ups are keyed on.
 */
import type { Entity } from './types';
import type { LocatedEntity } from './entities';

/**
 * A run of digits, optionally after "+84"/"84"/"(+84)", with single spaces, dots or dashes between
 * groups. Validity is decided on the digits afterwards, so the pattern can stay permissive.
 */
const CANDIDATE = /(?<![\p{L}\p{N}+])(?:\(\+?84\)|\+?84)?[\s.-]?\d(?:[\s.-]?\d){7,11}(?![\p{L}\p{N}])/gu;

/**
 * National numbers since the 2018 renumbering: mobile 0 + 9 digits whose second digit is 3, 5,
 * 7, 8 or 9; landline 0 + area code 2xx + number, 11 digits in all.
 */
const MOBILE = /^0[35789]\d{8}$/;
const LANDLINE = /^02\d{9}$/;

/** The national (0…) form of a typed number, or null when it is not a Vietnamese number. */
export function normalizePhone(typed: string): string | null {
  const digits = typed.replace(/\D/g, '');
  let national = digits;
  if (/^\(?\+?84/.test(typed.trim())) {
    // National numbers start with 0, so a leading 84 is the country code; "+84 0912…" happens too.
    const rest = digits.slice(2);
    national = rest.startsWith('0') ? rest : `0${rest}`;
  }
  return MOBILE.test(national) || LANDLINE.test(national) ? national : null;
}

/**
 * The longest valid number at the start of a candidate: "0912 345 678 12" (a number followed by
 * another figure) is still the phone number "0912 345 678".
 */
function longestValidPrefix(typed: string): { text: string; value: string } | null {
  const cuts = [typed.length, ...[...typed.matchAll(/[\s.-]/g)].map((m) => m.index ?? 0).reverse()];
  for (const cut of cuts) {
    const text = typed.slice(0, cut).trim();
    const value = normalizePhone(text);
    if (value !== null) return { text, value };
  }
  return null;
}

/** The phone numbers in `text`, in text order, each with its span `[start, end)` in `text`. */
export function locatePhones(text: string): LocatedEntity[] {
  const entities: LocatedEntity[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const raw = m[0];
    const found = longestValidPrefix(raw.trim());
    if (found === null) continue;
    const start = (m.index ?? 0) + raw.indexOf(found.text);
    entities.push({ type: 'phone', value: found.value, text: found.text, start, end: start + found.text.length });
  }
  return entities;
}

/**
 * The phone numbers in `text`, in text order.
 *
 * @example extractPhones("sđt em 0912 345 678 nhé") -> [{type:"phone", value:"0912345678", text:"0912 345 678"}]
 */
export function extractPhones(text: string): Entity[] {
  return locatePhones(text).map(({ type, value, text: typed }) => ({ type, value, text: typed }));
}
