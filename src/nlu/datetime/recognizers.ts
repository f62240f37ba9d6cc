/**
 * Recognisers for the pieces of a date/time expression — a day ("mai", "thứ 3 tuần sau",
 * "15/12"), a clock time ("9h", "14h30", "2 giờ rưỡi") or a part of the day ("sáng", "tối nay") —
 * run over the diacritic-folded message. ./index.ts groups neighbouring pieces into one entity.
 */
import { foldVietnamese } from '../vietnamese/fold';
import { NUMBER_SRC, NUMBER_WORD_FORMS, NUMBER_WORDS_SRC, numberValue } from './numbers';
import { alt, lunarFollows, src, word, type Part, type PartValue, type Recognizer, type Today } from './parts';
import { SPAN_RECOGNIZERS } from './spans';
import {
  addDays, compareDates, isValidDate, isoWeekday, type LocalDate, type LocalTime,
} from './local-date';
import {
  DAY_WORDS, DURATION_WORDS, HALF_PAST, HOUR_WORDS, MINUS, MINUTE_WORDS, MONTH_WORDS, PERIODS,
  RELATIVE_DAYS, WEAK_RELATIVE_DAYS, WEEK_QUALIFIERS, WEEKDAY_DIGIT_OFFSET, WEEKDAY_NAMES, YEAR_WORD,
  type Period,
} from './lexicon';

const HOUR = alt(HOUR_WORDS);
const MINUTE = alt(MINUTE_WORDS);
const MONTH = alt(MONTH_WORDS);
const DAYW = alt(DAY_WORDS);
const QUAL = alt(WEEK_QUALIFIERS.map((q) => q.form));
const WEEKDAY = `${alt(WEEKDAY_NAMES.map((w) => w.form))}|(?:thu\\s*|t)[2-7]`;
const DURATION_BEFORE = new RegExp(`(?:^|[^\\p{L}\\p{N}])(?:${alt(DURATION_WORDS)})\\s*$`, 'u');

/** Words after "2-3" that make it a range of amounts, not 2 March. */
const RANGE_UNIT_AFTER =
  /^\s*(?:ngay|tuan|thang|nam|gio|tieng|phut|ban|bo|nguoi|lan|trieu|nghin|ngan|dong|k|tr|trang|to|cai|%)(?![\p{L}\p{N}])/u;

const foldedLookup = <T extends { form: string }>(table: readonly T[], text: string): T | undefined =>
  table.find((e) => foldVietnamese(e.form) === text.replace(/\s+/g, ' '));

// ---- resolution helpers -----------------------------------------------------------------------

/**
 * `weeks` undefined: the next such day after today ("thứ 2" said on a Monday is next Monday);
 * 'this': the coming one, today included ("thứ 2 này" said on a Monday is today).
 */
function nextWeekday(today: LocalDate, weekday: number, weeks: number | 'this' | undefined): LocalDate {
  const current = isoWeekday(today);
  if (weeks === undefined) return addDays(today, (weekday - current + 7) % 7 || 7);
  if (weeks === 'this') return addDays(today, (weekday - current + 7) % 7);
  const monday = addDays(today, 1 - current);
  return addDays(monday, 7 * weeks + weekday - 1);
}

function weekdayNumber(text: string): number | undefined {
  const digit = /(\d)$/.exec(text)?.[1];
  if (digit !== undefined) return Number(digit) - WEEKDAY_DIGIT_OFFSET;
  return foldedLookup(WEEKDAY_NAMES, text)?.weekday;
}

/** A day-month without a year: this year, or next year when it has already passed. */
function upcomingDayMonth(today: LocalDate, month: number, day: number): LocalDate | null {
  for (const year of [today.year, today.year + 1]) {
    const date = { year, month, day };
    if (isValidDate(year, month, day) && compareDates(date, today) >= 0) return date;
  }
  return null;
}

/** A bare day of the month ("ngày 15"): this month, or the next month that has that day. */
function upcomingDayOfMonth(today: LocalDate, day: number): LocalDate | null {
  for (let k = 0; k < 13; k += 1) {
    const month = ((today.month - 1 + k) % 12) + 1;
    const year = today.year + Math.floor((today.month - 1 + k) / 12);
    const date = { year, month, day };
    if (isValidDate(year, month, day) && compareDates(date, today) >= 0) return date;
  }
  return null;
}

