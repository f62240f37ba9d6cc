/**
 * The licence register (issue 7): licences with their holders and expiry, the chat identities
 * verified to hold them, one-time link codes, and the expiry reminders planned for each.
 */
import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const licences = pgTable(
  'licences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** As printed, upper-case without spaces ("123/2024/GCN-BVTV"); unique. */
    number: text('number').notNull(),
    /** The licence type: the procedure that issues it. */
    procedureSlug: text('procedure_slug').notNull(),
    holderName: text('holder_name').notNull(),
    /** 0… form. */
    phone: text('phone'),
    address: text('address'),
    /** Ward/commune, when known (broadcast segments). */
    ward: text('ward'),
    issuedOn: date('issued_on', { mode: 'string' }),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    source: text('source', { enum: ['import', 'appraisal', 'console'] }).notNull(),
    /** The appraisal that issued it, for source = appraisal. */
    bookingId: uuid('booking_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('licences_number_uq').on(t.number),
    index('licences_expires_idx').on(t.expiresOn),
    index('licences_phone_idx').on(t.phone),
  ],
);

/** A chat identity verified to hold a licence; reminders go to it until it unsubscribes. */
export const licenceLinks = pgTable(
  'licence_links',
  {
    licenceId: uuid('licence_id')
      .notNull()
      .references(() => licences.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    channelUserId: text('channel_user_id').notNull(),
    /** How the holder proved it: a one-time code sent to a chat known to hold the phone, or Zalo's phone share. */
    verifiedBy: text('verified_by', { enum: ['code', 'zalo_phone_share', 'appraisal'] }).notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true }).notNull().defaultNow(),
    unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.licenceId, t.channel, t.channelUserId] }), index('licence_links_user_idx').on(t.channel, t.channelUserId)],
);

/** A pending link request: the code's hash, where it was asked from, and how many guesses are left. */
export const licenceLinkCodes = pgTable(
  'licence_link_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenceId: uuid('licence_id')
      .notNull()
      .references(() => licences.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    channelUserId: text('channel_user_id').notNull(),
    codeHash: text('code_hash').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('licence_link_codes_user_idx').on(t.channel, t.channelUserId)],
);

/** The reminder ladder of a licence type: days before expiry (negative: after). */
export const reminderLadders = pgTable('reminder_ladders', {
  procedureSlug: text('procedure_slug').primaryKey(),
  /** e.g. [60, 30, 7, 1, -1]. */
  steps: jsonb('steps').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One planned reminder of one licence: unique per licence, expiry date and step, so planning twice
 * (a re-run, two workers, a restart) never plans — or sends — it twice.
 */
export const licenceReminders = pgTable(
  'licence_reminders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenceId: uuid('licence_id')
      .notNull()
      .references(() => licences.id, { onDelete: 'cascade' }),
    expiresOn: date('expires_on', { mode: 'string' }).notNull(),
    /** Days before expiry (negative: after). */
    step: integer('step').notNull(),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    /** queued: outbox rows written (`dedupe_keys`); no_channel: an officer must phone; skipped: too late to matter. */
    status: text('status', { enum: ['queued', 'no_channel', 'skipped'] }).notNull(),
    /** [{channel, dedupeKey}] of the outbox rows. */
    deliveries: jsonb('deliveries').notNull().default([]),
    note: text('note'),
    plannedAt: timestamp('planned_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('licence_reminders_step_uq').on(t.licenceId, t.expiresOn, t.step),
    index('licence_reminders_status_idx').on(t.status).where(sql`${t.status} = 'no_channel'`),
  ],
);
