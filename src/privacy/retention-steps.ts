/**
 * The retention job's steps, one SQL statement per batch each. A statement picks at most `limit`
 * rows that still hold personal data past their period, and anonymises or deletes exactly those; a
 * processed row no longer matches, so a step is idempotent and a re-run finds nothing. Steps on
 * tables with growing ids also walk forward from the last id (`after`), so one run reads the old
 * part of a large table once instead of once per batch.
 *
 * What each step keeps, and why, is in the README ("Personal data").
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { anonymisedJson, newPseudonymSql, notPseudonym, redactMessageSet, resultRows, scrubOutboxSet, unredactedMessage } from './redaction';

/** The moments one run measures ages against. */
export interface RetentionCutoffs {
  now: Date;
  /** Chat content, identities, contacts, broadcast recipients: older than this is anonymised. */
  conversation: Date;
  /** The same, as a Vietnam calendar day (licence expiry dates are days). */
  conversationDay: string;
  /** Raw webhook events, sent messages' bodies, link codes, sign-in attempts. */
  raw: Date;
}

export const RETENTION_STEPS = [
  'messages',
  'feedbackComments',
  'conversations',
  'contactsDeleted',
  'contactsStripped',
  'licenceLinks',
  'linkCodes',
  'broadcastRecipients',
  'outbox',
  'inboundEvents',
  'loginAttempts',
] as const;
export type RetentionStepName = (typeof RETENTION_STEPS)[number];

export interface StepBatch {
  /** Rows anonymised or deleted by this batch. */
  count: number;
  /** The highest id handled, for steps that walk forward by id. */
  last?: number;
}

type StepRun = (db: Db, c: RetentionCutoffs, limit: number, after: number) => Promise<StepBatch>;

const ts = (d: Date): SQL => sql`${d.toISOString()}::timestamptz`;

/** Runs `query` (which RETURNs `id` when the step walks by id) and counts what it touched. */
async function counted(db: Db, query: SQL): Promise<StepBatch> {
  const rows = resultRows<{ id?: number | string }>(await db.execute(query));
  const ids = rows.map((r) => Number(r.id)).filter((n) => Number.isFinite(n));
  return { count: rows.length, last: ids.length > 0 ? Math.max(...ids) : undefined };
}

/**
 * A chat identity (`channel`, `userId` columns) that must stay reachable: subscribed to a licence
 * in force (or expired within the period: reminders run past expiry), with an appraisal still to
 * come, or in a hand-over an official has not closed.
 */
function keptIdentity(channel: SQL, userId: SQL, c: RetentionCutoffs): SQL {
  return sql`(exists (select 1 from licence_links l join licences x on x.id = l.licence_id
      where l.channel = ${channel} and l.channel_user_id = ${userId} and l.unsubscribed_at is null and x.expires_on >= ${c.conversationDay}::date)
    or exists (select 1 from appraisal_bookings b
      where b.channel = ${channel} and b.channel_user_id = ${userId} and b.status = 'booked' and b.starts_at > ${ts(c.now)})
    or exists (select 1 from conversations k
      where k.channel = ${channel} and k.channel_user_id = ${userId} and k.status <> 'bot'))`;
}

/** A contact (alias `cc`) idle for the whole period and not to be kept. */
const idleContact = (c: RetentionCutoffs): SQL =>
  sql`cc.updated_at < ${ts(c.conversation)} and coalesce(cc.last_inbound_at, cc.updated_at) < ${ts(c.conversation)}
    and ${notPseudonym(sql`cc.channel_user_id`)} and not ${keptIdentity(sql`cc.channel`, sql`cc.channel_user_id`, c)}`;

