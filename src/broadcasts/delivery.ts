/**
 * Delivery of broadcasts: a worker job (every minute) starts the broadcasts whose time has come and
 * hands their frozen recipients to the outbox in batches. The outbox does the rest — rate limits,
 * quiet hours and each platform's policy — so a broadcast never bypasses the rules replies obey.
 *
 * Exactly once: each batch is one transaction that locks the broadcast row, checks it is still
 * 'sending' (so a pause or cancel takes effect between batches, never half-way through one), marks
 * the batch's recipients 'queued' and writes their outbox rows (`broadcast:<id>:<channel>:<user>`,
 * unique). A crash rolls back both; a second worker waits for the lock and then sees the next batch.
 *
 * Pacing: at most `maxInFlight` messages of one broadcast wait in the outbox at a time. Without it the
 * whole list would be queued in seconds and "pause" could stop nothing; with it, pausing stops all
 * but the last top-up, and a broadcast waiting out the night holds no more than that.
 */
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { tables, type Db } from '../db';
import type { Translator } from '../i18n';
import type { Logger } from '../logger';
import { enqueueOutbound } from '../outbox';
import type { Job } from '../worker/scheduler';
import { broadcastDedupePrefix, broadcastOutbound, broadcastReply } from './message';
import { rowsOf, type BroadcastChannel } from './segment';
import type { Reply } from '../conversation/types';

const { broadcasts } = tables;

export const DEFAULT_BATCH_SIZE = 200;
export const DEFAULT_MAX_IN_FLIGHT = 1000;

export interface DeliveryOptions {
  i18n: Translator;
  /** Recipients handed to the outbox per transaction. */
  batchSize?: number;
  /** Most messages of one broadcast pending in the outbox at once (see above). */
  maxInFlight?: number;
}

export interface DeliverySummary {
  /** Broadcasts moved from scheduled to sending. */
  started: number;
  /** Outbox rows written. */
  queued: number;
  /** Recipients not sent because they opted out after the list was frozen. */
  skipped: number;
  /** Broadcasts finished (every recipient handed over and every message settled). */
  finished: number;
}

/** Messages of the broadcast still waiting in the outbox (to send, being sent, or waiting on policy). */
async function countInFlight(db: Db, broadcastId: string): Promise<number> {
  const [row] = rowsOf<{ n: number | string }>(
    await db.execute(sql`select count(*) as n from outbox
      where status in ('pending', 'sending') and purpose = 'broadcast' and dedupe_key like ${`${broadcastDedupePrefix(broadcastId)}%`}`),
  );
  return Number(row?.n ?? 0);
}

type BatchResult = { kind: 'stopped' } | { kind: 'empty' } | { kind: 'handed'; queued: number; skipped: number };

/** One batch, in one transaction (see the file comment). */
async function handOutBatch(db: Db, broadcastId: string, reply: Reply, size: number, now: Date): Promise<BatchResult> {
  return db.transaction(async (tx): Promise<BatchResult> => {
    const [b] = await tx.select({ status: broadcasts.status }).from(broadcasts).where(eq(broadcasts.id, broadcastId)).for('update');
    if (b?.status !== 'sending') return { kind: 'stopped' };
    const handed = rowsOf<{ channel: BroadcastChannel; channel_user_id: string; status: 'queued' | 'skipped' }>(
      await tx.execute(sql`with batch as (
          select channel, channel_user_id from broadcast_recipients
          where broadcast_id = ${broadcastId} and status = 'pending'
          order by channel, channel_user_id limit ${size} for update)
        update broadcast_recipients r
          set status = case when exists (select 1 from broadcast_opt_outs o
                where o.channel = r.channel and o.channel_user_id = r.channel_user_id) then 'skipped' else 'queued' end,
            queued_at = ${now.toISOString()}::timestamptz
        from batch
        where r.broadcast_id = ${broadcastId} and r.channel = batch.channel and r.channel_user_id = batch.channel_user_id
        returning r.channel, r.channel_user_id, r.status`),
    );
    if (handed.length === 0) return { kind: 'empty' };
    const messages = handed.filter((r) => r.status === 'queued').map((r) => broadcastOutbound(broadcastId, r.channel, r.channel_user_id, reply));
    await enqueueOutbound(tx as unknown as Db, messages, { plannedAt: now });
    return { kind: 'handed', queued: messages.length, skipped: handed.length - messages.length };
  });
}

/** Marks the broadcast done once nobody is left to hand over (checked again under the update). */
async function finish(db: Db, broadcastId: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(broadcasts)
    .set({ status: 'done', finishedAt: now })
    .where(
      and(
        eq(broadcasts.id, broadcastId),
        eq(broadcasts.status, 'sending'),
        sql`not exists (select 1 from broadcast_recipients r where r.broadcast_id = ${broadcastId} and r.status = 'pending')`,
      ),
    )
    .returning({ id: broadcasts.id });
  return rows.length > 0;
}

/** One delivery pass as if it were `now`: start what is due, top up each sending broadcast's share of the outbox. */
export async function deliverBroadcasts(db: Db, now: Date, options: DeliveryOptions): Promise<DeliverySummary> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const maxInFlight = options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT;
  const summary: DeliverySummary = { started: 0, queued: 0, skipped: 0, finished: 0 };
  const started = await db
    .update(broadcasts)
    .set({ status: 'sending', startedAt: sql`coalesce(${broadcasts.startedAt}, ${now.toISOString()}::timestamptz)` })
    .where(and(eq(broadcasts.status, 'scheduled'), lte(broadcasts.scheduledAt, now)))
    .returning({ id: broadcasts.id });
  summary.started = started.length;

  const sending = await db
    .select({ id: broadcasts.id, text: broadcasts.text })
    .from(broadcasts)
    .where(eq(broadcasts.status, 'sending'))
    .orderBy(asc(broadcasts.scheduledAt));
  for (const b of sending) {
    const reply = broadcastReply(b.text, options.i18n);
    for (;;) {
      const inFlight = await countInFlight(db, b.id);
      const room = maxInFlight - inFlight;
      if (room <= 0) break;
      const result = await handOutBatch(db, b.id, reply, Math.min(batchSize, room), now);
      if (result.kind === 'stopped') break;
      if (result.kind === 'empty') {
        if (inFlight === 0 && (await finish(db, b.id, now))) summary.finished += 1;
        break;
      }
      summary.queued += result.queued;
      summary.skipped += result.skipped;
    }
  }
  return summary;
}

export interface BroadcastJobDeps extends DeliveryOptions {
  logger: Logger;
  /** Messages were queued: wake the outbox worker. */
  onQueued?: () => void;
}

/** The worker job: every minute, Vietnam time (the scheduler's zone). */
export function broadcastDeliveryJob(db: Db, deps: BroadcastJobDeps): Job {
  return {
    name: 'broadcast-delivery',
    schedule: '* * * * *',
    async run(now) {
      const summary = await deliverBroadcasts(db, now, deps);
      if (summary.queued > 0) deps.onQueued?.();
      if (summary.started || summary.queued || summary.skipped || summary.finished) deps.logger.info(summary, 'broadcasts delivered');
    },
  };
}
