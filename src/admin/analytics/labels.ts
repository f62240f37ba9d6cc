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

/** An instant in Vietnam time, `dd/mm/yyyy HH:mm` (one formatter for the whole console). */
export { formatDateTime } from '../layout/format';
