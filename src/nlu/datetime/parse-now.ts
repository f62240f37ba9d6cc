/** Reading a reference time given by a person or a tool (`--now`, `POST /api/nlu/parse`). */

/** ISO-8601 date or date-time; the time zone part (Z or ±hh:mm) is optional. */
const ISO_NOW = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The instant of `--now`. Without a time zone the time is Vietnam local time (the office's clock,
 * not this machine's), and a bare date is its midnight; null when not ISO-8601.
 */
export function parseNow(iso: string): Date | null {
  const m = ISO_NOW.exec(iso);
  if (!m) return null;
  const hasTime = iso.includes('T');
  const full = hasTime ? (m[1] !== undefined ? iso : `${iso}+07:00`) : `${iso}T00:00:00+07:00`;
  const now = new Date(full);
  return Number.isNaN(now.getTime()) ? null : now;
}