const steps: Record<RetentionStepName, StepRun> = {
  // Messages of conversations not in a hand-over: content goes, the counted facts stay.
  messages: (db, c, limit, after) =>
    counted(
      db,
      sql`with picked as (
        select m.id from messages m join conversations c on c.id = m.conversation_id
        where m.id > ${after} and m.created_at < ${ts(c.conversation)} and c.status = 'bot' and ${unredactedMessage}
        order by m.id limit ${limit})
      update messages m set ${redactMessageSet} from picked where m.id = picked.id returning m.id`,
    ),

  // A rating's free-text comment; the rating itself feeds the satisfaction charts.
  feedbackComments: (db, c, limit, after) =>
    counted(
      db,
      sql`with picked as (
        select f.id from feedback f join conversations c on c.id = f.conversation_id
        where f.id > ${after} and f.created_at < ${ts(c.conversation)} and f.comment is not null and c.status = 'bot'
        order by f.id limit ${limit})
      update feedback f set comment = null from picked where f.id = picked.id returning f.id`,
    ),

  // Idle conversations lose their identity and context. The pseudonym gets a "not following"
  // contact row, so no broadcast segment or channel policy ever tries to write to it.
  conversations: (db, c, limit) =>
    counted(
      db,
      sql`with picked as (
        select c.id from conversations c
        where c.last_message_at < ${ts(c.conversation)} and c.status = 'bot' and ${notPseudonym(sql`c.channel_user_id`)}
        order by c.last_message_at, c.id limit ${limit} for update skip locked),
      renamed as (
        update conversations c set channel_user_id = ${newPseudonymSql}, context = '{}'::jsonb
        from picked where c.id = picked.id returning c.channel, c.channel_user_id)
      insert into channel_contacts (channel, channel_user_id, following, updated_at)
      select channel, channel_user_id, false, now() from renamed returning channel`,
    ),

  // Contacts of people who neither wrote nor follow us any more.
  contactsDeleted: (db, c, limit) =>
    counted(
      db,
      sql`with picked as (
        select cc.channel, cc.channel_user_id from channel_contacts cc
        where cc.following is not true and ${idleContact(c)} limit ${limit})
      delete from channel_contacts cc using picked p
      where cc.channel = p.channel and cc.channel_user_id = p.channel_user_id returning cc.channel`,
    ),

  // Followers chose to hear from us: the id and the follow stay, what they once shared goes.
  contactsStripped: (db, c, limit) =>
    counted(
      db,
      sql`with picked as (
        select cc.channel, cc.channel_user_id from channel_contacts cc
        where cc.following is true and (cc.display_name is not null or cc.phone is not null or cc.address is not null)
          and ${idleContact(c)} limit ${limit})
      update channel_contacts cc set display_name = null, phone = null, address = null from picked p
      where cc.channel = p.channel and cc.channel_user_id = p.channel_user_id returning cc.channel`,
    ),

  // Chat links to a licence long expired, or unsubscribed long ago. The licence itself stays.
  licenceLinks: (db, c, limit) =>
    counted(
      db,
      sql`with picked as (
        select l.licence_id, l.channel, l.channel_user_id from licence_links l join licences x on x.id = l.licence_id
        where l.unsubscribed_at < ${ts(c.conversation)} or x.expires_on < ${c.conversationDay}::date limit ${limit})
      delete from licence_links l using picked p
      where l.licence_id = p.licence_id and l.channel = p.channel and l.channel_user_id = p.channel_user_id returning l.channel`,
    ),

  // One-time codes are useless once used or expired.
  linkCodes: (db, c, limit) =>
    counted(
      db,
      sql`delete from licence_link_codes where id in (
        select id from licence_link_codes where coalesce(used_at, expires_at) < ${ts(c.raw)} limit ${limit}) returning licence_id`,
    ),

  // Finished broadcasts keep their counts: each recipient and the outbox key built from it get the
  // same pseudonym, so the progress page (which joins them by key) reads the same numbers.
  broadcastRecipients: (db, c, limit) =>
    counted(
      db,
      sql`with picked as (
        select r.broadcast_id, r.channel, r.channel_user_id, ${newPseudonymSql} as pseudonym
        from broadcast_recipients r join broadcasts b on b.id = r.broadcast_id
        where b.status in ('done', 'cancelled') and coalesce(b.finished_at, b.created_at) < ${ts(c.conversation)}
          and ${notPseudonym(sql`r.channel_user_id`)}
        limit ${limit}),
      rekeyed as (
        update outbox o set dedupe_key = 'broadcast:' || p.broadcast_id || ':' || p.channel || ':' || p.pseudonym,
          recipient = case when o.status not in ('pending', 'sending') then ${anonymisedJson} else o.recipient end,
          content = case when o.status not in ('pending', 'sending') then ${anonymisedJson} else o.content end
        from picked p where o.dedupe_key = 'broadcast:' || p.broadcast_id || ':' || p.channel || ':' || p.channel_user_id
        returning o.id)
      update broadcast_recipients r set channel_user_id = p.pseudonym from picked p
      where r.broadcast_id = p.broadcast_id and r.channel = p.channel and r.channel_user_id = p.channel_user_id
      returning r.channel`,
    ),

  // Who a finished message (sent or given up) went to and what it said; its outcome stays for the
  // delivery summaries. One still to send, or being sent, keeps both.
  outbox: (db, c, limit, after) =>
    counted(
      db,
      sql`with picked as (
        select o.id from outbox o
        where o.id > ${after} and o.created_at < ${ts(c.raw)} and o.status not in ('pending', 'sending') and o.recipient <> ${anonymisedJson}
        order by o.id limit ${limit})
      update outbox o set ${scrubOutboxSet} from picked where o.id = picked.id returning o.id`,
    ),

  // Raw webhook events, once processed whatever the outcome (done, failed, throttled…); a pending
  // one is still to be answered.
  inboundEvents: (db, c, limit, after) =>
    counted(
      db,
      sql`delete from inbound_events where id in (
        select id from inbound_events where id > ${after} and received_at < ${ts(c.raw)} and status <> 'pending'
        order by id limit ${limit}) returning id`,
    ),

  // Officials' sign-in attempts (email, address): lock-out looks back two hours only.
  loginAttempts: (db, c, limit, after) =>
    counted(
      db,
      sql`delete from login_attempts where id in (
        select id from login_attempts where id > ${after} and at < ${ts(c.raw)} order by id limit ${limit}) returning id`,
    ),
};

/** One batch of the step `name`. */
export function runStepBatch(name: RetentionStepName, db: Db, c: RetentionCutoffs, limit: number, after: number): Promise<StepBatch> {
  return steps[name](db, c, limit, after);
}
