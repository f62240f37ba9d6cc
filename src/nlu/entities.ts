/**
 * All entities of a message: phone numbers and dates/times, in text order. Phone numbers are
 * found first and win any overlap, so digits of a number are never read as a date or a time.
 */
import { locateDatetimes } from './datetime';
import { locatePhones } from './phone';
import type { Entity } from './types';

/** An entity and where it is in the message (for replacing it by a placeholder). */
export interface LocatedEntity extends Entity {
  /** Start index in the original text. */
  readonly start: number;
  /** End index (exclusive) in the original text. */
  readonly end: number;
}

/** Entities of `text` with their spans, in text order; datetimes resolved against `now`. */
export function locateEntities(text: string, now: Date): LocatedEntity[] {
  const phones = locatePhones(text);
  const overlapsPhone = (e: LocatedEntity): boolean => phones.some((p) => e.start < p.end && p.start < e.end);
  const datetimes = locateDatetimes(text, now).filter((e) => !overlapsPhone(e));
  return [...phones, ...datetimes].sort((a, b) => a.start - b.start);
}

/** The contract view of an entity: `{type, value, text}` only. */
export const toEntity = ({ type, value, text }: LocatedEntity): Entity => ({ type, value, text });
