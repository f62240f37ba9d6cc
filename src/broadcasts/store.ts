/**
 * Broadcasts as rows: creating one freezes its recipient list in the same transaction (so the list
 * an official counted and confirmed cannot change under them), and the pause / resume / cancel
 * transitions are single guarded UPDATEs, safe against a delivery batch running at the same time
 * (the batch holds the broadcast row's lock, see delivery.ts).
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../db';
import { broadcastDedupePrefix } from './message';
import { audienceQuery, rowsOf, type Segment, segmentSchema } from './segment';

const { broadcasts, broadcastOptOuts } = tables;

export type BroadcastStatus = (typeof broadcasts.$inferSelect)['status'];

export interface Broadcast {
  id: string;
  title: string;
  text: string;
  segment: Segment | null;
  status: BroadcastStatus;
  scheduledAt: Date | null;
  recipientCount: number | null;
  createdBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** Failure reason written on outbox rows withdrawn by a cancel (the progress page recognises it). */
export const CANCELLED_REASON = 'broadcast cancelled by an official';

function toBroadcast(row: typeof broadcasts.$inferSelect): Broadcast {
  const segment = segmentSchema.safeParse(row.segment);
  return { ...row, segment: segment.success ? segment.data : null };
}

export interface NewBroadcast {
  title: string;
  text: string;
  segment: Segment;
  /** When to start; a time not after `now` means "send now". */
  scheduledAt: Date;
  createdBy: string | null;
}

export type CreateResult = { ok: true; broadcast: Broadcast } | { ok: false; reason: 'empty' };

/** Thrown inside the creating transaction to undo it when the segment reaches nobody. */
class EmptySegment extends Error {}

/**
 * Creates a scheduled broadcast and freezes its recipients, all in one transaction; `afterCreate`
 * runs in that transaction too (the console writes its audit record there). Nothing is written
 * when the segment reaches nobody.
 */
export async function createBroadcast(
  db: Db,
  input: NewBroadcast,
  now: Date,
  afterCreate?: (tx: Db, broadcast: Broadcast) => Promise<void>,
): Promise<CreateResult> {
  const segment = segmentSchema.parse(input.segment);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(broadcasts)
      .values({ title: input.title, text: input.text, segment, status: 'scheduled', scheduledAt: input.scheduledAt, createdBy: input.createdBy })
      .returning();
    if (!row) throw new Error('insert into broadcasts returned nothing');
    const [frozen] = rowsOf<{ n: number | string }>(
      await tx.execute(sql`with frozen as (
          insert into broadcast_recipients (broadcast_id, channel, channel_user_id)
          select ${row.id}::uuid, a.channel, a.channel_user_id from (${audienceQuery(segment, now)}) a
          returning 1)
        select count(*) as n from frozen`),
    );
    const recipientCount = Number(frozen?.n ?? 0);
    if (recipientCount === 0) throw new EmptySegment();
    const [updated] = await tx.update(broadcasts).set({ recipientCount }).where(eq(broadcasts.id, row.id)).returning();
    const broadcast = toBroadcast(updated ?? row);
    await afterCreate?.(tx as unknown as Db, broadcast);
    return { ok: true as const, broadcast };
  }).catch((err: unknown) => {
    if (err instanceof EmptySegment) return { ok: false as const, reason: 'empty' as const };
    throw err;
  });
}

export async function getBroadcast(db: Db, id: string): Promise<Broadcast | undefined> {
  const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, id));
  return row ? toBroadcast(row) : undefined;
}

/** The most recent broadcasts first. */
export async function listBroadcasts(db: Db, limit = 100): Promise<Broadcast[]> {
  const rows = await db.select().from(broadcasts).orderBy(desc(broadcasts.createdAt)).limit(limit);
  return rows.map(toBroadcast);
}

export type StatusAction = 'pause' | 'resume' | 'cancel';

/** From which states each action may be taken. */
const ALLOWED_FROM: Record<StatusAction, BroadcastStatus[]> = {
  pause: ['scheduled', 'sending'],
  resume: ['paused'],
  cancel: ['scheduled', 'sending', 'paused'],
};

export type StatusChange = { ok: true; before: BroadcastStatus; after: BroadcastStatus } | { ok: false; reason: 'not_found' | 'not_allowed'; status?: BroadcastStatus };

/**
 * Pauses, resumes or cancels. Resuming goes back to waiting when the scheduled time is still ahead.
 * Cancelling also withdraws the messages already queued in the outbox but not yet sent: an official
 * who cancels at 22:30 does not expect the batch waiting for 06:00 to go out.
 */
export async function changeStatus(
  db: Db,
  id: string,
  action: StatusAction,
  now: Date,
  afterChange?: (tx: Db, change: { before: BroadcastStatus; after: BroadcastStatus }) => Promise<void>,
): Promise<StatusChange> {
  return db.transaction(async (tx): Promise<StatusChange> => {
    const [current] = await tx
      .select({ status: broadcasts.status, scheduledAt: broadcasts.scheduledAt })
      .from(broadcasts)
      .where(eq(broadcasts.id, id))
      .for('update');
    if (!current) return { ok: false, reason: 'not_found' };
    if (!ALLOWED_FROM[action].includes(current.status)) return { ok: false, reason: 'not_allowed', status: current.status };
    const after: BroadcastStatus =
      action === 'pause' ? 'paused' : action === 'cancel' ? 'cancelled' : current.scheduledAt && current.scheduledAt > now ? 'scheduled' : 'sending';
    await tx
      .update(broadcasts)
      .set({ status: after, finishedAt: action === 'cancel' ? now : null })
      .where(eq(broadcasts.id, id));
    if (action === 'cancel') {
      await tx.execute(sql`update outbox set status = 'failed', failure_reason = ${CANCELLED_REASON}, claimed_until = null
        where status = 'pending' and purpose = 'broadcast' and dedupe_key like ${`${broadcastDedupePrefix(id)}%`}`);
    }
    await afterChange?.(tx as unknown as Db, { before: current.status, after });
    return { ok: true, before: current.status, after };
  });
}

/** Records that a person wants no more announcements on this channel; false when already recorded. */
export async function recordOptOut(db: Db, channel: string, channelUserId: string, at: Date): Promise<boolean> {
  const rows = await db.insert(broadcastOptOuts).values({ channel, channelUserId, at }).onConflictDoNothing().returning({ channel: broadcastOptOuts.channel });
  return rows.length > 0;
}

/** Takes an opt-out back (the person asked to receive announcements again); false when there was none. */
export async function removeOptOut(db: Db, channel: string, channelUserId: string): Promise<boolean> {
  const rows = await db
    .delete(broadcastOptOuts)
    .where(and(eq(broadcastOptOuts.channel, channel), eq(broadcastOptOuts.channelUserId, channelUserId)))
    .returning({ channel: broadcastOptOuts.channel });
  return rows.length > 0;
}
