/**
 * Appraisers' working hours as officials type them: one line per weekday, ranges separated by
 * commas ("07:30-11:30, 13:30-17:00"; an empty line is a day off), stored as the schema's
 * `[{days: [1..7], start: 'HH:mm', end: 'HH:mm'}]` with identical ranges of several days grouped.
 */
import { workingHoursSchema, type WorkingPeriod } from '../../appraisal';

export type WorkingHoursEntry = WorkingPeriod;

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

/** The stored hours as one text line per weekday (1 = Monday), ranges in time order. */
export function hoursToLines(stored: unknown): Record<number, string> {
  const parsed = workingHoursSchema.safeParse(stored);
  const lines: Record<number, string> = {};
  for (const day of WEEKDAYS) {
    const ranges = (parsed.success ? parsed.data : []).filter((e) => e.days.includes(day)).map((e) => `${e.start}-${e.end}`);
    lines[day] = ranges.sort().join(', ');
  }
  return lines;
}

const RANGE = /^(\d{1,2})[:hH](\d{2})\s*[-–]\s*(\d{1,2})[:hH](\d{2})$/;
const pad = (n: number) => String(n).padStart(2, '0');

/** Minutes since midnight of a valid `HH:mm`, or undefined. */
function minutes(h: string, m: string): number | undefined {
  const hh = Number(h);
  const mm = Number(m);
  // 00:00–23:59, as the appraisal component stores clock times.
  return hh < 24 && mm < 60 ? hh * 60 + mm : undefined;
}

/**
 * One weekday's line as ranges; `error` names what is wrong: `format` (not `HH:mm-HH:mm`), `order`
 * (a range ending before it starts) or `overlap` (two ranges of the day overlapping).
 */
export function parseDayLine(line: string): { ok: true; ranges: { start: string; end: string }[] } | { ok: false; error: 'format' | 'order' | 'overlap' } {
  const parts = line.split(/[,;]/).map((p) => p.trim()).filter(Boolean);
  const ranges: { from: number; to: number }[] = [];
  for (const part of parts) {
    const m = RANGE.exec(part);
    if (!m) return { ok: false, error: 'format' };
    const from = minutes(m[1]!, m[2]!);
    const to = minutes(m[3]!, m[4]!);
    if (from === undefined || to === undefined) return { ok: false, error: 'format' };
    if (from >= to) return { ok: false, error: 'order' };
    ranges.push({ from, to });
  }
  ranges.sort((a, b) => a.from - b.from);
  for (let i = 1; i < ranges.length; i += 1) if (ranges[i]!.from < ranges[i - 1]!.to) return { ok: false, error: 'overlap' };
  const hhmm = (n: number) => `${pad(Math.floor(n / 60))}:${pad(n % 60)}`;
  return { ok: true, ranges: ranges.map((r) => ({ start: hhmm(r.from), end: hhmm(r.to) })) };
}

/** Per-day ranges grouped into stored entries (days sharing a range share an entry). */
export function linesToHours(byDay: Record<number, { start: string; end: string }[]>): WorkingHoursEntry[] {
  const groups = new Map<string, WorkingHoursEntry>();
  for (const day of WEEKDAYS) {
    for (const r of byDay[day] ?? []) {
      const key = `${r.start}-${r.end}`;
      const entry = groups.get(key) ?? { days: [], start: r.start, end: r.end };
      entry.days.push(day);
      groups.set(key, entry);
    }
  }
  return [...groups.values()].sort((a, b) => a.start.localeCompare(b.start) || (a.days[0] ?? 0) - (b.days[0] ?? 0));
}
