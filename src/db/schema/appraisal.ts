/**
 * Remote appraisal (thẩm định từ xa): which procedures can be appraised over a video call, the
 * appraisers and their calendars, and the booked sessions. Double booking is refused by the
 * database itself: an exclusion constraint (btree_gist, migration 0003) forbids two live sessions
 * of one appraiser whose blocked ranges (session + buffer) overlap.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/** A procedure that can be appraised remotely, and how its sessions go. */
export const appraisalTypes = pgTable('appraisal_types', {
  /** The knowledge-base procedure (`buon-ban-thuoc-bvtv`, `attp`). */
  procedureSlug: text('procedure_slug').primaryKey(),
  sessionMinutes: integer('session_minutes').notNull(),
  /** Free time kept after each session (notes, the next call's set-up). */
  bufferMinutes: integer('buffer_minutes').notNull().default(0),
  /** How the call happens: a Zalo video call to the OA, a Messenger video call, or a meeting link. */
  videoChannel: text('video_channel', { enum: ['zalo_video', 'messenger_video', 'meeting_link'] }).notNull(),
  meetingUrl: text('meeting_url'),
  /** [{key, label}]: what the appraiser goes through during the call. */
  checklist: jsonb('checklist').notNull(),
  /** What the business must prepare (Vietnamese sentences). */
  preparation: jsonb('preparation').notNull(),
  /** Days of validity of the licence issued when the appraisal passes. */
  licenceValidityDays: integer('licence_validity_days').notNull().default(1825),
  active: boolean('active').notNull().default(true),
  isSample: boolean('is_sample').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An appraiser: usually an official with the appraiser role, with working hours and capacity. */
export const appraisers = pgTable('appraisers', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The console account, when the appraiser signs in. */
  officialId: uuid('official_id'),
  name: text('name').notNull(),
  phone: text('phone'),
  /** Procedures this appraiser may appraise (slugs). */
  procedures: jsonb('procedures').notNull(),
  /** [{days: [1..7] (1 = Monday), start: 'HH:mm', end: 'HH:mm'}] in Vietnam time. */
  workingHours: jsonb('working_hours').notNull(),
  /** Most sessions in one day. */
  dailyCapacity: integer('daily_capacity').notNull().default(6),
  active: boolean('active').notNull().default(true),
  isSample: boolean('is_sample').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A day nobody (appraiser_id null: public holiday) or one appraiser (leave) takes sessions. */
export const appraisalDaysOff = pgTable(
  'appraisal_days_off',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    appraiserId: uuid('appraiser_id').references(() => appraisers.id, { onDelete: 'cascade' }),
    /** Vietnam calendar day. */
    day: date('day', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
  },
  (t) => [index('appraisal_days_off_day_idx').on(t.day)],
);

export const BOOKING_STATUSES = ['booked', 'rescheduled', 'cancelled', 'completed', 'no_show'] as const;

/**
 * One booked session. A reschedule closes the old row (`rescheduled`, `replaced_by`) and books a new
 * one (`rescheduled_from`), so the history stays. Only `booked` rows hold the appraiser's time.
 */
export const appraisalBookings = pgTable(
  'appraisal_bookings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** Short code people can quote ("TĐ-7K3M9Q"). */
    code: text('code').notNull(),
    procedureSlug: text('procedure_slug').notNull(),
    appraiserId: uuid('appraiser_id')
      .notNull()
      .references(() => appraisers.id),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    /** End of the session plus the type's buffer: the range the exclusion constraint protects. */
    blockedUntil: timestamp('blocked_until', { withTimezone: true }).notNull(),
    status: text('status', { enum: BOOKING_STATUSES }).notNull().default('booked'),
    businessName: text('business_name').notNull(),
    address: text('address').notNull(),
    /** 0… form. */
    phone: text('phone').notNull(),
    /** Who booked from a chat (reminders go there); null for the portal API or the console. */
    channel: text('channel'),
    channelUserId: text('channel_user_id'),
    source: text('source', { enum: ['chat', 'api', 'console'] }).notNull(),
    rescheduledFrom: uuid('rescheduled_from'),
    replacedBy: uuid('replaced_by'),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
    cancelReason: text('cancel_reason'),
    /** {key: true|false} ticked during the call. */
    checklistResults: jsonb('checklist_results').notNull().default({}),
    outcome: text('outcome', { enum: ['passed', 'needs_fixes', 'failed'] }),
    outcomeNotes: text('outcome_notes'),
    /** For `needs_fixes`: when the business will be appraised again. */
    reappraisalOn: date('reappraisal_on', { mode: 'string' }),
    outcomeAt: timestamp('outcome_at', { withTimezone: true }),
    outcomeBy: uuid('outcome_by'),
    /** The licence created when the appraisal passed. */
    licenceId: uuid('licence_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('appraisal_bookings_code_uq').on(t.code),
    index('appraisal_bookings_starts_idx').on(t.startsAt),
    index('appraisal_bookings_chat_idx').on(t.channel, t.channelUserId),
    check('appraisal_bookings_range', sql`${t.startsAt} < ${t.endsAt} and ${t.endsAt} <= ${t.blockedUntil}`),
  ],
);
