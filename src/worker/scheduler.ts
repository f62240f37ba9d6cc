/**
 * The worker's clock: named `node-cron` jobs in Asia/Ho_Chi_Minh (offices think in local time).
 * A job never overlaps itself, and its failure is logged without stopping the others.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger';

export const TIMEZONE = 'Asia/Ho_Chi_Minh';

export interface Job {
  name: string;
  /** Cron expression in local Vietnam time. */
  schedule: string;
  run(now: Date): Promise<void>;
}

export interface Scheduler {
  /** Stops scheduling and waits for running jobs to finish. */
  stop(): Promise<void>;
}

export function startScheduler(jobs: Job[], logger: Logger): Scheduler {
  const running = new Set<Promise<void>>();
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      () => {
        const p = job
          .run(new Date())
          .catch((err: unknown) => logger.error({ err, job: job.name }, 'job failed'))
          .finally(() => running.delete(p));
        running.add(p);
        return p;
      },
      { name: job.name, timezone: TIMEZONE, noOverlap: true },
    ),
  );
  logger.info({ jobs: jobs.map((j) => `${j.name} (${j.schedule})`) }, 'scheduler started');
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.destroy()));
      await Promise.all([...running]);
    },
  };
}
