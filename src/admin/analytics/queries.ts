/**
 * The analytics aggregates, each one SQL query grouped by Vietnam-local day or week, so the
 * database does the counting and only a few dozen rows per chart come back.
 *
 * Every message query is a range scan on `messages_created_idx (created_at)` joined to
 * `conversations` by primary key (for the channel). At scale (millions of messages) the helpful
 * additions are a partial index `messages (created_at) where direction = 'in'`, an index on
 * `conversations (handoff_requested_at)` and on `feedback (created_at)` — or a daily roll-up table
 * filled by the worker; see the report of the analytics component.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db';
import { MIN_INTENT_SCORE } from '../../conversation';
import type { AnalyticsRange, ChannelFilter } from './range';

/** A gap this long between two messages of a person starts a new conversation (the bot forgets the context then too). */
export const SESSION_GAP_MINUTES = 30;

/**
 * An inbound message (alias `m`) the bot did not understand: the NLU said `none`, or scored below
 * the conversation's threshold, and no procedure was recognised either (a named procedure alone is
 * answered with its overview, see conversation/engine.ts).
 */
export const notUnderstoodSql = sql`((m.intent = 'none' or m.score < ${MIN_INTENT_SCORE}) and m.procedure is null)`;

/** An inbound text (alias `m`) the bot read: typed, not a tapped payload, and not received while an official owned the conversation (intent null). */
export const botReadTextSql = sql`(m.direction = 'in' and m.payload is null and coalesce(m.text, '') <> '' and m.intent is not null)`;

/** `column` within the range, and the conversation (alias `c`) on the range's channel. */
export function inRange(column: SQL, range: AnalyticsRange): SQL {
  const channel = range.channel ? sql` and c.channel = ${range.channel}` : sql``;
  return sql`${column} >= ${range.start.toISOString()}::timestamptz and ${column} < ${range.end.toISOString()}::timestamptz${channel}`;
}

/** The Vietnam-local day of a timestamptz column as `YYYY-MM-DD`. */
const vnDay = (column: SQL) => sql`to_char(date_trunc('day', ${column} at time zone 'Asia/Ho_Chi_Minh'), 'YYYY-MM-DD')`;

export async function rows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (result as unknown as { rows: T[] }).rows;
}

export interface Overview {
  /** Messages people sent (typed or tapped). */
  messagesIn: number;
  /** Conversations: runs of a person's messages without a {@link SESSION_GAP_MINUTES} pause. */
  conversations: number;
  /** Distinct people (a person per channel: Zalo, Messenger and web chat ids cannot be linked). */
  people: number;
  /** Texts the bot read, and how many of them it understood. */
  textsRead: number;
  understood: number;
  handoffs: number;
  handoffsAnswered: number;
  medianReplyMinutes: number | null;
  p90ReplyMinutes: number | null;
  ratings: number;
  averageRating: number | null;
}

const num = (v: unknown): number => Number(v ?? 0);
const minutes = (seconds: unknown): number | null => (seconds === null || seconds === undefined ? null : Math.round(Number(seconds) / 6) / 10);

/** The cards at the top of the page. */
export async function overview(db: Db, range: AnalyticsRange): Promise<Overview> {
  const [m] = await rows<Record<string, unknown>>(
    db,
    sql`with inbound as (
      select m.conversation_id, m.created_at, ${botReadTextSql} as read_text, coalesce(${notUnderstoodSql}, false) as not_understood
      from messages m join conversations c on c.id = m.conversation_id
      where m.direction = 'in' and ${inRange(sql`m.created_at`, range)}
    ), gaps as (
      select created_at - lag(created_at) over (partition by conversation_id order by created_at) as gap from inbound
    )
    select (select count(*) from inbound)::int as messages_in,
      (select count(*) from gaps where gap is null or gap > make_interval(mins => ${SESSION_GAP_MINUTES}))::int as sessions,
      (select count(distinct conversation_id) from inbound)::int as people,
      (select count(*) from inbound where read_text)::int as texts_read,
      (select count(*) from inbound where read_text and not not_understood)::int as understood`,
  );
  const h = (await handoffRows(db, range, false))[0];
  const [r] = await rows<Record<string, unknown>>(
    db,
    sql`select count(*)::int as n, avg(f.rating)::float8 as average
      from feedback f join conversations c on c.id = f.conversation_id
      where ${inRange(sql`f.created_at`, range)}`,
  );
  return {
    messagesIn: num(m?.messages_in),
    conversations: num(m?.sessions),
    people: num(m?.people),
    textsRead: num(m?.texts_read),
    understood: num(m?.understood),
    handoffs: h?.requested ?? 0,
    handoffsAnswered: h?.answered ?? 0,
    medianReplyMinutes: h?.medianMinutes ?? null,
    p90ReplyMinutes: h?.p90Minutes ?? null,
    ratings: num(r?.n),
    averageRating: r?.average === null || r?.average === undefined ? null : Math.round(Number(r.average) * 100) / 100,
  };
}

export interface ChannelDayCount {
  day: string;
  channel: ChannelFilter;
  count: number;
}

