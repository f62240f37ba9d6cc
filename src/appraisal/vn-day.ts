/**
 * Vietnam calendar days as `YYYY-MM-DD` strings and the UTC instants of their wall-clock times.
 * Asia/Ho_Chi_Minh is UTC+7 all year, so the shared fixed-offset helpers of the NLU are exact.
 */
import { addDays, formatDate, isoWeekday, vietnamNow, type LocalDate } from '../nlu/datetime/local-date';

const VIETNAM_OFFSET_MS = 7 * 3_600_000;

function parseDay(day: string): LocalDate {
  const [year, month, date] = day.split('-').map(Number);
  return { year: year ?? NaN, month: month ?? NaN, day: date ?? NaN };
}

/** The Vietnam calendar day of an instant. */
export function vietnamDay(at: Date): string {
  return formatDate(vietnamNow(at).date);
}

/** `day` moved by `days`. */
export function shiftDay(day: string, days: number): string {
  return formatDate(addDays(parseDay(day), days));
}

/** ISO weekday of a Vietnam calendar day: 1 = Monday … 7 = Sunday. */
export function weekdayOf(day: string): number {
  return isoWeekday(parseDay(day));
}

/** The instant a Vietnamese clock shows `HH:mm` on `day`. */
export function vietnamInstant(day: string, clock: string): Date {
  const d = parseDay(day);
  const [h, m] = clock.split(':').map(Number);
  return new Date(Date.UTC(d.year, d.month - 1, d.day, h ?? 0, m ?? 0) - VIETNAM_OFFSET_MS);
}

/** `count` consecutive days starting at `from`. */
export function dayRange(from: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftDay(from, i));
}
