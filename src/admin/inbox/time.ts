/**
 * Times as officials read them: how long someone has waited ("25 phút", "2 giờ 10 phút"), how long
 * ago something happened ("3 giờ trước"), and the exact moment on a Vietnamese clock (for tooltips
 * and the conversation page). Stored times are UTC; shown times are Asia/Ho_Chi_Minh (DESIGN.md §2).
 */
import type { Translator } from '../../i18n';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A waiting time rounded down to what matters: minutes under an hour, hours and minutes under a day, then days. */
export function formatDuration(ms: number, i18n: Translator): string {
  if (ms < MINUTE) return i18n.t('admin-inbox.time.justNow');
  if (ms < HOUR) return i18n.t('admin-inbox.time.minutes', { n: Math.floor(ms / MINUTE) });
  if (ms < DAY) {
    const h = Math.floor(ms / HOUR);
    const m = Math.floor((ms % HOUR) / MINUTE);
    return m === 0 ? i18n.t('admin-inbox.time.hours', { n: h }) : i18n.t('admin-inbox.time.hoursMinutes', { h, m });
  }
  return i18n.t('admin-inbox.time.days', { n: Math.floor(ms / DAY) });
}

/** "5 phút trước", or "vừa xong" for the last minute. */
export function formatAgo(at: Date, now: Date, i18n: Translator): string {
  const ms = Math.max(0, now.getTime() - at.getTime());
  if (ms < MINUTE) return i18n.t('admin-inbox.time.justNow');
  return i18n.t('admin-inbox.time.ago', { duration: formatDuration(ms, i18n) });
}

/** `dd/mm/yyyy HH:mm` in Vietnam time (one formatter for the whole console). */
export { formatDateTime as formatVnDateTime } from '../layout/format';