/** Inbound messages per Vietnam day and channel (days without messages are absent). */
export async function messagesPerDay(db: Db, range: AnalyticsRange): Promise<ChannelDayCount[]> {
  const list = await rows<{ day: string; channel: ChannelFilter; n: number }>(
    db,
    sql`select ${vnDay(sql`m.created_at`)} as day, c.channel, count(*)::int as n
      from messages m join conversations c on c.id = m.conversation_id
      where m.direction = 'in' and ${inRange(sql`m.created_at`, range)}
      group by 1, 2 order by 1, 2`,
  );
  return list.map((r) => ({ day: r.day, channel: r.channel, count: num(r.n) }));
}

export interface KeyCount {
  key: string;
  /** A readable name when there is one (the procedure's name). */
  label: string | null;
  count: number;
}

/** Intents of the texts people typed, most frequent first; `limit` null for all. */
export async function topIntents(db: Db, range: AnalyticsRange, limit: number | null): Promise<KeyCount[]> {
  const list = await rows<{ key: string; n: number }>(
    db,
    sql`select m.intent as key, count(*)::int as n
      from messages m join conversations c on c.id = m.conversation_id
      where ${botReadTextSql} and ${inRange(sql`m.created_at`, range)}
      group by m.intent order by n desc, key
      ${limit === null ? sql`` : sql`limit ${limit}`}`,
  );
  return list.map((r) => ({ key: r.key, label: null, count: num(r.n) }));
}

/** Procedures people asked about (by text or by tapping), most frequent first; `limit` null for all. */
export async function topProcedures(db: Db, range: AnalyticsRange, limit: number | null): Promise<KeyCount[]> {
  const list = await rows<{ key: string; name: string | null; n: number }>(
    db,
    sql`select m.procedure as key, p.name, count(*)::int as n
      from messages m join conversations c on c.id = m.conversation_id
      left join procedures p on p.slug = m.procedure
      where m.direction = 'in' and m.procedure is not null and ${inRange(sql`m.created_at`, range)}
      group by m.procedure, p.name order by n desc, key
      ${limit === null ? sql`` : sql`limit ${limit}`}`,
  );
  return list.map((r) => ({ key: r.key, label: r.name, count: num(r.n) }));
}

export interface HandoffDay {
  /** Vietnam day the hand-over was requested (`''` for the whole-range total). */
  day: string;
  requested: number;
  /** Of those, answered by an official (first human reply after the request). */
  answered: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
}

/**
 * Hand-overs requested in the range, per day (or in total), with the median and 90th percentile
 * of the time to the first human reply. Only a conversation's latest request is stored
 * (`conversations.handoff_requested_at`), so a person handed over twice counts once.
 */
async function handoffRows(db: Db, range: AnalyticsRange, perDay: boolean): Promise<HandoffDay[]> {
  const replied = sql`c.first_human_reply_at >= c.handoff_requested_at`;
  const wait = sql`extract(epoch from (c.first_human_reply_at - c.handoff_requested_at))`;
  const day = perDay ? vnDay(sql`c.handoff_requested_at`) : sql`''`;
  const list = await rows<Record<string, unknown>>(
    db,
    sql`select ${day} as day, count(*)::int as requested,
        count(*) filter (where ${replied})::int as answered,
        percentile_cont(0.5) within group (order by ${wait}) filter (where ${replied}) as median_s,
        percentile_cont(0.9) within group (order by ${wait}) filter (where ${replied}) as p90_s
      from conversations c
      where ${inRange(sql`c.handoff_requested_at`, range)}
      ${perDay ? sql`group by 1 order by 1` : sql``}`,
  );
  return list.map((r) => ({
    day: String(r.day),
    requested: num(r.requested),
    answered: num(r.answered),
    medianMinutes: minutes(r.median_s),
    p90Minutes: minutes(r.p90_s),
  }));
}

/** Hand-overs per Vietnam day (days without any are absent). */
export function handoffsPerDay(db: Db, range: AnalyticsRange): Promise<HandoffDay[]> {
  return handoffRows(db, range, true);
}

export interface RatingWeek {
  /** Monday of the Vietnam week, `YYYY-MM-DD`. */
  week: string;
  count: number;
  average: number;
}

/** Satisfaction ratings per week (ISO weeks, starting Monday, Vietnam time). */
export async function ratingsPerWeek(db: Db, range: AnalyticsRange): Promise<RatingWeek[]> {
  const list = await rows<{ week: string; n: number; average: unknown }>(
    db,
    sql`select to_char(date_trunc('week', f.created_at at time zone 'Asia/Ho_Chi_Minh'), 'YYYY-MM-DD') as week,
        count(*)::int as n, avg(f.rating)::float8 as average
      from feedback f join conversations c on c.id = f.conversation_id
      where ${inRange(sql`f.created_at`, range)}
      group by 1 order by 1`,
  );
  return list.map((r) => ({ week: r.week, count: num(r.n), average: Math.round(num(r.average) * 100) / 100 }));
}
