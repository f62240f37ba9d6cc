/**
 * The outbox table: every message we intend to send is a row first, unique by `dedupe_key`, so a
 * retried job, a second worker or a restart can never send it twice.
 */
import { sql } from 'drizzle-orm';
import { tables, type Db } from '../db';
import type { Channel, OutboundMessage } from '../channels/types';
import { INTERACTIVE_PURPOSES_SQL } from '../db/schema/channels';

const { outbox } = tables;

export interface OutboxRow {
  id: number;
  message: OutboundMessage;
  attempts: number;
  conversationId: string | null;
}

/** Where queued messages belong, and from when they may go. */
export interface EnqueueOptions {
  /** The conversation they answer (officials see replies in its thread). */
  conversationId?: string;
  /**
   * The clock of a job that runs "as if" at another time (the reminder tick's `--now`, a broadcast
   * or appraisal-reminder pass): its messages are due from the earlier of that time and the
   * database's now. So a tick replayed for a past day sends what it planned in its own send pass
   * (due by its clock), and one run ahead of time leaves nothing a real-time worker must wait for.
   * In production both clocks agree. Default: the database's now.
   */
  plannedAt?: Date;
}

/** Adds messages (ignoring any whose dedupe key exists already); returns how many were new. */
export async function enqueueOutbound(db: Db, messages: OutboundMessage[], options: EnqueueOptions = {}): Promise<number> {
  const { conversationId, plannedAt } = options;
  if (messages.length === 0) return 0;
  const rows = await db
    .insert(outbox)
    .values(
      messages.map((m) => ({
        dedupeKey: m.dedupeKey,
        channel: m.channel,
        recipient: m.recipient,
        content: m.content,
        purpose: m.purpose,
        conversationId: conversationId ?? null,
        ...(plannedAt ? { nextAttemptAt: sql`least(now(), ${plannedAt.toISOString()}::timestamptz)` } : {}),
      })),
    )
    .onConflictDoNothing()
    .returning({ id: outbox.id });
  return rows.length;
}

/** Interactive purposes (`INTERACTIVE_PURPOSES`) are served ahead of bulk sends, each lane in order. */
export type OutboxLane = 'interactive' | 'bulk';

function inLane(alias: 'o' | 'p', lane: OutboxLane) {
  return sql.raw(`${alias}.purpose ${lane === 'interactive' ? 'in' : 'not in'} ${INTERACTIVE_PURPOSES_SQL}`);
}

/**
 * Claims up to `limit` due messages for this worker for `claimMs`: pending ones whose time has come,
 * and ones another worker claimed but never finished (it died mid-send). The interactive lane is
 * served first, the bulk lane fills the rest of the batch. Within a lane only the oldest due message
 * of each recipient is taken, so one person's replies go out in order; a message waiting to retry
 * after a failed send holds back that person's later ones in its lane (a message merely waiting for
 * its time — quiet hours, our rate limit — does not, so a reminder due in the morning never delays
 * a reply). A reply never waits behind the same person's broadcast either: lanes do not block each other.
 */
export async function claimDue(db: Db, limit: number, claimMs: number, now?: Date): Promise<OutboxRow[]> {
  const interactive = await claimLane(db, 'interactive', limit, claimMs, now);
  const bulk = interactive.length < limit ? await claimLane(db, 'bulk', limit - interactive.length, claimMs, now) : [];
  return [...interactive, ...bulk];
}

async function claimLane(db: Db, lane: OutboxLane, limit: number, claimMs: number, now?: Date): Promise<OutboxRow[]> {
  // A worker with its own clock (a scheduler tick replayed "as if" at another moment) judges what is
  // due, and how long its claim lasts, by that clock; otherwise by the database's.
  const at = now ? sql`${now.toISOString()}::timestamptz` : sql`now()`;
  const result = await db.execute(sql`
    update outbox set status = 'sending', claimed_until = ${at} + make_interval(secs => ${claimMs / 1000}),
      attempts = attempts + 1
    where id in (
      select o.id from outbox o
      where o.status in ('pending', 'sending') and ${inLane('o', lane)}
        and ((o.status = 'pending' and o.next_attempt_at <= ${at}) or (o.status = 'sending' and o.claimed_until < ${at}))
        and not exists (
          select 1 from outbox p
          where p.channel = o.channel and p.recipient = o.recipient and p.id < o.id and ${inLane('p', lane)}
            -- implied by the next line, but spelled out so the planner may use the partial
            -- outbox_recipient_queue_idx for this probe
            and p.status in ('pending', 'sending')
            and (p.status = 'sending' or (p.status = 'pending' and (p.next_attempt_at <= ${at} or p.attempts > 0))))
      order by o.id
      limit ${limit}
      for update skip locked)
    returning id, dedupe_key, channel, recipient, content, purpose, attempts, conversation_id`);
  const rows = (result as unknown as { rows: Record<string, unknown>[] }).rows;
  return rows
    .map((r) => ({
      id: Number(r.id),
      attempts: Number(r.attempts),
      conversationId: (r.conversation_id as string | null) ?? null,
      message: {
        dedupeKey: String(r.dedupe_key),
        channel: r.channel as Channel,
        recipient: r.recipient as OutboundMessage['recipient'],
        content: r.content as OutboundMessage['content'],
        purpose: r.purpose as OutboundMessage['purpose'],
      },
    }))
    .sort((a, b) => a.id - b.id);
}

export async function markSent(db: Db, id: number, mode: string, platformMessageId: string): Promise<void> {
  await db.execute(sql`
    update outbox set status = 'sent', sent_at = now(), mode = ${mode}, platform_message_id = ${platformMessageId},
      claimed_until = null, waiting_reason = null, last_error = null
    where id = ${id}`);
}

/** Puts a message back to wait until `at` (retry, rate limit, quiet hours); `countAttempt` false undoes the claim's count. */
export async function markRetry(db: Db, id: number, at: Date, reason: string, countAttempt: boolean): Promise<void> {
  await db.execute(sql`
    update outbox set status = 'pending', next_attempt_at = ${at.toISOString()}::timestamptz, claimed_until = null,
      attempts = attempts - ${countAttempt ? 0 : 1}, waiting_reason = ${reason.slice(0, 500)},
      last_error = case when ${countAttempt} then ${reason.slice(0, 2000)} else last_error end
    where id = ${id}`);
}

/** Gives up, visibly: officials see the reason in the console. */
export async function markFailed(db: Db, id: number, reason: string): Promise<void> {
  await db.execute(sql`
    update outbox set status = 'failed', failure_reason = ${reason.slice(0, 2000)}, claimed_until = null
    where id = ${id}`);
}
