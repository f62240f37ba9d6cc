/**
 * Plans the reminders due today (Vietnam time) for the whole register, in bounded memory: licences
 * whose expiry falls inside the ladders' reach and that still have an unrecorded due step are read in
 * keyset-paginated batches, and each batch is written in ONE transaction:
 *
 *   read the next page of licences by id (keyset), keep those with an unrecorded due step and lock
 *   them (FOR UPDATE SKIP LOCKED: another planner takes other licences)
 *   -> read the steps already recorded (after the lock, so a planner that just finished is seen)
 *   -> insert `licence_reminders` rows ON CONFLICT DO NOTHING (unique licence, expiry, step)
 *   -> only for the rows actually inserted, insert their outbox rows (unique dedupe keys).
 *
 * So a re-run, two planners at once, or a crash mid-batch (the transaction rolls back whole) can
 * never queue a reminder twice, and never lose one: the next tick finds it still unrecorded.
 */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import type { Translator } from '../../i18n';
import { enqueueOutbound } from '../../outbox';
import type { Channel, OutboundMessage } from '../../channels/types';
import { vietnamToday } from '../repository';
import { expiryWindow, planSteps, stepsFor, type Ladders } from './ladder';
import { reminderText, znsTemplateData, type ReminderFacts } from './messages';
import { routeReminder, type ReminderIdentity, type RoutingContext } from './routing';

const { licenceLinks, licenceReminders, channelContacts } = tables;

export const DEFAULT_PLAN_BATCH = 500;
const CHANNELS: readonly Channel[] = ['zalo', 'messenger', 'webchat'];
const FIRST_UUID = '00000000-0000-0000-0000-000000000000';

export interface PlanOptions {
  db: Db;
  i18n: Translator;
  ladders: Ladders;
  routing: Omit<RoutingContext, 'now'>;
  /** The tick's moment: "today" is its Vietnam date; policies are asked as of it. */
  now: Date;
  batchSize?: number;
  /** Called after each committed batch with the running totals (progress logs; the bench samples memory here). */
  onBatch?: (progress: PlanResult) => void;
}

export interface PlanResult {
  today: string;
  /** Reminder rows written by this run (each status below). */
  planned: number;
  queued: number;
  noChannel: number;
  skipped: number;
  /** Outbox rows written (a reminder may go to several identities). */
  messages: number;
  batches: number;
}

interface Candidate {
  id: string;
  number: string;
  procedureSlug: string;
  licenceType: string;
  holderName: string;
  phone: string | null;
  expiresOn: string;
}

/** The steps of `l`'s ladder as an `int[]` expression (a CASE over the few per-type overrides). */
function ladderSql(ladders: Ladders): SQL {
  const array = (steps: readonly number[]) => sql`${`{${steps.join(',')}}`}::int[]`;
  const overrides = Object.entries(ladders.byProcedure);
  if (overrides.length === 0) return array(ladders.defaultSteps);
  const whens = overrides.map(([slug, steps]) => sql`when ${slug} then ${array(steps)}`);
  return sql`(case l.procedure_slug ${sql.join(whens, sql` `)} else ${array(ladders.defaultSteps)} end)`;
}

/**
 * The next page of the register after `after` (by id) with an expiry inside `window`: a plain keyset
 * scan on the primary key, so each batch costs the same however far into the register it is.
 */
async function nextPage(tx: Db, window: { from: string; to: string }, after: string, limit: number): Promise<string[]> {
  const result = await tx.execute(sql`
    select id from licences
    where id > ${after}::uuid and expires_on between ${window.from}::date and ${window.to}::date
    order by id limit ${limit}`);
  return (result as unknown as { rows: { id: string }[] }).rows.map((r) => String(r.id));
}

/**
 * Of the page, the licences with a due step not yet recorded, locked for this transaction (SKIP
 * LOCKED: another planner has the others and plans them itself).
 */
