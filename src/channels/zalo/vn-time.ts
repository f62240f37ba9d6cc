/**
 * Vietnam wall-clock helpers for the Zalo quiet hours (DESIGN.md §5: no Zalo/ZNS sends 22:00–06:00).
 * Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving), so a fixed offset is exact and cheaper
 * than an Intl time-zone lookup on every policy decision.
 */

const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** Quiet hours start at 22:00 and end at 06:00 Vietnam time. */
export const QUIET_START_HOUR = 22;
export const QUIET_END_HOUR = 6;

/** The hour (0–23) on a Vietnamese clock at `at`. */
export function vietnamHour(at: Date): number {
  return new Date(at.getTime() + VN_OFFSET_MS).getUTCHours();
}

/** True from 22:00:00.000 up to 05:59:59.999 Vietnam time. */
export function isQuietHours(at: Date): boolean {
  const h = vietnamHour(at);
  return h >= QUIET_START_HOUR || h < QUIET_END_HOUR;
}

/** The first instant strictly after `at` when a Vietnamese clock shows `hour`:00:00.000. */
export function nextVietnamHour(at: Date, hour: number): Date {
  const local = at.getTime() + VN_OFFSET_MS;
  const midnight = Math.floor(local / DAY_MS) * DAY_MS;
  let candidate = midnight + hour * 3_600_000;
  if (candidate <= local) candidate += DAY_MS;
  return new Date(candidate - VN_OFFSET_MS);
}

/** When the current (or next) quiet period ends: the next 06:00 Vietnam time. */
export function quietHoursEnd(at: Date): Date {
  return nextVietnamHour(at, QUIET_END_HOUR);
}
