/**
 * The durable inbox of channel events: a webhook's events are rows here before the platform gets
 * its 200, so a crash after acknowledging loses nothing. A redelivered event (same channel and
 * platform id) is acknowledged again and ignored.
 */
import { sql } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import type { AcceptInbound, InboundEvent } from '../types';

const { inboundEvents } = tables;

export interface StoredInboundEvent {
  id: number;
  event: InboundEvent;
  attempts: number;
}

/** `accept` for the webhooks: stores the events in one statement; `onAccepted` wakes the processor. */
export function inboundAcceptor(db: Db, onAccepted?: () => void): AcceptInbound {
  return async (events) => {
    if (events.length === 0) return;
    await db
      .insert(inboundEvents)
      .values(
        events.map((e) => ({
          channel: e.channel,
          channelUserId: e.channelUserId,
          platformEventId: e.platformEventId,
          kind: e.kind,
          event: e,
          occurredAt: e.occurredAt,
        })),
      )
      .onConflictDoNothing();
    onAccepted?.();
  };
}

/** JSON turns dates into strings: restore `occurredAt`. */
export function reviveEvent(raw: unknown): InboundEvent {
  const e = raw as InboundEvent & { occurredAt: string | Date };
  return { ...e, occurredAt: new Date(e.occurredAt) };
}

/**
 * Locks the next event that may be processed now — the oldest pending one of its person, so one
 * person's messages are handled in order and one at a time, across processes — skipping events
 * another process holds. Must run inside a transaction; the lock lasts until it ends.
 */
export async function claimNextEvent(tx: Db): Promise<StoredInboundEvent | undefined> {
  const result = await tx.execute(sql`
    select e.id, e.event, e.attempts from inbound_events e
    where e.status = 'pending' and e.available_at <= now()
      and not exists (
        select 1 from inbound_events p
        where p.channel = e.channel and p.channel_user_id = e.channel_user_id
          and p.status = 'pending' and p.id < e.id)
    order by e.id
    limit 1
    for update skip locked`);
  const row = (result as unknown as { rows: { id: string | number; event: unknown; attempts: number }[] }).rows[0];
  return row ? { id: Number(row.id), event: reviveEvent(row.event), attempts: row.attempts } : undefined;
}

export async function markEventDone(tx: Db, id: number): Promise<void> {
  await tx.execute(sql`update inbound_events set status = 'done', processed_at = now(), last_error = null where id = ${id}`);
}

/**
 * Records a failed attempt: retried later with backoff; after `maxAttempts` it is marked failed
 * (visible to operators) so it no longer blocks the person's later messages.
 */
export async function markEventFailed(db: Db, id: number, error: string, maxAttempts: number): Promise<void> {
  await db.execute(sql`
    update inbound_events set
      attempts = attempts + 1,
      last_error = ${error.slice(0, 2000)},
      status = case when attempts + 1 >= ${maxAttempts} then 'failed' else 'pending' end,
      available_at = now() + make_interval(secs => least(300, power(2, attempts + 1)))
    where id = ${id}`);
}