async function lockCandidates(tx: Db, ladders: Ladders, today: string, page: readonly string[]): Promise<Candidate[]> {
  const result = await tx.execute(sql`
    select l.id, l.number, l.procedure_slug, coalesce(p.name, l.procedure_slug) as licence_type, l.holder_name, l.phone,
      l.expires_on::text as expires_on
    from licences l
    left join procedures p on p.slug = l.procedure_slug
    where l.id in ${page}
      and exists (
        select 1 from unnest(${ladderSql(ladders)}) s(step)
        where l.expires_on - s.step <= ${today}::date
          and not exists (
            select 1 from licence_reminders r where r.licence_id = l.id and r.expires_on = l.expires_on and r.step = s.step))
    order by l.id
    for update of l skip locked`);
  const rows = (result as unknown as { rows: Record<string, unknown>[] }).rows;
  return rows.map((r) => ({
    id: String(r.id),
    number: String(r.number),
    procedureSlug: String(r.procedure_slug),
    licenceType: String(r.licence_type),
    holderName: String(r.holder_name),
    phone: (r.phone as string | null) ?? null,
    expiresOn: String(r.expires_on),
  }));
}

/** Steps already recorded for each licence's current expiry. */
async function recordedSteps(tx: Db, batch: readonly Candidate[]): Promise<Map<string, Set<number>>> {
  const rows = await tx
    .select({ licenceId: licenceReminders.licenceId, expiresOn: licenceReminders.expiresOn, step: licenceReminders.step })
    .from(licenceReminders)
    .where(inArray(licenceReminders.licenceId, batch.map((c) => c.id)));
  const expiry = new Map(batch.map((c) => [c.id, c.expiresOn]));
  const recorded = new Map<string, Set<number>>();
  for (const r of rows) {
    if (expiry.get(r.licenceId) !== r.expiresOn) continue;
    const set = recorded.get(r.licenceId) ?? new Set<number>();
    set.add(r.step);
    recorded.set(r.licenceId, set);
  }
  return recorded;
}

/** The verified identities (unsubscribed ones flagged), with what their channel knows of them (oldest link first). */
async function linkedIdentities(tx: Db, licenceIds: readonly string[]): Promise<Map<string, ReminderIdentity[]>> {
  const rows = await tx
    .select({
      licenceId: licenceLinks.licenceId,
      channel: licenceLinks.channel,
      userId: licenceLinks.channelUserId,
      lastInboundAt: channelContacts.lastInboundAt,
      phone: channelContacts.phone,
      following: channelContacts.following,
      unsubscribedAt: licenceLinks.unsubscribedAt,
    })
    .from(licenceLinks)
    .leftJoin(channelContacts, and(eq(channelContacts.channel, licenceLinks.channel), eq(channelContacts.channelUserId, licenceLinks.channelUserId)))
    .where(inArray(licenceLinks.licenceId, [...licenceIds]))
    .orderBy(asc(licenceLinks.verifiedAt));
  const byLicence = new Map<string, ReminderIdentity[]>();
  for (const r of rows) {
    if (!(CHANNELS as readonly string[]).includes(r.channel)) continue;
    const list = byLicence.get(r.licenceId) ?? [];
    list.push({
      channel: r.channel as Channel,
      userId: r.userId,
      facts: { lastInboundAt: r.lastInboundAt ?? undefined, phone: r.phone ?? undefined, following: r.following ?? undefined },
      unsubscribed: r.unsubscribedAt !== null,
    });
    byLicence.set(r.licenceId, list);
  }
  return byLicence;
}

interface ReminderRow {
  licenceId: string;
  expiresOn: string;
  step: number;
  dueOn: string;
  status: 'queued' | 'no_channel' | 'skipped';
  deliveries?: { channel: Channel; dedupeKey: string }[];
  note: string | null;
}

/**
 * Inserts the batch's reminder rows, skipping any that exist (unique licence, expiry, step), and
 * returns the ones actually inserted. The rows travel as one JSON parameter: on PGlite a multi-row
 * VALUES with thousands of bind parameters is several times slower.
 */
async function insertReminders(tx: Db, rows: readonly ReminderRow[]): Promise<{ licenceId: string; step: number; status: string }[]> {
  const json = JSON.stringify(
    rows.map((r) => ({ licence_id: r.licenceId, expires_on: r.expiresOn, step: r.step, due_on: r.dueOn, status: r.status, deliveries: r.deliveries ?? [], note: r.note })),
  );
  const result = await tx.execute(sql`
    insert into licence_reminders (licence_id, expires_on, step, due_on, status, deliveries, note)
    select x.licence_id, x.expires_on, x.step, x.due_on, x.status, x.deliveries, x.note
    from jsonb_to_recordset(${json}::jsonb) as x(licence_id uuid, expires_on date, step int, due_on date, status text, deliveries jsonb, note text)
    on conflict (licence_id, expires_on, step) do nothing
    returning licence_id, step, status`);
  return (result as unknown as { rows: Record<string, unknown>[] }).rows.map((r) => ({ licenceId: String(r.licence_id), step: Number(r.step), status: String(r.status) }));
}

