/**
 * The durable inbox of channel events: a webhook's events are rows here before the platform gets
 * its 200, so a crash after acknowledging loses nothing. A redelivered event (same channel and
 * platform id) is acknowledged again and ignored.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db';
import type { AcceptInbound, InboundEvent } from '../types';

export interface StoredInboundEvent {
  id: number;
  event: InboundEvent;
  attempts: number;
}

/** Tuning of the acceptor's group commit (defaults suit a pool of 10 shared with the other routes). */
export interface InboundAcceptorOptions {
  /** Inserts in flight at once; later webhooks wait and go together in the next one. Default 2. */
  maxConcurrentInserts?: number;
  /** Most rows in one insert. Default 500. */
  maxRowsPerInsert?: number;
}

interface Pending {
  events: InboundEvent[];
  resolve(): void;
  reject(err: unknown): void;
}

/**
 * Stores events in one statement whose one parameter is the JSON array of them: building a
 * multi-row insert (six parameters a row) through the query builder was a visible share of each
 * webhook's CPU, and a single parameter is the same work for one row or five hundred. Rows are
 * inserted in array order (`with ordinality`), so ids keep a call's, and a person's, order.
 */
async function insertEvents(db: Db, events: InboundEvent[]): Promise<void> {
  await db.execute(sql`
    insert into inbound_events (channel, channel_user_id, platform_event_id, kind, event, occurred_at)
    select e->>'channel', e->>'channelUserId', e->>'platformEventId', e->>'kind', e, (e->>'occurredAt')::timestamptz
    from jsonb_array_elements(${JSON.stringify(events)}::jsonb) with ordinality as batch(e, position)
    order by position
    on conflict do nothing`);
}

/**
 * `accept` for the webhooks, with group commit: webhooks that arrive while an insert is in flight
 * are stored together in the next one — one statement, one commit (one WAL flush) for many
 * requests — instead of a commit each. Each call still resolves only once ITS rows are committed,
 * so no webhook is acknowledged before its events are durable; when idle, a webhook's insert starts
 * at once (no waiting for company). A call's events always go in one statement, in order, so
 * per-person order and the all-or-nothing of a platform batch are as without grouping.
 *
 * If a grouped insert fails, its calls are retried one by one, so one event the database refuses
 * (say a NUL character jsonb rejects) fails only its own webhook (500, the platform retries), not
 * the others that happened to share its insert. `onAccepted` wakes the processor after each insert.
 */
export function inboundAcceptor(db: Db, onAccepted?: () => void, options: InboundAcceptorOptions = {}): AcceptInbound {
  const maxConcurrent = options.maxConcurrentInserts ?? 2;
  const maxRows = options.maxRowsPerInsert ?? 500;
  const queue: Pending[] = [];
  let inFlight = 0;

  const insert = (events: InboundEvent[]) => insertEvents(db, events);

  async function flush(group: Pending[]): Promise<void> {
    try {
      await insert(group.flatMap((p) => p.events));
      for (const p of group) p.resolve();
    } catch (err) {
      if (group.length === 1) group[0]?.reject(err);
      else await Promise.all(group.map((p) => insert(p.events).then(p.resolve, p.reject)));
    }
    onAccepted?.();
  }

  function pump(): void {
    while (inFlight < maxConcurrent && queue.length > 0) {
      const group: Pending[] = [];
      let rows = 0;
      // A call is never split; a call larger than maxRows goes alone.
      while (queue.length > 0 && (group.length === 0 || rows + (queue[0]?.events.length ?? 0) <= maxRows)) {
        const next = queue.shift() as Pending;
        group.push(next);
        rows += next.events.length;
      }
      inFlight += 1;
      void flush(group).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  }

  return (events) => {
    if (events.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      queue.push({ events, resolve, reject });
      pump();
    });
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
