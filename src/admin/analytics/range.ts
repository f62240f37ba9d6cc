/**
 * The period and channel an analytics page or export covers. Days are Vietnam calendar days
 * (Asia/Ho_Chi_Minh, UTC+7 all year: Vietnam has no daylight saving), so "hôm nay" means the
 * office's today, not the server's UTC today.
 */
import { z } from 'zod';

export const CHANNELS = ['zalo', 'messenger', 'webchat'] as const;
export type ChannelFilter = (typeof CHANNELS)[number];

/** The longest period one request may cover: keeps every query bounded. */
export const MAX_RANGE_DAYS = 366;
/** The default period: the last 30 Vietnam days, today included. */
export const DEFAULT_RANGE_DAYS = 30;

const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

export interface AnalyticsRange {
  /** First day, `YYYY-MM-DD` (Vietnam), inclusive. */
  from: string;
  /** Last day, `YYYY-MM-DD` (Vietnam), inclusive. */
  to: string;
  /** Only this channel, or every channel. */
  channel: ChannelFilter | null;
  /** The UTC instant the first day starts (00:00 in Vietnam). */
  start: Date;
  /** The UTC instant just after the last day (00:00 in Vietnam of the day after `to`). */
  end: Date;
}

/** Keys of `admin-analytics.errors.*` a range can fail with. */
export type RangeProblem = 'badDate' | 'fromAfterTo' | 'tooLong' | 'badChannel';

/** The Vietnam calendar day of an instant, `YYYY-MM-DD`. */
export function vietnamDay(at: Date): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}

/** `day` plus `n` days (n may be negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, inclusive: charts show the quiet days as zeros, not as gaps. */
export function daysOf(range: Pick<AnalyticsRange, 'from' | 'to'>): string[] {
  const out: string[] = [];
  for (let d = range.from; d <= range.to; d = addDays(d, 1)) out.push(d);
  return out;
}

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  // The regex lets 2026-02-31 through; a round trip through Date does not.
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s));

const querySchema = z.object({
  from: z.string().optional(),
  to: z.string().optional(),
  channel: z.string().optional(),
});

/**
 * Reads `from`, `to` and `channel` from a query string. A missing `to` is today in Vietnam, a
 * missing `from` is {@link DEFAULT_RANGE_DAYS} days before `to` (both inclusive); an empty channel means every channel.
 */
export function parseRange(
  query: unknown,
  now: Date,
): { ok: true; range: AnalyticsRange } | { ok: false; error: RangeProblem; values: Record<'from' | 'to' | 'channel', string> } {
  const q = querySchema.safeParse(query);
  const raw = q.success ? q.data : {};
  const to = raw.to?.trim() || vietnamDay(now);
  const from = raw.from?.trim() || (isoDay.safeParse(to).success ? addDays(to, -(DEFAULT_RANGE_DAYS - 1)) : '');
  const channelText = raw.channel?.trim() ?? '';
  const values = { from, to, channel: channelText };
  if (!q.success || !isoDay.safeParse(from).success || !isoDay.safeParse(to).success) return { ok: false, error: 'badDate', values };
  if (from > to) return { ok: false, error: 'fromAfterTo', values };
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS) return { ok: false, error: 'tooLong', values };
  let channel: ChannelFilter | null = null;
  if (channelText !== '') {
    if (!(CHANNELS as readonly string[]).includes(channelText)) return { ok: false, error: 'badChannel', values };
    channel = channelText as ChannelFilter;
  }
  return {
    ok: true,
    range: { from, to, channel, start: startOfVietnamDay(from), end: startOfVietnamDay(addDays(to, 1)) },
  };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function startOfVietnamDay(day: string): Date {
  return new Date(`${day}T00:00:00+07:00`);
}
