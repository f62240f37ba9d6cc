/**
 * Delivery side of a tick: drain the outbox (through each channel's policy and rate limit) until
 * nothing more can go out soon — what is left waits on a policy (quiet hours) or a long backoff —
 * then make refusals visible on the reminders themselves, and count outcomes.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db';
import type { OutboxWorker } from '../../outbox';

/** Outbox rows of licence reminders: `licence:<id>:expiry:<date>:<step>[:<recipient>]`. */
const REMINDER_KEYS = sql`dedupe_key like 'licence:%:expiry:%'`;

const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface SettleOptions {
  /** Work due within this much of "now" is waited for (rate limits, short backoffs); later work is left. */
  horizonMs?: number;
  /** Upper bound on the whole wait (real time). */
  maxWaitMs?: number;
}

/** When the next outbox row becomes claimable: a pending row's next attempt, or a claim's expiry. */
async function nextDueAt(db: Db): Promise<Date | undefined> {
  const [row] = rowsOf(
    await db.execute(sql`
      select min(case when status = 'pending' then next_attempt_at else claimed_until end) as at
      from outbox where status in ('pending', 'sending')`),
  );
  return row?.at ? new Date(row.at as string) : undefined;
}

/**
 * Drains `outbox` repeatedly until the outbox is empty or everything left is due beyond the horizon
 * (waiting on policy). `clock` is the outbox worker's clock, so a replayed tick waits in its own time.
 */
export async function drainUntilSettled(outbox: OutboxWorker, db: Db, clock: () => Date, opts: SettleOptions = {}): Promise<void> {
  const horizon = opts.horizonMs ?? 90_000;
  const deadline = Date.now() + (opts.maxWaitMs ?? 30 * 60_000);
  for (;;) {
    await outbox.drain();
    const next = await nextDueAt(db);
    if (!next) return;
    const wait = next.getTime() - clock().getTime();
    if (wait > horizon || Date.now() + Math.max(0, wait) > deadline) return;
    await sleep(Math.min(5_000, Math.max(25, wait)));
  }
}

export interface ReminderOutboxCounts {
  sent: number;
  failed: number;
  pending: number;
}

/** Licence-reminder outbox rows by status (before and after a tick: the difference is the tick's work). */
export async function reminderOutboxCounts(db: Db): Promise<ReminderOutboxCounts> {
  const rows = rowsOf(await db.execute(sql`select status, count(*)::int as n from outbox where ${REMINDER_KEYS} group by status`));
  const n = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  return { sent: n('sent'), failed: n('failed'), pending: n('pending') + n('sending') };
}

/** Reminders still waiting in the outbox, by the reason the policy (or a retry) gave. */
export async function waitingReasons(db: Db): Promise<Record<string, number>> {
  const rows = rowsOf(
    await db.execute(sql`
      select coalesce(waiting_reason, 'not yet attempted') as reason, count(*)::int as n
      from outbox where status in ('pending', 'sending') and ${REMINDER_KEYS} group by 1 order by 2 desc`),
  );
  return Object.fromEntries(rows.map((r) => [String(r.reason), Number(r.n)]));
}

/**
 * A queued reminder all of whose messages failed (a policy refused at send time, the platform said
 * the person blocked us…) reached nobody: it becomes "no reachable channel", with the reasons, so it
 * shows in the officers' list to phone. Looks back `lookbackDays` of due dates. Returns how many.
 */
export async function reconcileFailedReminders(db: Db, today: string, lookbackDays = 60): Promise<number> {
  const rows = rowsOf(
    await db.execute(sql`
      update licence_reminders r
      set status = 'no_channel',
        note = left(concat_ws(' | ', r.note, 'every message failed: ' || (
          select string_agg(o.channel || ': ' || coalesce(o.failure_reason, 'failed'), '; ' order by o.id)
          from outbox o where o.dedupe_key in (select d ->> 'dedupeKey' from jsonb_array_elements(r.deliveries) d))), 2000)
      where r.status = 'queued'
        and r.due_on >= ${today}::date - ${lookbackDays}::int
        and jsonb_array_length(r.deliveries) > 0
        and not exists (
          select 1 from jsonb_array_elements(r.deliveries) d
          where not exists (select 1 from outbox o where o.dedupe_key = d ->> 'dedupeKey' and o.status = 'failed'))
      returning r.id`),
  );
  return rows.length;
}
