/**
 * All entities of a message: licence numbers, phone numbers and dates/times, in text order.
 * Licence numbers are found first and win any overlap ("GP số 15/2024/GCN" holds no date), then
 * phone numbers, so digits of a number are never read as a date or a time.
 */
import { locateDatetimes } from './datetime';
import { locatePhones } from './phone';
import type { Entity, EntityType } from './types';
import { foldWithMap, originalSpan } from './vietnamese/fold';

/** An entity of any type and where it is in the message. */
export interface SpannedEntity extends Entity {
  /** Start index in the original text. */
  readonly start: number;
  /** End index (exclusive) in the original text. */
  readonly end: number;
}

/** An entity the classifier replaces by a placeholder word (training/placeholders.ts has one per type). */
export type LocatedEntity = SpannedEntity;

/**
 * Licence and certificate numbers. Two shapes:
 * - a coded number with a letter part, which can stand alone: "123/2024/GCN-BVTV", "45/GP-UBND",
 *   "12/QĐ-UBND" (the letter part is what tells it from a date);
 * - a plain number right after "số" (optionally after a licence word): "số 0012345",
 *   "giấy phép số 15/2024" — 5+ digits, or digits with a slash, so "nhà số 15" and "số 3" stay out.
 * Matched on folded text ("Đ" -> "D"); the value is taken from the typed text.
 */
const CODED = /(?<![\p{L}\p{N}/.,-])\d{1,7}(?:\s*\/\s*\d{2,4})?\s*\/\s*([a-z]{1,10})(?:\s*[-.]\s*[a-z0-9]{1,10}){0,3}(?![\p{L}\p{N}])/gu;
const AFTER_SO = /(?<![\p{L}\p{N}])so\s*:?\s*(\d{5,9}|\d{1,7}(?:\s*\/\s*\d{2,4}){1,2})(?![\p{L}\p{N}]|[/.-]\d)/gu;

/** Letter parts that make "30/ngày", "2/tháng", "1/bản" a rate, not a licence code. */
const RATE_UNITS = new Set(['ngay', 'thang', 'nam', 'tuan', 'lan', 'ban', 'bo', 'nguoi', 'trang', 'to', 'gio', 'h', 'ho', 'thg', 'k', 'd', 'dong']);

/** Upper-case, no spaces: "45 / gp-ubnd" -> "45/GP-UBND". */
const normaliseLicence = (typed: string): string => typed.replace(/\s+/g, '').toUpperCase();

/** The licence/certificate numbers of `text`, in text order, with their spans. */
export function locateLicenceNumbers(text: string): SpannedEntity[] {
  const folded = foldWithMap(text);
  const found: SpannedEntity[] = [];
  const add = (start: number, end: number): void => {
    if (found.some((f) => start < f.end && f.start < end)) return;
    const span = originalSpan(folded, start, end);
    const typed = text.slice(span.start, span.end);
    found.push({ type: 'licence_number', value: normaliseLicence(typed), text: typed, ...span });
  };
  for (const m of folded.text.matchAll(CODED)) {
    if (!RATE_UNITS.has(m[1] ?? '')) add(m.index, m.index + m[0].length);
  }
  for (const m of folded.text.matchAll(AFTER_SO)) {
    const number = m[1] ?? '';
    const start = m.index + m[0].length - number.length;
    add(start, start + number.length);
  }
  return found.sort((a, b) => a.start - b.start);
}

const overlaps = (a: SpannedEntity, spans: readonly SpannedEntity[]): boolean =>
  spans.some((s) => a.start < s.end && s.start < a.end);

/**
 * Phones and datetimes of `text` with their spans, in text order, datetimes resolved against
 * `now`; nothing inside a licence number.
 */
export function locateEntities(text: string, now: Date): LocatedEntity[] {
  const licences = locateLicenceNumbers(text);
  const phones = locatePhones(text).filter((p) => !overlaps(p, licences));
  const datetimes = locateDatetimes(text, now).filter((e) => !overlaps(e, phones) && !overlaps(e, licences));
  return [...phones, ...datetimes].sort((a, b) => a.start - b.start);
}

/** Every entity of `text` — licence numbers included — with spans, in text order. */
export function locateAllEntities(text: string, now: Date): SpannedEntity[] {
  return [...locateLicenceNumbers(text), ...locateEntities(text, now)].sort((a, b) => a.start - b.start);
}

/** The contract view of an entity: `{type, value, text}` only. */
export const toEntity = ({ type, value, text }: SpannedEntity): Entity => ({ type, value, text });
