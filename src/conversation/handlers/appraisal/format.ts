/**
 * Session times as a Vietnamese shop owner reads them: Vietnam time whatever the server's zone
 * ("Thứ Sáu, 04/12/2026, 09:00–09:45"), short forms for chat buttons ("T6 04/12 09:00"), and the
 * names of procedures as short labels (knowledge-base names are too long for a 20-character chip).
 */
import type { Translator } from '../../../i18n';
import { addDays, formatDate, isoWeekday, vietnamNow } from '../../../nlu/datetime/local-date';
import { vietnamClock, vietnamDate, type Booking, type Slot } from '../../../appraisal';
import type { Turn } from '../../turn';
import { shortTitle } from '../procedure';

const pad = (n: number) => String(n).padStart(2, '0');

export { vietnamClock };
/** `HH:mm` on a Vietnamese clock for a stored ISO instant. */
export const clockOfIso = (iso: string): string => vietnamClock(new Date(iso));

/** Today's Vietnam calendar day, `YYYY-MM-DD`, and `days` later. */
export function vietnamDay(at: Date, days = 0): string {
  return formatDate(addDays(vietnamNow(at).date, days));
}

/** The Monday of next week in Vietnam, `YYYY-MM-DD`. */
export function nextMonday(at: Date): string {
  const { date } = vietnamNow(at);
  return formatDate(addDays(date, 8 - isoWeekday(date)));
}

/** "Thứ Sáu, 04/12/2026" */
export function longDay(i18n: Translator, at: Date): string {
  const weekday = i18n.list('common.weekdays')[isoWeekday(vietnamNow(at).date) - 1] ?? '';
  return `${weekday}, ${vietnamDate(at)}`;
}

/** "Thứ Sáu, 04/12/2026, 09:00–09:45" */
export function sessionTime(i18n: Translator, s: { start: Date; end: Date }): string {
  return `${longDay(i18n, s.start)}, ${vietnamClock(s.start)}–${vietnamClock(s.end)}`;
}

/** "T6 04/12 09:00": fits a Messenger quick reply (20 characters). */
export function chipTime(i18n: Translator, start: Date): string {
  const { date } = vietnamNow(start);
  const weekday = i18n.list('appraisal-chat.weekdaysShort')[isoWeekday(date) - 1] ?? '';
  return `${weekday} ${pad(date.day)}/${pad(date.month)} ${vietnamClock(start)}`;
}

/** The procedure's short label ("Thuốc BVTV"), else its knowledge-base name cut to fit a chip. */
export async function procedureLabel(turn: Turn, slug: string): Promise<string> {
  const { i18n, procedures } = turn.deps;
  const key = `appraisal-chat.typeLabels.${slug}`;
  if (i18n.has(key)) return i18n.t(key);
  const p = await procedures.get(slug);
  return shortTitle(p?.name ?? slug, 20);
}

/** The procedure's full name for sentences. */
export async function procedureName(turn: Turn, slug: string): Promise<string> {
  const p = await turn.deps.procedures.get(slug);
  return p?.name ?? (await procedureLabel(turn, slug));
}

/** Slots sorted by start, as typed objects. */
export const byStart = <T extends Pick<Slot, 'start'>>(slots: T[]): T[] => [...slots].sort((a, b) => a.start.getTime() - b.start.getTime());
