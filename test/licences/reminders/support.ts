/** Shared set-up of the reminder tests: register rows, chat identities, and a tick at a chosen moment. */
import path from 'node:path';
import { tables, type Db } from '../../../src/db';
import { loadTranslator } from '../../../src/i18n';
import { createLogger } from '../../../src/logger';
import { OutboxWorker } from '../../../src/outbox';
import { runReminderTick, type ReminderTickSummary } from '../../../src/licences/reminders';
import type { ChannelPolicy, ChannelSender } from '../../../src/channels/types';

export const i18n = loadTranslator(path.resolve(__dirname, '../../../locales'));
export const silent = createLogger('silent');
export const DEFAULT_LADDER = [60, 30, 7, 1, -1];

/** A Vietnam-local wall-clock moment, e.g. vn('2026-12-01', '09:00'). */
export const vn = (date: string, time = '09:00') => new Date(`${date}T${time}:00+07:00`);

let counter = 0;

export async function addLicence(
  db: Db,
  fields: { expiresOn: string; phone?: string | null; procedureSlug?: string; holderName?: string; number?: string },
): Promise<{ id: string; number: string }> {
  counter += 1;
  const number = fields.number ?? `${String(counter).padStart(3, '0')}/2024/GCN-BVTV`;
  const [row] = await db
    .insert(tables.licences)
    .values({
      number,
      procedureSlug: fields.procedureSlug ?? 'buon-ban-thuoc-bvtv',
      holderName: fields.holderName ?? `Cửa hàng Vật tư Nông nghiệp số ${counter}`,
      phone: fields.phone ?? null,
      expiresOn: fields.expiresOn,
      source: 'import',
    })
    .returning({ id: tables.licences.id });
  if (!row) throw new Error('licence not inserted');
  return { id: row.id, number };
}

/** A verified link from a chat identity, and what its channel knows (last message, phone, follow). */
export async function linkIdentity(
  db: Db,
  licenceId: string,
  identity: { channel: 'zalo' | 'messenger'; userId: string; lastInboundAt?: Date; phone?: string; following?: boolean; unsubscribed?: boolean },
): Promise<void> {
  await db.insert(tables.licenceLinks).values({
    licenceId,
    channel: identity.channel,
    channelUserId: identity.userId,
    verifiedBy: 'code',
    unsubscribedAt: identity.unsubscribed ? new Date() : null,
  });
  await db
    .insert(tables.channelContacts)
    .values({
      channel: identity.channel,
      channelUserId: identity.userId,
      lastInboundAt: identity.lastInboundAt ?? null,
      phone: identity.phone ?? null,
      following: identity.following ?? null,
    })
    .onConflictDoNothing();
}

export type TestChannels = Partial<Record<'zalo' | 'messenger', { policy: ChannelPolicy; sender: ChannelSender }>>;

/** One tick as the CLI runs it, at `at` (the clock then runs at real speed). */
export async function tickAt(
  db: Db,
  channels: TestChannels,
  at: Date,
  extra: { znsTemplateId?: string; batchSize?: number; ladderDays?: number[] } = {},
): Promise<ReminderTickSummary> {
  const startedAt = Date.now();
  const clock = () => new Date(at.getTime() + (Date.now() - startedAt));
  const outbox = new OutboxWorker({ db, channels, logger: silent, ratePerMinute: {}, maxAttempts: 3, clock });
  return runReminderTick(
    { db, i18n, logger: silent, channels, outbox, ladderDays: extra.ladderDays ?? DEFAULT_LADDER, znsTemplateId: extra.znsTemplateId },
    { clock, batchSize: extra.batchSize, maxWaitMs: 20_000 },
  );
}

/** The licence's reminder rows, oldest due first. */
export async function remindersOf(db: Db, licenceId: string) {
  const rows = await db.select().from(tables.licenceReminders);
  return rows
    .filter((r) => r.licenceId === licenceId)
    .sort((a, b) => (a.dueOn < b.dueOn ? -1 : 1))
    .map((r) => ({ step: r.step, dueOn: r.dueOn, status: r.status, note: r.note, deliveries: r.deliveries }));
}
