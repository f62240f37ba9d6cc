/**
 * Why no date library: chrono-node (the well-kept candidate; 2.x takes custom parsers and
 * refiners) has no Vietnamese locale, so every pattern here would still be ours, and its framework
 * fits Vietnamese poorly: it matches raw text (we must fold diacritics, then check that typed
 * diacritics agree — "mai" vs "mãi", "tối" vs "tôi"), its date/time merging joins only two
 * results across English-style gaps while Vietnamese stacks three pieces in any order ("2 giờ
 * chiều mai", "sáng mai lúc 8h30"), and parts of the day ("chiều", "12h đêm" = next day's 00:00)
 * are not its meridiem. What it would give — calendar arithmetic and time zones — is a fixed
 * UTC+7 offset here (./local-date.ts). So the recognisers stay table-driven (./lexicon.ts).
 * Lunar dates ("mùng 3 tết", "15/8 âm lịch") are not converted: they are left out, not misread.
 *
 * `datetime` entities: finds date and time expressions in a message and resolves them against
 * `now` in Vietnam time. Neighbouring pieces form one expression ("mai 9h sáng", "thứ 3 tuần sau
 * lúc 14h30", "2 giờ chiều mai"); values are `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`, local time.
 *
 * Choices for the underspecified cases: a weekday means the next such day after today; a day and
 * month already past mean next year; a time with no day means its next occurrence (today if still
 * ahead, else tomorrow); an hour with no part of the day is taken as said ("2h" is 02:00 — the
 * conversation, which knows the opening hours, may ask); a part of the day with no hour
 * ("chiều thứ 5", "sáng mai") is a day, `YYYY-MM-DD`, as DESIGN.md §4.3 asks when no time is given.
 * Stretches ("tuần sau", "cuối tuần") resolve to an anchor day, see ./spans.ts.
 */
import type { Entity } from '../types';
import type { LocatedEntity } from '../entities';
import { foldVietnamese, foldWithMap, hasDiacritics, originalSpan } from '../vietnamese/fold';
import { FILLER_WORDS } from './lexicon';
import {
  addDays, compareDates, formatDate, formatDateTime, isoWeekday, vietnamNow, type LocalDate, type LocalTime,
} from './local-date';
import { recognizeParts, type Part } from './recognizers';

/** Text allowed between two pieces of one expression: spaces, commas, dashes, filler words. */
const FILLER_GAP = new RegExp(
  `^[\\s,;-]*(?:(?:${FILLER_WORDS.map(foldVietnamese).join('|')})(?![\\p{L}\\p{N}])[\\s,;-]*)*$`,
  'u',
);
/** What may follow a weak bare word for it to count: end of text or a sentence break. */
const SENTENCE_END = /^\s*(?:$|[.,!?;)])/;

