/**
 * Calendar days as the appraisal console shows them: Vietnam days (UTC+7 all year, no daylight
 * saving), weeks starting on Monday, times on a 24-hour Vietnamese clock. Days travel as
 * `YYYY-MM-DD` strings (query parameters, date inputs); instants stay `Date` (UTC).
 */
const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written `YYYY-MM-DD` (no 2026-02-30). */
export function isIsoDay(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_DAY.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The Vietnam calendar day of an instant. */
export function vnDay(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(day: string): number {
  const js = new Date(`${day}T00:00:00Z`).getUTCDay();
  return js === 0 ? 7 : js;
}

/** The Monday of the week holding `day`. */
export function weekStart(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

/** The instant a Vietnam day begins (00:00 Vietnam = 17:00 UTC the day before). */
export function vnMidnight(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - VN_OFFSET_MS);
}

/** `HH:mm` on a Vietnamese clock. */
export function vnTime(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(11, 16);
}

/** `dd/mm/yyyy` of a `YYYY-MM-DD` day. */
export function dayLabel(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** `dd/mm` of a `YYYY-MM-DD` day (the week view's column heads). */
export function shortDayLabel(day: string): string {
  const [, m, d] = day.split('-');
  return `${d}/${m}`;
}
