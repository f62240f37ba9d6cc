/**
 * The reminder ladder and the one decision that matters for "exactly once, without flooding": given
 * a licence's ladder, its expiry, the steps already recorded and today's date, which step (if any)
 * is sent now and which missed ones are recorded as skipped.
 *
 * Steps are whole days before expiry (60, 30, 7, 1) or after it (-1 = the day after). A step is due
 * on `expiry - step`. After an outage several steps may be due at once: only the most recent one is
 * sent — the person needs today's news ("còn 5 ngày"), not three stale messages in a row — and the
 * earlier ones are recorded as skipped, so the history shows what was missed and why. Once the last
 * step's day has passed, nothing more is sent for that expiry.
 */
import { z } from 'zod';
import { tables, type Db } from '../../db';
import { shiftIsoDate } from '../repository';

const DAY_MS = 86_400_000;

/** A ladder as stored (`reminder_ladders.steps`) or configured: distinct whole days, at least one. */
export const ladderStepsSchema = z
  .array(z.number().int().min(-366).max(3660))
  .min(1)
  .transform((steps) => [...new Set(steps)].sort((a, b) => b - a));

/** The default ladder and the per-licence-type overrides, keyed by procedure slug. */
export interface Ladders {
  defaultSteps: number[];
  byProcedure: Record<string, number[]>;
}

/**
 * Reads the per-type overrides. A malformed row is reported through `onInvalid` and ignored (the
 * default ladder applies), so one bad console edit cannot stop every reminder.
 */
export async function loadLadders(db: Db, defaultSteps: number[], onInvalid?: (procedureSlug: string, error: string) => void): Promise<Ladders> {
  const rows = await db.select().from(tables.reminderLadders);
  const byProcedure: Record<string, number[]> = {};
  for (const row of rows) {
    const parsed = ladderStepsSchema.safeParse(row.steps);
    if (parsed.success) byProcedure[row.procedureSlug] = parsed.data;
    else onInvalid?.(row.procedureSlug, parsed.error.message);
  }
  return { defaultSteps: ladderStepsSchema.parse(defaultSteps), byProcedure };
}

export function stepsFor(ladders: Ladders, procedureSlug: string): number[] {
  return ladders.byProcedure[procedureSlug] ?? ladders.defaultSteps;
}

/** How far around today expiries can matter: `[today - after, today + before]` covers every ladder. */
export function expiryWindow(ladders: Ladders, today: string): { from: string; to: string } {
  const all = [ladders.defaultSteps, ...Object.values(ladders.byProcedure)].flat();
  const before = Math.max(0, ...all);
  const after = Math.max(0, ...all.map((s) => -s));
  return { from: shiftIsoDate(today, -after), to: shiftIsoDate(today, before) };
}

/** Whole days from `from` to `to` (both `YYYY-MM-DD`); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/** `YYYY-MM-DD` -> `dd/mm/yyyy`, as Vietnamese documents (and the ZNS template) write dates. */
export function toVietnameseDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

export interface StepPlan {
  /** The step to send today, if any. */
  send?: { step: number; dueOn: string };
  /** Due steps not sent, with the reason kept in the reminder's note. */
  skip: { step: number; dueOn: string; note: string }[];
}

/**
 * Decides one licence's due steps for `today`. `recorded` are the steps already planned for this
 * expiry (sent, queued, skipped or without a channel): they are never planned again.
 */
export function planSteps(steps: readonly number[], expiresOn: string, today: string, recorded: ReadonlySet<number>): StepPlan {
  const due = steps
    .map((step) => ({ step, dueOn: shiftIsoDate(expiresOn, -step) }))
    .filter((s) => s.dueOn <= today)
    .sort((a, b) => (a.dueOn < b.dueOn ? 1 : -1)); // most recent first
  const open = due.filter((s) => !recorded.has(s.step));
  if (open.length === 0) return { skip: [] };
  const lastDay = shiftIsoDate(expiresOn, Math.max(0, ...steps.map((s) => -s)));
  if (today > lastDay) {
    // The whole ladder is behind us (an outage past its last day, or a licence added late).
    return { skip: open.map((s) => ({ ...s, note: `too late: the reminders for this expiry ended on ${lastDay}` })) };
  }
  const [latest] = due;
  if (!latest) return { skip: [] };
  const skip = open
    .filter((s) => s.step !== latest.step)
    .map((s) => ({ ...s, note: `missed on ${s.dueOn}; superseded by the ${latest.step}-day reminder due ${latest.dueOn}` }));
  // When the most recent due step is already recorded, the older open ones are history, not news.
  return recorded.has(latest.step) ? { skip } : { send: latest, skip };
}
