/**
 * Vietnamese phone numbers between their two forms: we store the national form (`0912345678`, the
 * form licence registers use) and ZNS wants the international form without `+` (`84912345678`,
 * Zalo ZNS docs "Gửi ZNS": `phone` = "84987654321"; `-108` = invalid phone).
 * Kept here rather than imported from `nlu/` so the channel does not load the NLU to send a message.
 */

/** Mobile 0 + 9 digits (second digit 3/5/7/8/9) or landline 02 + 9 digits, after the 2018 renumbering. */
const NATIONAL = /^0(?:[35789]\d{8}|2\d{9})$/;

/** `0…` form of `84…`, `+84…`, `(+84) …` or `0…` input (spaces, dots, dashes ignored); undefined if not Vietnamese. */
export function toNationalPhone(raw: string): string | undefined {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, '');
  let national = digits;
  if (/^\(?\+?84/.test(trimmed)) {
    const rest = digits.slice(2);
    national = rest.startsWith('0') ? rest : `0${rest}`;
  }
  return NATIONAL.test(national) ? national : undefined;
}

/** `84…` form for ZNS of any form `toNationalPhone` accepts; undefined if not a Vietnamese number. */
export function toZnsPhone(raw: string): string | undefined {
  const national = toNationalPhone(raw);
  return national ? `84${national.slice(1)}` : undefined;
}