/** Plans one locked batch; returns the counts it wrote. */
async function planBatch(tx: Db, opts: PlanOptions, today: string, batch: readonly Candidate[]): Promise<Omit<PlanResult, 'today' | 'batches'>> {
  const recorded = await recordedSteps(tx, batch);
  const identities = await linkedIdentities(tx, batch.map((c) => c.id));
  const rows: ReminderRow[] = [];
  const messagesOf = new Map<string, OutboundMessage[]>();
  for (const licence of batch) {
    const plan = planSteps(stepsFor(opts.ladders, licence.procedureSlug), licence.expiresOn, today, recorded.get(licence.id) ?? new Set());
    for (const s of plan.skip) {
      rows.push({ licenceId: licence.id, expiresOn: licence.expiresOn, step: s.step, dueOn: s.dueOn, status: 'skipped', note: s.note });
    }
    if (!plan.send) continue;
    const facts: ReminderFacts = { holderName: licence.holderName, licenceNumber: licence.number, licenceType: licence.licenceType, expiresOn: licence.expiresOn, today };
    const routed = routeReminder(
      { ...opts.routing, now: opts.now },
      {
        key: `licence:${licence.id}:expiry:${licence.expiresOn}:${plan.send.step}`,
        licencePhone: licence.phone,
        text: reminderText(opts.i18n, facts),
        templateData: znsTemplateData(facts),
      },
      identities.get(licence.id) ?? [],
    );
    messagesOf.set(`${licence.id}:${plan.send.step}`, routed.messages);
    rows.push({
      licenceId: licence.id,
      expiresOn: licence.expiresOn,
      step: plan.send.step,
      dueOn: plan.send.dueOn,
      status: routed.messages.length > 0 ? 'queued' : 'no_channel',
      deliveries: routed.messages.map((m) => ({ channel: m.channel, dedupeKey: m.dedupeKey })),
      note: routed.notes.length > 0 ? routed.notes.join(' | ').slice(0, 2000) : null,
    });
  }
  if (rows.length === 0) return { planned: 0, queued: 0, noChannel: 0, skipped: 0, messages: 0 };
  const inserted = await insertReminders(tx, rows);
  const toSend = inserted.flatMap((r) => (r.status === 'queued' ? messagesOf.get(`${r.licenceId}:${r.step}`) ?? [] : []));
  const messages = await enqueueOutbound(tx, toSend, { plannedAt: opts.now });
  const count = (status: string) => inserted.filter((r) => r.status === status).length;
  return { planned: inserted.length, queued: count('queued'), noChannel: count('no_channel'), skipped: count('skipped'), messages };
}

/** Plans everything due as of `opts.now`, batch by batch; safe to run concurrently and to re-run. */
export async function planDueReminders(opts: PlanOptions): Promise<PlanResult> {
  const today = vietnamToday(opts.now);
  const window = expiryWindow(opts.ladders, today);
  const limit = opts.batchSize ?? DEFAULT_PLAN_BATCH;
  const total: PlanResult = { today, planned: 0, queued: 0, noChannel: 0, skipped: 0, messages: 0, batches: 0 };
  let after = FIRST_UUID;
  for (;;) {
    const done = await opts.db.transaction(async (tx) => {
      const page = await nextPage(tx, window, after, limit);
      if (page.length === 0) return undefined;
      const batch = await lockCandidates(tx, opts.ladders, today, page);
      const counts = batch.length > 0 ? await planBatch(tx, opts, today, batch) : undefined;
      return { counts, last: page[page.length - 1] ?? after, size: page.length };
    });
    if (!done) break;
    if (done.counts) total.batches += 1;
    for (const k of ['planned', 'queued', 'noChannel', 'skipped', 'messages'] as const) total[k] += done.counts?.[k] ?? 0;
    after = done.last;
    opts.onBatch?.(total);
    if (done.size < limit) break;
  }
  return total;
}
