/**
 * The worker's reminder job: the same tick as `npm run reminders -- run`, with the real clock.
 * It runs every hour from 08:00 to 21:00 Vietnam time: the 08:00 run plans the day's reminders at a
 * decent hour, and the later runs catch up after a restart or an outage (the planner sends only the
 * most recent missed step, so catching up never floods). Nothing is planned at night; what a policy
 * holds (quiet hours) waits in the outbox, which the worker keeps draining.
 */
import type { Job } from '../../worker/scheduler';
import { runReminderTick, type ReminderTickDeps } from './tick';

export const REMINDER_SCHEDULE = '0 8-21 * * *';
/** The job waits this long at most for the outbox (rate limits); the worker's outbox loop carries on after. */
const JOB_MAX_WAIT_MS = 10 * 60_000;

export function licenceRemindersJob(deps: ReminderTickDeps): Job {
  return {
    name: 'licence-reminders',
    schedule: REMINDER_SCHEDULE,
    async run() {
      await runReminderTick(deps, { clock: () => new Date(), maxWaitMs: JOB_MAX_WAIT_MS });
    },
  };
}
