/**
 * Session reminders, 24 h and 1 h before (issue 6), planned by a worker job every 5 minutes into
 * the outbox (see notices.ts for how each reaches the business). Exactly once: each reminder's
 * dedupe key is `appraisal:<bookingId>:reminder:<24h|1h>`, and a moved session is a new booking row
 * with its own keys.
 *
 * Catching up after downtime: a reminder whose time passed while nothing ran is still sent as long
 * as the session has not started — but only the latest one due (someone an hour from the session
 * needs the 1 h reminder, not yesterday's), and never once the session has begun. A booking made
 * after a reminder's time (e.g. 10 hours ahead) skips that reminder: its confirmation just said it.
 */
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Config } from '../config';
import { tables, type Db } from '../db';
import { loadTranslator } from '../i18n';
import type { Logger } from '../logger';
import type { Job } from '../worker/scheduler';
import { enqueueNotice, type NoticeOutcome, type NoticeSettings } from './notices';
import { toBooking } from './store';

const { appraisalBookings, appraisers } = tables;
const HOUR_MS = 3_600_000;

/** Longest lead first; planning picks the shortest one already due. */
export const REMINDER_LEADS = [
  { lead: '24h', ms: 24 * HOUR_MS },
  { lead: '1h', ms: HOUR_MS },
] as const;

export type ReminderSummary = Record<NoticeOutcome, number> & { skipped: number };

/** The reminder due for a session at `start` booked at `createdAt`, as of `now`; undefined when none. */
export function dueReminder(start: Date, createdAt: Date, now: Date): '24h' | '1h' | undefined {
  if (now.getTime() >= start.getTime()) return undefined;
  const due = REMINDER_LEADS.filter((l) => now.getTime() >= start.getTime() - l.ms).at(-1);
  if (!due) return undefined;
  return createdAt.getTime() >= start.getTime() - due.ms ? undefined : due.lead;
}

/** One planning pass as of `now` (the job's tick, or a test's chosen instant). */
export async function planReminders(db: Db, settings: NoticeSettings, now: Date): Promise<ReminderSummary> {
  const summary: ReminderSummary = { queued: 0, undeliverable: 0, duplicate: 0, skipped: 0 };
  const upcoming = await db
    .select({ id: appraisalBookings.id })
    .from(appraisalBookings)
    .where(
      and(
        eq(appraisalBookings.status, 'booked'),
        gt(appraisalBookings.startsAt, now),
        lte(appraisalBookings.startsAt, new Date(now.getTime() + REMINDER_LEADS[0].ms)),
      ),
    )
    .orderBy(asc(appraisalBookings.startsAt));
  for (const { id } of upcoming) {
    // Re-read under a share lock: a cancellation or move committing meanwhile is seen (and waits
    // for us), so a reminder is never queued for a session that no longer exists.
    await db.transaction(async (tx) => {
      const [r] = await tx
        .select({ row: appraisalBookings, appraiserName: appraisers.name })
        .from(appraisalBookings)
        .innerJoin(appraisers, eq(appraisers.id, appraisalBookings.appraiserId))
        .where(and(eq(appraisalBookings.id, id), eq(appraisalBookings.status, 'booked')))
        .for('share', { of: appraisalBookings });
      const lead = r ? dueReminder(r.row.startsAt, r.row.createdAt, now) : undefined;
      if (!r || !lead) {
        summary.skipped++;
        return;
      }
      summary[await enqueueNotice(tx, toBooking(r.row, r.appraiserName), { kind: 'reminder', lead }, settings, now)]++;
    });
  }
  return summary;
}

/** The worker job (registered in main.ts): every 5 minutes, Vietnam time. */
export function appraisalRemindersJob(db: Db, config: Config, logger: Logger): Job {
  const settings: NoticeSettings = {
    i18n: loadTranslator(config.paths.localesDir),
    znsReminderTemplate: config.zns.appraisalReminderTemplate,
  };
  return {
    name: 'appraisal-reminders',
    schedule: '*/5 * * * *',
    async run(now: Date) {
      const summary = await planReminders(db, settings, now);
      if (summary.queued + summary.undeliverable > 0) logger.info(summary, 'appraisal reminders planned');
      if (summary.undeliverable > 0) logger.warn({ undeliverable: summary.undeliverable }, 'appraisal reminders with no way to reach the business: see the outbox failures');
    },
  };
}
