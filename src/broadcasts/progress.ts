/**
 * A broadcast's live progress: its frozen recipients joined with their outbox rows by dedupe key.
 * Recipients not yet handed over are `pending`; those who opted out after the list was frozen are
 * `optedOut`; the rest take the outcome of their outbox message (outcomes.ts).
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { addReason, classifyOutbox, type OutboxFacts, type OutcomeKind, type ReasonCount } from './outcomes';
import { rowsOf } from './segment';

export interface BroadcastProgress {
  total: number;
  pending: number;
  optedOut: number;
  counts: Record<OutcomeKind, number>;
  /** Failed, refused, waiting and cancelled messages grouped by reason, most frequent first. */
  reasons: ReasonCount[];
}

/** The outbox row of a recipient (the dedupe key of message.ts, spelled in SQL). */
const OUTBOX_JOIN = sql`left join outbox o on o.dedupe_key = 'broadcast:' || r.broadcast_id || ':' || r.channel || ':' || r.channel_user_id`;

interface JoinedRow {
  recipient_status: 'pending' | 'queued' | 'skipped';
  outbox_status: OutboxFacts['status'] | null;
  failure_reason: string | null;
  waiting_reason: string | null;
  held: boolean | null;
}

/** Where one recipient stands. */
function standing(r: JoinedRow): { kind: OutcomeKind | 'pending' | 'optedOut'; reason?: string } {
  if (r.recipient_status === 'pending') return { kind: 'pending' };
  if (r.recipient_status === 'skipped') return { kind: 'optedOut' };
  // Queued but no outbox row cannot happen (same transaction); count it as queued rather than hide it.
  if (!r.outbox_status) return { kind: 'queued' };
  return classifyOutbox({ status: r.outbox_status, failureReason: r.failure_reason, waitingReason: r.waiting_reason, held: r.held === true });
}

export async function broadcastProgress(db: Db, broadcastId: string, now: Date): Promise<BroadcastProgress> {
  const rows = rowsOf<JoinedRow & { n: number | string }>(
    await db.execute(sql`select r.status as recipient_status, o.status as outbox_status, o.failure_reason, o.waiting_reason,
        (o.status = 'pending' and o.next_attempt_at > ${now.toISOString()}::timestamptz) as held, count(*) as n
      from broadcast_recipients r ${OUTBOX_JOIN}
      where r.broadcast_id = ${broadcastId}
      group by 1, 2, 3, 4, 5`),
  );
  const progress: BroadcastProgress = {
    total: 0,
    pending: 0,
    optedOut: 0,
    counts: { sent: 0, queued: 0, waiting: 0, refused: 0, failed: 0, cancelled: 0 },
    reasons: [],
  };
  for (const r of rows) {
    const n = Number(r.n);
    const s = standing(r);
    progress.total += n;
    if (s.kind === 'pending') progress.pending += n;
    else if (s.kind === 'optedOut') progress.optedOut += n;
    else {
      progress.counts[s.kind] += n;
      if (s.reason !== undefined) addReason(progress.reasons, s.kind, s.reason, n);
    }
  }
  progress.reasons.sort((a, b) => b.count - a.count);
  return progress;
}

export interface RecipientResult {
  channel: string;
  channelUserId: string;
  displayName: string | null;
  kind: OutcomeKind | 'pending' | 'optedOut';
  reason?: string;
  mode: string | null;
  sentAt: Date | null;
}

/** Recipients with their outcome, problems first (failed, refused, waiting), at most `limit`. */
export async function broadcastResults(db: Db, broadcastId: string, now: Date, limit = 200): Promise<RecipientResult[]> {
  const rows = rowsOf<JoinedRow & { channel: string; channel_user_id: string; display_name: string | null; mode: string | null; sent_at: string | Date | null }>(
    await db.execute(sql`select r.channel, r.channel_user_id, cc.display_name, r.status as recipient_status, o.status as outbox_status,
        o.failure_reason, o.waiting_reason, o.mode, o.sent_at,
        (o.status = 'pending' and o.next_attempt_at > ${now.toISOString()}::timestamptz) as held
      from broadcast_recipients r ${OUTBOX_JOIN}
      left join channel_contacts cc on cc.channel = r.channel and cc.channel_user_id = r.channel_user_id
      where r.broadcast_id = ${broadcastId}
      order by case when o.status = 'failed' then 0 when o.status = 'pending' then 1 when r.status = 'skipped' then 2
        when o.status = 'sent' then 4 else 3 end, r.channel, r.channel_user_id
      limit ${limit}`),
  );
  return rows.map((r) => ({
    channel: r.channel,
    channelUserId: r.channel_user_id,
    displayName: r.display_name,
    ...standing(r),
    mode: r.mode,
    sentAt: r.sent_at ? new Date(r.sent_at) : null,
  }));
}
