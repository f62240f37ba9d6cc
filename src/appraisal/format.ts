/** Session times as businesses read them: Vietnam time, "09:00 thứ Sáu, ngày 13/11/2026". */
import type { Locale, Translator } from '../i18n';
import { vietnamNow } from '../nlu/datetime/local-date';
import { ProcedureRepository } from '../procedures';
import type { Db } from '../db';
import { vietnamDay, weekdayOf } from './vn-day';

const pad = (n: number) => String(n).padStart(2, '0');

/** `HH:mm` in Vietnam. */
export function vietnamClock(at: Date): string {
  const { time } = vietnamNow(at);
  return `${pad(time.hour)}:${pad(time.minute)}`;
}

/** `dd/mm/yyyy` in Vietnam. */
export function vietnamDate(at: Date): string {
  const { date } = vietnamNow(at);
  return `${pad(date.day)}/${pad(date.month)}/${date.year}`;
}

/** "09:00 thứ Sáu, ngày 13/11/2026". */
export function formatSessionTime(at: Date, i18n: Translator, locale?: Locale): string {
  const weekday = i18n.list('appraisal.weekdays', locale)[weekdayOf(vietnamDay(at)) - 1] ?? '';
  return i18n.t('appraisal.when', { time: vietnamClock(at), weekday, date: vietnamDate(at) }, locale);
}

/** The knowledge base's name of the procedure ("Giấy chứng nhận đủ điều kiện buôn bán thuốc BVTV"), or its slug. */
export async function procedureName(db: Db, slug: string): Promise<string> {
  return (await new ProcedureRepository(db).get(slug))?.name ?? slug;
}