const fullYear = (y: string): number => (y.length === 2 ? 2000 + Number(y) : Number(y));

function explicitDate(today: LocalDate, d: number, m: number, y: string | undefined): LocalDate | null {
  if (y === undefined) return upcomingDayMonth(today, m, d);
  const year = fullYear(y);
  return isValidDate(year, m, d) ? { year, month: m, day: d } : null;
}

function clock(hour: number, minute: number): LocalTime | null {
  return hour <= 23 && minute <= 59 ? { hour, minute } : null;
}

// ---- the recognisers --------------------------------------------------------------------------

const RECOGNIZERS: readonly Recognizer[] = [
  ...RELATIVE_DAYS.map((entry): Recognizer => ({
    pattern: word(src(entry.form)),
    forms: [entry.form],
    resolve: (_m, today) => ({ kind: 'day', date: addDays(today.date, entry.offset) }),
  })),
  ...WEAK_RELATIVE_DAYS.map((entry): Recognizer => ({
    pattern: word(src(entry.form)),
    forms: [entry.form],
    weakIfBare: true,
    resolve: (_m, today) => ({ kind: 'day', date: addDays(today.date, entry.offset) }),
  })),
  {
    // "thứ 3", "t3", "thứ ba tuần sau", "tuần tới vào thứ 5", "chủ nhật", "thứ sáu này"
    pattern: word(`(?:(${QUAL})\\s+(?:vao\\s+)?)?(${WEEKDAY})(?:\\s+(?:cua\\s+)?(${QUAL})|\\s+(nay))?`),
    forms: ['thứ', 'vào', 'của', 'này', ...WEEKDAY_NAMES.map((w) => w.form), ...WEEK_QUALIFIERS.map((q) => q.form)],
    resolve: (m, today) => {
      const weekday = weekdayNumber(m[2] ?? '');
      if (weekday === undefined) return null;
      const qualifier = m[1] ?? m[3];
      if (m[4] !== undefined) return { kind: 'day', date: nextWeekday(today.date, weekday, 'this') };
      if (qualifier === undefined) return { kind: 'day', date: nextWeekday(today.date, weekday, undefined), weekday };
      const weeks = foldedLookup(WEEK_QUALIFIERS, qualifier)?.weeks;
      return { kind: 'day', date: nextWeekday(today.date, weekday, weeks) };
    },
  },
  {
    // "15/12", "15-12", "15/12/2026", "ngày 15.12", "15.12.2026" ("2-3 ngày" and "2.5 triệu" are
    // not dates: a bare dotted pair is a decimal, a dashed pair before a unit a range)
    pattern: new RegExp(
      `(?<![\\p{L}\\p{N}/.-])(?:(${DAYW})\\s+)?(\\d{1,2})\\s*([/.-])\\s*(\\d{1,2})(?:\\s*\\3\\s*(\\d{4}|\\d{2}))?(?![\\p{L}\\p{N}]|[/.-]\\d)`,
      'gu',
    ),
    forms: DAY_WORDS,
    resolve: (m, today, folded) => {
      const [, prefix, d, sep, mo, y] = m;
      const end = m.index + m[0].length;
      if (y === undefined && prefix === undefined) {
        if (sep === '.' || (sep === '-' && RANGE_UNIT_AFTER.test(folded.slice(end)))) return null;
      }
      if (lunarFollows(folded, end)) return null;
      const date = explicitDate(today.date, Number(d), Number(mo), y);
      return date && { kind: 'day', date };
    },
  },
  {
    // "ngày 3 tháng 1", "mùng 3 tháng 1 năm 2027", "ngày 15"
    pattern: word(`(?:${DAYW})\\s+(\\d{1,2})(?:\\s+(?:${MONTH})\\s+(\\d{1,2})(?:\\s+${src(YEAR_WORD)}\\s+(\\d{4}))?)?`),
    forms: [...DAY_WORDS, ...MONTH_WORDS, YEAR_WORD],
    resolve: (m, today, folded) => {
      const [, d, mo, y] = m;
      if (lunarFollows(folded, m.index + m[0].length)) return null;
      const date =
        mo === undefined ? upcomingDayOfMonth(today.date, Number(d)) : explicitDate(today.date, Number(d), Number(mo), y);
      return date && { kind: 'day', date };
    },
  },
  {
    // "9h", "9 giờ", "14h30", "9h 30p", "9 giờ rưỡi", "9 giờ kém 15"; not "mất 2h" (a duration),
    // and in "9h 15/12" the 15 is the day, not minutes.
    pattern: word(
      `(\\d{1,2})\\s*(?:${HOUR})(?:\\s*(\\d{1,2})(?!\\s*[/.-]\\s*\\d)(?:\\s*(?:${MINUTE}))?|\\s*(${src(HALF_PAST)})|\\s*${src(MINUS)}\\s*(\\d{1,2})(?:\\s*(?:${MINUTE}))?)?`,
    ),
    forms: [...HOUR_WORDS, ...MINUTE_WORDS, HALF_PAST, MINUS],
    resolve: (m, _today, folded) => {
      if (DURATION_BEFORE.test(folded.slice(0, m.index))) return null;
      const [, h, min, half, minus] = m;
      let hour = Number(h);
      let minute = half !== undefined ? 30 : Number(min ?? 0);
      if (minus !== undefined) {
        const total = hour * 60 - Number(minus);
        if (Number(minus) >= 60 || total < 0) return null;
        [hour, minute] = [Math.floor(total / 60), total % 60];
      }
      const time = clock(hour, minute);
      return time && { kind: 'time', time };
    },
  },
  {
    // "9:30", "14:05"
    pattern: new RegExp('(?<![\\p{L}\\p{N}:])(\\d{1,2}):(\\d{2})(?![\\p{L}\\p{N}]|:\\d)', 'gu'),
    forms: [],
    resolve: (m) => {
      const time = clock(Number(m[1]), Number(m[2]));
      return time && { kind: 'time', time };
    },
  },
  {
    // "mười giờ sáng", "hai giờ rưỡi", "chín giờ mười lăm": hours in words take "giờ" only
    pattern: word(`(${NUMBER_WORDS_SRC})\\s+gio(?:\\s+(${src(HALF_PAST)})|\\s+(${NUMBER_SRC})(?:\\s*(?:${MINUTE}))?)?`),
    forms: [...NUMBER_WORD_FORMS, 'giờ', HALF_PAST, ...MINUTE_WORDS],
    resolve: (m, _today, folded) => {
      if (DURATION_BEFORE.test(folded.slice(0, m.index))) return null;
      const hour = numberValue(m[1] ?? '');
      const minute = m[2] !== undefined ? 30 : m[3] === undefined ? 0 : numberValue(m[3]);
      const time = hour === undefined || minute === undefined ? null : clock(hour, minute);
      return time && { kind: 'time', time };
    },
  },
  ...SPAN_RECOGNIZERS,
  ...PERIODS.map((period): Recognizer => ({
    // "sáng", "tối nay" (tonight: the period fixes the day too)
    pattern: word(`${src(period.form)}(\\s+nay)?`),
    forms: [period.form, 'này'],
    weakIfBare: period.weakWithoutDiacritics === true,
    resolve: (m, today) =>
      m[1] !== undefined ? { kind: 'period', period, date: today.date } : { kind: 'period', period },
  })),
];

export type { Part } from './parts';

/** All pieces found in `folded` (overlapping ones included; the caller picks). */
export function recognizeParts(folded: string, today: Today): Part[] {
  const parts: Part[] = [];
  for (const recognizer of RECOGNIZERS) {
    recognizer.pattern.lastIndex = 0;
    for (let m = recognizer.pattern.exec(folded); m !== null; m = recognizer.pattern.exec(folded)) {
      const value = recognizer.resolve(m, today, folded);
      if (value !== null) {
        parts.push({
          value,
          start: m.index,
          end: m.index + m[0].length,
          forms: recognizer.forms,
          // A weak period with "nay" ("toi nay") is unambiguous: only the bare word is weak.
          weakIfBare: recognizer.weakIfBare === true && !(value.kind === 'period' && value.date),
        });
      }
    }
  }
  return parts;
}
