/**
 * Free session times, computed from the calendars alone (pure: no database, no clock), so every
 * rule — working hours, holidays, leave, daily capacity, session length and buffer, minimum
 * notice, existing sessions — is unit-tested on a table of cases.
 *
 * A session blocks `[start, start + session + buffer)`, exactly the range the database's exclusion
 * constraint protects, so a slot offered here is one the database will accept unless someone else
 * takes it first.
 */
import type { Slot } from './contract';
import type { WorkingPeriod } from './model';
import { vietnamDay, vietnamInstant, weekdayOf } from './vn-day';

const MINUTE_MS = 60_000;

export interface SlotAppraiser {
  id: string;
  workingHours: WorkingPeriod[];
  /** Most sessions in one day. */
  dailyCapacity: number;
  /** This appraiser's leave days (`YYYY-MM-DD`). */
  daysOff: ReadonlySet<string>;
}

/** An existing session holding an appraiser's time (and counting towards the day's capacity). */
export interface BusyRange {
  appraiserId: string;
  start: Date;
  blockedUntil: Date;
}

export interface SlotQuery {
  /** Vietnam calendar days to look at (`YYYY-MM-DD`). */
  days: readonly string[];
  sessionMinutes: number;
  bufferMinutes: number;
  appraisers: readonly SlotAppraiser[];
  /** Days nobody works (public holidays). */
  holidays: ReadonlySet<string>;
  busy: readonly BusyRange[];
  /** No slot starts before this (now plus the minimum notice). */
  notBefore: Date;
}

/**
 * Every slot of the grid: each working period is cut into sessions from its start, one every
 * `session + buffer` minutes, as long as the session itself ends within the period (the buffer
 * after the last one may run past it: it is the appraiser's own time for notes).
 */
function gridFor(appraiser: SlotAppraiser, day: string, q: SlotQuery): Slot[] {
  const weekday = weekdayOf(day);
  const step = (q.sessionMinutes + q.bufferMinutes) * MINUTE_MS;
  const session = q.sessionMinutes * MINUTE_MS;
  const slots: Slot[] = [];
  for (const period of appraiser.workingHours) {
    if (!period.days.includes(weekday)) continue;
    const periodEnd = vietnamInstant(day, period.end).getTime();
    for (let t = vietnamInstant(day, period.start).getTime(); t + session <= periodEnd; t += step) {
      slots.push({ start: new Date(t), end: new Date(t + session), appraiserId: appraiser.id });
    }
  }
  return slots;
}

/** Slots that exist at all (hours, holidays, leave, notice), whether or not someone booked them. */
export function openSlots(q: SlotQuery): Slot[] {
  const slots: Slot[] = [];
  for (const day of q.days) {
    if (q.holidays.has(day)) continue;
    for (const appraiser of q.appraisers) {
      if (appraiser.daysOff.has(day)) continue;
      for (const slot of gridFor(appraiser, day, q)) {
        if (slot.start.getTime() >= q.notBefore.getTime()) slots.push(slot);
      }
    }
  }
  return sortSlots(slots);
}

/** True when a session at `slot` would overlap `busy` (same half-open ranges as the constraint). */
export function overlapsBusy(slot: Slot, busy: BusyRange, bufferMinutes: number): boolean {
  const blockedUntil = slot.end.getTime() + bufferMinutes * MINUTE_MS;
  return busy.appraiserId === slot.appraiserId && slot.start.getTime() < busy.blockedUntil.getTime() && busy.start.getTime() < blockedUntil;
}

/** Sessions per appraiser per Vietnam day, keyed `appraiserId|YYYY-MM-DD`. */
export function sessionsPerDay(busy: readonly BusyRange[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const b of busy) {
    const key = `${b.appraiserId}|${vietnamDay(b.start)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Whether an open slot is still free: no overlapping session and the appraiser's day not full. */
export function slotState(slot: Slot, q: SlotQuery, counts = sessionsPerDay(q.busy)): 'free' | 'overlap' | 'full' {
  if (q.busy.some((b) => overlapsBusy(slot, b, q.bufferMinutes))) return 'overlap';
  const capacity = q.appraisers.find((a) => a.id === slot.appraiserId)?.dailyCapacity ?? 0;
  return (counts.get(`${slot.appraiserId}|${vietnamDay(slot.start)}`) ?? 0) >= capacity ? 'full' : 'free';
}

/** The free slots, earliest first (then by appraiser, for a stable order). */
export function generateSlots(q: SlotQuery): Slot[] {
  const counts = sessionsPerDay(q.busy);
  return openSlots(q).filter((slot) => slotState(slot, q, counts) === 'free');
}

export function sortSlots(slots: Slot[]): Slot[] {
  return slots.sort((a, b) => a.start.getTime() - b.start.getTime() || a.appraiserId.localeCompare(b.appraiserId));
}
