/**
 * Calendar arithmetic on Vietnam-local dates. Vietnam keeps UTC+7 all year (no daylight saving
 * since 1975), so "local" is a fixed offset and plain UTC arithmetic on shifted instants is exact;
 * no time-zone database is needed.
 */

/** A calendar day in Vietnam. `month` is 1..12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** A wall-clock time in Vietnam. */
export interface LocalTime {
  readonly hour: number;
  readonly minute: number;
}

/** Asia/Ho_Chi_Minh offset from UTC, in milliseconds. */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const fromUtcParts = (d: Date): LocalDate => ({
  year: d.getUTCFullYear(),
  month: d.getUTCMonth() + 1,
  day: d.getUTCDate(),
});

const toUtcMidnight = (date: LocalDate): number => Date.UTC(date.year, date.month - 1, date.day);

/** The Vietnam-local date and time of an instant. */
export function vietnamNow(now: Date): { date: LocalDate; time: LocalTime } {
  const shifted = new Date(now.getTime() + VIETNAM_OFFSET_MS);
  return {
    date: fromUtcParts(shifted),
    time: { hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes() },
  };
}

/** `date` moved by `days` (may be negative); month and year boundaries handled. */
export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcParts(new Date(toUtcMidnight(date) + days * DAY_MS));
}

/** ISO weekday: 1 = Monday (thứ Hai) … 7 = Sunday (Chủ nhật). */
export function isoWeekday(date: LocalDate): number {
  const js = new Date(toUtcMidnight(date)).getUTCDay(); // 0 = Sunday
  return js === 0 ? 7 : js;
}

/** True when year/month/day name a real calendar day (no 31/11, 29/2 only in leap years). */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1 || day > 31) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Negative when a is before b, 0 when the same day, positive after. */
export function compareDates(a: LocalDate, b: LocalDate): number {
  return toUtcMidnight(a) - toUtcMidnight(b);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `YYYY-MM-DD`. */
export function formatDate(date: LocalDate): string {
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

/** `YYYY-MM-DDTHH:mm`. */
export function formatDateTime(date: LocalDate, time: LocalTime): string {
  return `${formatDate(date)}T${pad(time.hour)}:${pad(time.minute)}`;
}
