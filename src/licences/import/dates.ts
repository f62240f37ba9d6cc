/**
 * Dates as offices type them: `31/12/2026`, `1/2/2026`, `31-12-2026`, `31.12.2026`, ISO
 * `2026-12-31`, "ngày 31 tháng 12 năm 2026", an XLSX date cell, or an Excel serial number (a date
 * cell that lost its format, 46387). Day first, always: Vietnam never writes month/day.
 */
import { foldVietnamese } from '../../nlu';
import { formatDate, isValidDate } from '../../nlu/datetime/local-date';
import { problem, type Problem } from './problem';

export type DateResult = { ok: true; date: string } | { ok: false; problem: Problem };

/** A spreadsheet cell as read: text, a number, a date, or nothing. */
export type Cell = string | number | Date | null;

/** Excel's day 0 is 1899-12-30 (its 1900 leap-year bug folded in for every date after February 1900). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
/** Serial numbers between 1950 and 2200: anything else in a date column is not a date. */
const MIN_SERIAL = 18_264;
const MAX_SERIAL = 109_574;

const DAY_FIRST = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2,4})$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T\s].*)?$/;
const WORDS = /^ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})$/;

function fromParts(year: number, month: number, day: number, typed: string): DateResult {
  if (!isValidDate(year, month, day)) return { ok: false, problem: problem('invalidDate', { value: typed }) };
  return { ok: true, date: formatDate({ year, month, day }) };
}

function fromSerial(serial: number, typed: string): DateResult {
  if (!Number.isFinite(serial) || serial < MIN_SERIAL || serial > MAX_SERIAL) {
    return { ok: false, problem: problem('unreadableDate', { value: typed }) };
  }
  // A serial's fraction is the time of day: the calendar day is the whole part.
  const d = new Date(EXCEL_EPOCH_MS + Math.floor(serial + 1e-9) * DAY_MS);
  return { ok: true, date: formatDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }) };
}

/**
 * The calendar day in a cell, `YYYY-MM-DD`, or why it is not one. XLSX date cells arrive as
 * `Date`s at UTC midnight of the day shown (that is how the file stores them: no time zone).
 */
export function parseDateCell(cell: Cell): DateResult {
  if (cell instanceof Date) {
    if (Number.isNaN(cell.getTime())) return { ok: false, problem: problem('unreadableDate', { value: '' }) };
    // The day shown; a second of slack because some writers store 23:59:59.999 of the day before.
    const d = new Date(Math.floor((cell.getTime() + 1000) / DAY_MS) * DAY_MS);
    return { ok: true, date: formatDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }) };
  }
  if (typeof cell === 'number') return fromSerial(cell, String(cell));
  const typed = (cell ?? '').trim();
  let m = DAY_FIRST.exec(typed);
  if (m) {
    const year = Number(m[3]);
    if ((m[3] ?? '').length !== 4) return { ok: false, problem: problem('twoDigitYear', { value: typed }) };
    return fromParts(year, Number(m[2]), Number(m[1]), typed);
  }
  m = ISO.exec(typed);
  if (m) return fromParts(Number(m[1]), Number(m[2]), Number(m[3]), typed);
  m = WORDS.exec(foldVietnamese(typed));
  if (m) return fromParts(Number(m[3]), Number(m[2]), Number(m[1]), typed);
  if (/^\d{5}(?:\.\d+)?$/.test(typed)) return fromSerial(Number(typed), typed);
  return { ok: false, problem: problem('unreadableDate', { value: typed }) };
}

/** `YYYY-MM-DD` -> `dd/mm/yyyy`, the way offices write dates. */
export function toDayFirst(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}
