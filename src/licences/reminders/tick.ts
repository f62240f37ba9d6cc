/**
 * One scheduler tick of the expiry reminders (DESIGN.md §4.3b), shared by `npm run reminders -- run`
 * and the worker's cron job: plan what is due as of the tick, deliver through the outbox and the
 * channel policies, wait until the outbox is drained or only waiting on policy, make refusals
 * visible, and summarise.
 */
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import type { Logger } from '../../logger';
import type { OutboxWorker } from '../../outbox';
import type { Channel, ChannelPolicy } from '../../channels/types';
import { drainUntilSettled, reconcileFailedReminders, reminderOutboxCounts, waitingReasons, type SettleOptions } from './delivery';
import { loadLadders } from './ladder';
import { planDueReminders, type PlanResult } from './planner';

export interface ReminderTickDeps {
  db: Db;
  i18n: Translator;
  logger: Logger;
  /** The channels this deployment sends on (their policies route the reminders). */
  channels: Partial<Record<Channel, { policy: ChannelPolicy }>>;
  /** Delivers; its clock must be the tick's clock (see `clock`). */
  outbox: OutboxWorker;
  /** `REMINDER_LADDER_DAYS`. */
  ladderDays: number[];
  /** `ZNS_TEMPLATE_LICENCE_EXPIRY`. */
  znsTemplateId?: string;
}

export interface ReminderTickOptions extends SettleOptions {
  /** The tick's clock: its first reading is "the moment" of the tick; the outbox waits in its time. */
  clock: () => Date;
  batchSize?: number;
}

/**
 * The tick's JSON summary: the plan's counts (`today`, `planned` = `queued` + `noChannel` +
 * `skipped` reminder rows written, `messages` = outbox rows) and what delivery did.
 */
export interface ReminderTickSummary extends Omit<PlanResult, 'batches'> {
  /** The tick's moment (ISO). */
  now: string;
  /** Reminder messages sent / failed during this tick (by any worker). */
  sent: number;
  failed: number;
  /** Reminder messages still waiting (quiet hours, the Messenger night hold, retries), with why. */
  waiting: number;
  waitingReasons: Record<string, number>;
  /** Queued reminders whose every message failed, turned "no reachable channel" for an officer. */
  unreachable: number;
}

export async function runReminderTick(deps: ReminderTickDeps, opts: ReminderTickOptions): Promise<ReminderTickSummary> {
  const { db, logger } = deps;
  const now = opts.clock();
  const ladders = await loadLadders(db, deps.ladderDays, (procedureSlug, error) =>
    logger.warn({ procedureSlug, error }, 'invalid reminder ladder ignored: the default ladder applies'),
  );
  const policies = Object.fromEntries(Object.entries(deps.channels).map(([channel, c]) => [channel, c.policy]));
  const before = await reminderOutboxCounts(db);
  const plan = await planDueReminders({
    db,
    i18n: deps.i18n,
    ladders,
    routing: { policies, znsTemplateId: deps.znsTemplateId },
    now,
    batchSize: opts.batchSize,
  });
  await drainUntilSettled(deps.outbox, db, opts.clock, opts);
  const unreachable = await reconcileFailedReminders(db, plan.today);
  const after = await reminderOutboxCounts(db);
  const { batches: _batches, ...planned } = plan;
  const summary: ReminderTickSummary = {
    now: now.toISOString(),
    ...planned,
    sent: Math.max(0, after.sent - before.sent),
    failed: Math.max(0, after.failed - before.failed),
    waiting: after.pending,
    waitingReasons: await waitingReasons(db),
    unreachable,
  };
  logger.info(summary, 'licence reminder tick');
  return summary;
}
