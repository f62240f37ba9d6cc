/**
 * Text from the outside world that PostgreSQL can store. `text` and `jsonb` refuse the NUL
 * character, and `jsonb` refuses an unpaired UTF-16 surrogate (what a client that cut an emoji in
 * half sends, written `\ud83d` in JSON). Left alone, one such character makes the insert fail and the
 * request answer 500: a platform then redelivers the same webhook forever and the person is never
 * answered; an official's form is lost. A person's text keeps everything else: NUL is dropped (it never carries meaning) and
 * a half surrogate becomes U+FFFD, the replacement character. Identifiers are never repaired: a
 * platform id with such characters is not an id, and the event is refused instead.
 */
import { z } from 'zod';

const NUL = /\u0000/g;
/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** Control characters (C0, DEL) and unpaired surrogates: never part of a platform id. */
const NOT_IN_AN_ID = /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** `text` without NUL characters and with every unpaired surrogate replaced by U+FFFD. */
export function toStorableText(text: string): string {
  return text.replace(NUL, '').replace(UNPAIRED_SURROGATE, '\ufffd');
}

/**
 * A parsed form body or query string with its text made storable: top-level strings and lists of
 * strings, the only shapes a form field takes. Deeper JSON is left as is: no form reads it, and
 * walking it could be made arbitrarily deep.
 */
export function storableFields(fields: unknown): unknown {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return fields;
  const clean = (v: unknown): unknown =>
    typeof v === 'string' ? toStorableText(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? toStorableText(x) : x)) : v;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [toStorableText(k), clean(v)]));
}

/** A person's text (message, button payload, name…), made storable. */
export const storableText = z.string().transform(toStorableText);

/** True when `value` has no control character and no unpaired surrogate. */
export function isCleanId(value: string): boolean {
  return !NOT_IN_AN_ID.test(value);
}

/** A platform identifier (user, message): 1–`max` characters, no control character, no half surrogate. */
export function platformId(max = 100) {
  return z.string().min(1).max(max).refine(isCleanId, 'must not contain control characters or unpaired surrogates');
}
