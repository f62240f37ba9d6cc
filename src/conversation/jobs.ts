/** Worker jobs of the conversation component. */
import { sql } from 'drizzle-orm';
import { tables, type Db } from '../db';
import type { Logger } from '../logger';

/**
 * Every few minutes, logs how many people are waiting for an official and for how long, so
 * operations see a growing queue in the logs before anyone complains.
 */
export function handoffQueueReport(db: Db, logger: Logger) {
  return {
    name: 'handoff-queue-report',
    schedule: '*/5 * * * *',
    async run(now: Date) {
      const [row] = await db
        .select({
          waiting: sql<number>`count(*)::int`,
          oldest: sql<Date | null>`min(${tables.conversations.handoffRequestedAt})`,
        })
        .from(tables.conversations)
        .where(sql`${tables.conversations.status} = 'waiting_human'`);
      const waiting = row?.waiting ?? 0;
      const oldest = row?.oldest ? new Date(row.oldest) : null;
      const oldestMinutes = oldest ? Math.round((now.getTime() - oldest.getTime()) / 60_000) : 0;
      logger.info({ waiting, oldestMinutes }, 'handoff queue');
    },
  };
}
