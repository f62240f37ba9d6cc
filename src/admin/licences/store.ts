/**
 * What the licence page shows besides the licence: the chat identities linked to it and its
 * reminder history, each planned reminder with the fate of its outbox messages (matched by dedupe
 * key: the reminder planner writes `deliveries: [{channel, dedupeKey}]`).
 */
import { asc, desc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db';
import { tables } from '../../db';

const { licenceLinks, licenceReminders, outbox } = tables;

export type LinkedIdentity = typeof licenceLinks.$inferSelect;

export interface Delivery {
  channel: string;
  dedupeKey: string;
  /** The outbox row, or null when it is not (or no longer) there. */
  message: {
    status: string;
    mode: string | null;
    waitingReason: string | null;
    failureReason: string | null;
    sentAt: Date | null;
  } | null;
}

export interface ReminderEntry {
  id: string;
  step: number;
  dueOn: string;
  expiresOn: string;
  status: string;
  note: string | null;
  plannedAt: Date;
  deliveries: Delivery[];
}

/** Written by the reminder planner; read leniently so one odd row cannot break the page. */
const deliveriesSchema = z.array(z.object({ channel: z.string(), dedupeKey: z.string() }).loose()).catch([]);

export async function linkedIdentities(db: Db, licenceId: string): Promise<LinkedIdentity[]> {
  return db.select().from(licenceLinks).where(eq(licenceLinks.licenceId, licenceId)).orderBy(asc(licenceLinks.verifiedAt));
}

/** The licence's reminders, latest due first, each with its messages' outbox status. */
export async function reminderHistory(db: Db, licenceId: string): Promise<ReminderEntry[]> {
  const rows = await db
    .select()
    .from(licenceReminders)
    .where(eq(licenceReminders.licenceId, licenceId))
    .orderBy(desc(licenceReminders.dueOn), asc(licenceReminders.step));
  const planned = rows.map((r) => ({ row: r, deliveries: deliveriesSchema.parse(r.deliveries) }));
  const keys = planned.flatMap((p) => p.deliveries.map((d) => d.dedupeKey));
  const messages = keys.length
    ? await db
        .select({
          dedupeKey: outbox.dedupeKey,
          status: outbox.status,
          mode: outbox.mode,
          waitingReason: outbox.waitingReason,
          failureReason: outbox.failureReason,
          sentAt: outbox.sentAt,
        })
        .from(outbox)
        .where(inArray(outbox.dedupeKey, keys))
    : [];
  const byKey = new Map(messages.map(({ dedupeKey, ...m }) => [dedupeKey, m]));
  return planned.map(({ row, deliveries }) => ({
    id: row.id,
    step: row.step,
    dueOn: row.dueOn,
    expiresOn: row.expiresOn,
    status: row.status,
    note: row.note,
    plannedAt: row.plannedAt,
    deliveries: deliveries.map((d) => ({ channel: d.channel, dedupeKey: d.dedupeKey, message: byKey.get(d.dedupeKey) ?? null })),
  }));
}
