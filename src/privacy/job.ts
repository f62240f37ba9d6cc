/**
 * The nightly retention job (registered in main.ts). 02:30 Vietnam time: nobody works then, the
 * reminder and broadcast jobs are idle, and the batches never hold a lock for long anyway.
 */
import type { Db } from '../db';
import type { Logger } from '../logger';
import type { Job } from '../worker/scheduler';
import { runRetention, type RetentionOptions, type RetentionPolicy } from './retention';

export const RETENTION_SCHEDULE = '30 2 * * *';

export function retentionJob(db: Db, policy: RetentionPolicy, logger: Logger, options: RetentionOptions = {}): Job {
  return {
    name: 'privacy-retention',
    schedule: RETENTION_SCHEDULE,
    async run(now: Date) {
      const summary = await runRetention(db, policy, now, options);
      const touched = Object.values(summary.counts).reduce((a, b) => a + b, 0);
      // Counts only: a log line must never carry the personal data it reports about.
      logger.info({ ...summary.counts, complete: summary.complete, policy }, touched > 0 ? 'personal data past retention anonymised or deleted' : 'nothing past retention');
      if (!summary.complete) logger.warn('retention stopped at its batch limit: the rest is handled by the next run');
    },
  };
}