/** Keeps the longest of overlapping pieces (earliest first on a tie). */
function selectNonOverlapping(parts: Part[]): Part[] {
  const sorted = [...parts].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Part[] = [];
  for (const part of sorted) {
    if (kept.every((k) => part.end <= k.start || part.start >= k.end)) kept.push(part);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * When the user typed a lexicon word WITH diacritics, they must be the lexicon's: "mãi" is not
 * "mai", "tôi" is not "tối", "một" is not "mốt".
 */
function diacriticsAgree(typed: string, forms: readonly string[]): boolean {
  const expected = forms.flatMap((f) => f.normalize('NFC').toLowerCase().split(' '));
  for (const w of typed.normalize('NFC').toLowerCase().split(/[^\p{L}\p{M}]+/u)) {
    if (w === '' || !hasDiacritics(w)) continue;
    const sameLetters = expected.filter((e) => foldVietnamese(e) === foldVietnamese(w));
    if (sameLetters.length > 0 && !sameLetters.includes(w)) return false;
  }
  return true;
}

const gapIsFiller = (folded: string, from: number, to: number): boolean =>
  FILLER_GAP.test(folded.slice(from, to));

/**
 * Whether a weak word typed without diacritics stands ("tối"/"tôi", "sáng"/"sang", "mốt"/"một"):
 * it must be followed by a sentence end or by another piece ("hẹn mot 9h", "9h toi mai"), and a
 * part of the day must also come right after a clock time ("9h toi" yes; "toi 9h den" is "tôi",
 * "chuyen sang thu 3" is "sang").
 */
function weakWordStands(parts: readonly Part[], i: number, folded: string): boolean {
  const part = parts[i]!;
  const next = parts[i + 1];
  const followed = SENTENCE_END.test(folded.slice(part.end)) || (next !== undefined && gapIsFiller(folded, part.end, next.start));
  if (!followed || part.value.kind !== 'period') return followed;
  const previous = parts[i - 1];
  return previous !== undefined && previous.value.kind === 'time' && gapIsFiller(folded, previous.end, part.start);
}

interface Group {
  start: number;
  end: number;
  day?: LocalDate;
  /** Set while `day` is only a bare weekday's guess (see PartValue). */
  weekday?: number | undefined;
  time?: LocalTime;
  period?: Extract<Part['value'], { kind: 'period' }>;
}

/** The day two day pieces agree on when one is a bare weekday the other falls on; else null. */
function explicitDayOn(
  day: LocalDate,
  weekday: number | undefined,
  other: { date: LocalDate; weekday?: number | undefined },
): LocalDate | null {
  if (weekday !== undefined && other.weekday === undefined && isoWeekday(other.date) === weekday) return other.date;
  if (other.weekday !== undefined && weekday === undefined && isoWeekday(day) === other.weekday) return day;
  return null;
}

/** Adds a piece to a group; false when the group already has a piece of that kind. */
function absorb(group: Group, part: Part): boolean {
  const v = part.value;
  if (v.kind === 'day') {
    if (group.day && compareDates(group.day, v.date) !== 0) {
      // "thứ 2 hôm nay", "thứ 6 ngày 4/12": the explicit day wins over our guess of which weekday.
      const explicit = explicitDayOn(group.day, group.weekday, v);
      if (explicit === null) return false;
      group.day = explicit;
      group.weekday = undefined;
    } else {
      group.day = v.date;
      group.weekday = v.weekday;
    }
  } else if (v.kind === 'time') {
    if (group.time) return false;
    group.time = v.time;
  } else {
    if (group.period) return false;
    group.period = v;
  }
  group.end = part.end;
  return true;
}

function groupParts(parts: readonly Part[], folded: string): Group[] {
  const groups: Group[] = [];
  let current: Group | undefined;
  for (const part of parts) {
    if (!current || !gapIsFiller(folded, current.end, part.start) || !absorb(current, part)) {
      current = { start: part.start, end: part.start };
      absorb(current, part);
      groups.push(current);
    }
  }
  return groups;
}

function resolveGroup(group: Group, today: LocalDate, nowTime: LocalTime): string | null {
  const day = group.day ?? group.period?.date;
  if (!group.time) return day ? formatDate(day) : null;
  const adjusted = group.period ? group.period.period.adjust(group.time.hour) : { hour: group.time.hour, nextDay: 0 };
  const time = { hour: adjusted.hour, minute: group.time.minute };
  if (day) return formatDateTime(addDays(day, adjusted.nextDay), time);
  // No day: the next occurrence. "12h đêm" said at 10:00 is tonight's midnight, so the "next day"
  // of the period is applied before comparing with now.
  const minutes = (t: LocalTime): number => t.hour * 60 + t.minute;
  const ahead = adjusted.nextDay > 0 || minutes(time) > minutes(nowTime);
  return formatDateTime(addDays(today, adjusted.nextDay + (ahead ? 0 : 1)), time);
}

/**
 * The date/time expressions of `text`, in text order, resolved against `now`, each with its span
 * `[start, end)` in `text`.
 */
export function locateDatetimes(text: string, now: Date): LocatedEntity[] {
  const folded = foldWithMap(text);
  const { date: today, time: nowTime } = vietnamNow(now);
  const candidates = recognizeParts(folded.text, { date: today }).filter((p) => {
    const span = originalSpan(folded, p.start, p.end);
    return diacriticsAgree(text.slice(span.start, span.end), p.forms);
  });
  const parts = selectNonOverlapping(candidates);
  const standing = parts.filter((p, i) => {
    if (!p.weakIfBare) return true;
    const span = originalSpan(folded, p.start, p.end);
    return hasDiacritics(text.slice(span.start, span.end)) || weakWordStands(parts, i, folded.text);
  });
  const entities: LocatedEntity[] = [];
  for (const group of groupParts(standing, folded.text)) {
    const value = resolveGroup(group, today, nowTime);
    if (value === null) continue;
    const { start, end } = originalSpan(folded, group.start, group.end);
    entities.push({ type: 'datetime', value, text: text.slice(start, end), start, end });
  }
  return entities;
}

/**
 * The date/time expressions of `text`, in text order, resolved against `now`.
 *
 * @example extractDatetimes("mai 9h sáng nhé", new Date("2026-11-23T10:00:00+07:00"))
 *   -> [{ type: "datetime", value: "2026-11-24T09:00", text: "mai 9h sáng" }]
 */
export function extractDatetimes(text: string, now: Date): Entity[] {
  return locateDatetimes(text, now).map(({ type, value, text: typed }) => ({ type, value, text: typed }));
}
