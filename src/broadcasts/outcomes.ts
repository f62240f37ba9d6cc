/**
 * What became of outbox messages, in the words officials need: sent, still queued, waiting on a
 * channel rule (quiet hours, rate limit), refused by a channel's policy (outside the messaging
 * window, unfollowed…), failed at the platform, or withdrawn by a cancel.
 *
 * The outbox stores a policy refusal and a send failure alike as `failed` with a reason. They differ
 * in the reason's shape: the outbox worker writes send failures as `<kind> (<code>): <message>` or
 * `gave up after N attempts: …` (see src/outbox/worker.ts), and an unconfigured channel as
 * `channel X is not configured`; every other failure reason is the policy's own refusal text.
 * Known reasons also get a key (`reasonKey`) so the console can explain them in Vietnamese.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { REFUSE_OUTSIDE_WINDOW, REFUSE_UNFOLLOWED } from '../channels/zalo';
import { CANCELLED_REASON } from './store';
import { rowsOf } from './segment';

export const OUTCOME_KINDS = ['sent', 'queued', 'waiting', 'refused', 'failed', 'cancelled'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

const SEND_FAILURE = /^(?:(?:transient|rate_limited|auth|outside_window|permanent)(?: \([^)]*\))?: |gave up after \d+ attempts: |channel \S+ is not configured)/;

/** Reasons officials meet often, by key under `admin-broadcasts.reasons.`. */
const KNOWN_REASONS: [(reason: string) => boolean, string][] = [
  [(r) => r.startsWith(REFUSE_OUTSIDE_WINDOW), 'zaloOutsideWindow'],
  [(r) => r.startsWith(REFUSE_UNFOLLOWED), 'zaloUnfollowed'],
  [(r) => r.startsWith('outside the Messenger 24-hour window'), 'messengerOutsideWindow'],
  [(r) => r.includes('never written to the Page'), 'messengerNeverWrote'],
  [(r) => r.includes('blocked or left the conversation'), 'messengerBlocked'],
  [(r) => /quiet hours|night in Vietnam/.test(r), 'quietHours'],
  [(r) => /^rate limit|^rate_limited/.test(r), 'rateLimit'],
  [(r) => /^channel \S+ is not configured/.test(r), 'channelOff'],
  [(r) => r.startsWith('gave up after'), 'gaveUp'],
  [(r) => /^permanent \(-?(?:227|213)\)/.test(r), 'blockedOrNotFollower'],
];

export function reasonKey(reason: string): string | undefined {
  if (reason === CANCELLED_REASON) return 'cancelled';
  return KNOWN_REASONS.find(([matches]) => matches(reason))?.[1];
}

/** The raw facts of one outbox row (or of a group of identical rows). */
export interface OutboxFacts {
  status: 'pending' | 'sending' | 'sent' | 'failed';
  failureReason: string | null;
  waitingReason: string | null;
  /** Pending with its next attempt in the future. */
  held: boolean;
}

export function classifyOutbox(row: OutboxFacts): { kind: OutcomeKind; reason?: string } {
  if (row.status === 'sent') return { kind: 'sent' };
  if (row.status === 'failed') {
    const reason = row.failureReason ?? '';
    if (reason === CANCELLED_REASON) return { kind: 'cancelled', reason };
    return { kind: SEND_FAILURE.test(reason) ? 'failed' : 'refused', reason };
  }
  if (row.status === 'pending' && row.held && row.waitingReason) return { kind: 'waiting', reason: row.waitingReason };
  return { kind: 'queued' };
}

export interface ReasonCount {
  kind: OutcomeKind;
  reason: string;
  key?: string;
  count: number;
}

/** Adds `count` rows with this reason to a list grouped by (kind, known key or raw reason). */
export function addReason(list: ReasonCount[], kind: OutcomeKind, reason: string, count: number): void {
  const key = reasonKey(reason);
  const same = list.find((r) => r.kind === kind && (key ? r.key === key : r.reason === reason && !r.key));
  if (same) same.count += count;
  else list.push({ kind, reason, key, count });
}

export interface DeliveryOutcomes {
  purposes: string[];
  /** purpose -> outcome kind -> count. */
  byPurpose: Record<string, Record<OutcomeKind, number>>;
  /** purpose -> how it went out (zalo_cs, zalo_zns, messenger:UPDATE…) -> count. */
  sentByMode: Record<string, Record<string, number>>;
  /** Failures, refusals and waits grouped by reason, most frequent first (with their purpose). */
  reasons: (ReasonCount & { purpose: string })[];
}

const emptyKinds = (): Record<OutcomeKind, number> => ({ sent: 0, queued: 0, waiting: 0, refused: 0, failed: 0, cancelled: 0 });

/** Outcomes of every outbox message created in [start, end), for the officers' summary page. */
export async function deliveryOutcomes(db: Db, start: Date, end: Date, now: Date): Promise<DeliveryOutcomes> {
  const rows = rowsOf<{ purpose: string; status: OutboxFacts['status']; mode: string | null; failure_reason: string | null; waiting_reason: string | null; held: boolean; n: number | string }>(
    await db.execute(sql`select purpose, status, mode, failure_reason, waiting_reason,
        (status = 'pending' and next_attempt_at > ${now.toISOString()}::timestamptz) as held, count(*) as n
      from outbox where created_at >= ${start.toISOString()}::timestamptz and created_at < ${end.toISOString()}::timestamptz
      group by 1, 2, 3, 4, 5, 6`),
  );
  const out: DeliveryOutcomes = { purposes: [], byPurpose: {}, sentByMode: {}, reasons: [] };
  const perPurpose = new Map<string, ReasonCount[]>();
  for (const r of rows) {
    const n = Number(r.n);
    const { kind, reason } = classifyOutbox({ status: r.status, failureReason: r.failure_reason, waitingReason: r.waiting_reason, held: r.held });
    const counts = (out.byPurpose[r.purpose] ??= emptyKinds());
    counts[kind] += n;
    if (kind === 'sent') {
      const modes = (out.sentByMode[r.purpose] ??= {});
      const mode = r.mode ?? '';
      modes[mode] = (modes[mode] ?? 0) + n;
    }
    if (reason !== undefined) {
      const list = perPurpose.get(r.purpose) ?? [];
      addReason(list, kind, reason, n);
      perPurpose.set(r.purpose, list);
    }
  }
  out.purposes = Object.keys(out.byPurpose).sort();
  out.reasons = [...perPurpose.entries()].flatMap(([purpose, list]) => list.map((r) => ({ ...r, purpose }))).sort((a, b) => b.count - a.count);
  return out;
}
