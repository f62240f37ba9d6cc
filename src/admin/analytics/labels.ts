/** How analytics names and numbers read to an official: Vietnamese labels, Vietnamese number formats. */
import type { Translator } from '../../i18n';

/** The readable name of an intent (`procedure.fee` -> "Hỏi lệ phí"); the raw name when none is written. */
export function intentLabel(i18n: Translator, intent: string): string {
  const key = `admin-analytics.intents.${intent}`;
  return i18n.has(key) ? i18n.t(key) : intent;
}

const INTEGER = new Intl.NumberFormat('vi-VN');
const DECIMAL = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
const PERCENT = new Intl.NumberFormat('vi-VN', { style: 'percent', maximumFractionDigits: 1 });

export const formatInteger = (n: number): string => INTEGER.format(n);
export const formatDecimal = (n: number): string => DECIMAL.format(n);
export const formatPercent = (share: number): string => PERCENT.format(share);

/** `YYYY-MM-DD` as `dd/mm/yyyy`. */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

const DATE_TIME = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant in Vietnam time, `dd/mm/yyyy HH:mm`. */
export function formatDateTime(date: Date): string {
  const parts = Object.fromEntries(DATE_TIME.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}
