/**
 * The durable inbox of channel events: a webhook's events are rows here before the platform gets
 * its 200, so a crash after acknowledging loses nothing. A redelivered event (same channel and
 * platform id) is acknowledged again and ignored.
 */
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../../db';
import type { AcceptInbound, InboundEvent } from '../types';

export interface StoredInboundEvent {
  id: number;
  event: InboundEvent;
  attempts: number;
}

/** Who learns of new events, and the group commit's tuning (defaults suit a pool of 10 shared with the other routes). */
export interface InboundAcceptorOptions {
  /** Called after each insert: this process handles the events (it nudges its processor). */
  onAccepted?: () => void;
  /**
   * A PostgreSQL channel the insert itself NOTIFYs when it stored a new event: the workers of a
   * web process are woken by the commit that makes the events visible, at no extra round trip (a
   * separate NOTIFY after each insert was a second statement per group, half the database traffic
   * of a webhook burst). A redelivery that stored nothing wakes nobody.
   */
  notifyChannel?: string;
  /**
   * Inserts in flight at once; later webhooks wait and go together in the next one. Default 1: two
   * concurrent inserts into the same indexes cost PostgreSQL 60 % more CPU per row (contention) and
   * were no faster — one insert of 15 rows commits in about 0.6 ms — while the CPU they took was the
   * web process's and the load's to share.
   */
  maxConcurrentInserts?: number;
  /** Most rows in one insert. Default 500. */
  maxRowsPerInsert?: number;
}

interface Pending {
  events: InboundEvent[];
  resolve(): void;
  reject(err: unknown): void;
}

const INSERT_EVENTS = `
  insert into inbound_events (channel, channel_user_id, platform_event_id, kind, event, occurred_at)
  select e->>'channel', e->>'channelUserId', e->>'platformEventId', e->>'kind', e, (e->>'occurredAt')::timestamptz
  from jsonb_array_elements($1::jsonb) with ordinality as batch(e, position)
  order by position
  on conflict do nothing`;

// NOTIFY is transactional: it reaches the listeners when this statement commits, with the rows.
const INSERT_EVENTS_AND_NOTIFY = `
  with inserted as (${INSERT_EVENTS} returning 1)
  select pg_notify($2, '') from (select 1 from inserted limit 1) as any_new`;

/**
 * Stores events in one statement whose one parameter is the JSON array of them: building a
 * multi-row insert (six parameters a row) through the query builder was a visible share of each
 * webhook's CPU, and a single parameter is the same work for one row or five hundred. Rows are
 * inserted in array order (`with ordinality`), so ids keep a call's, and a person's, order. The
 * statement is prepared once per connection (see `Database.preparedQuery`).
 */
async function insertEvents(database: Database, events: InboundEvent[], notifyChannel: string | undefined): Promise<void> {
  const json = JSON.stringify(events);
  if (notifyChannel) await database.preparedQuery('inbound_events_insert_notify', INSERT_EVENTS_AND_NOTIFY, [json, notifyChannel]);
  else await database.preparedQuery('inbound_events_insert', INSERT_EVENTS, [json]);
}

/**
 * `accept` for the webhooks, with group commit: webhooks read in the same turn of the event loop,
 * and those that arrive while an insert is in flight, are stored together — one statement, one
 * commit (one WAL flush) for many requests — instead of a commit each. Each call still resolves
 * only once ITS rows are committed, so no webhook is acknowledged before its events are durable;
 * when idle, a webhook's insert starts at the end of the current turn (no waiting for company). A
 * call's events always go in one statement, in order, so per-person order and the all-or-nothing
 * of a platform batch are as without grouping.
 *
 * If a grouped insert fails, its calls are retried one by one, so one event the database refuses
 * (say a NUL character jsonb rejects) fails only its own webhook (500, the platform retries), not
 * the others that happened to share its insert.
 */
export function inboundAcceptor(database: Database, options: InboundAcceptorOptions = {}): AcceptInbound {
  const { onAccepted, notifyChannel } = options;
  const maxConcurrent = options.maxConcurrentInserts ?? 1;
  const maxRows = options.maxRowsPerInsert ?? 500;
  const queue: Pending[] = [];
  let inFlight = 0;
  let pumpScheduled = false;

  const insert = (events: InboundEvent[]) => insertEvents(database, events, notifyChannel);

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

  // Under load the server reads many requests in one turn of the event loop; pumping at the end of
  // the turn (setImmediate runs after the turn's I/O callbacks) lets them share one insert, where
  // pumping at once sent the first ones alone — a round trip each, the biggest per-request cost.
  const schedulePump = () => {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setImmediate(() => {
      pumpScheduled = false;
      pump();
    });
  };

  return (events) => {
    if (events.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      queue.push({ events, resolve, reject });
      schedulePump();
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
