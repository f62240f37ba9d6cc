/**
 * Officials' announcements (issue 7): the broadcast, its frozen recipient list, and who opted out.
 * Each recipient's message is an outbox row (`broadcast:<id>:<channel>:<user>`), so progress is
 * read from the outbox and nothing is sent twice.
 */
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const broadcasts = pgTable(
  'broadcasts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    text: text('text').notNull(),
    /** The segment as chosen: {kind, channel?, procedure?, days?, ward?}. */
    segment: jsonb('segment').notNull(),
    status: text('status', { enum: ['draft', 'scheduled', 'sending', 'paused', 'cancelled', 'done'] }).notNull().default('draft'),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
    recipientCount: integer('recipient_count'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('broadcasts_status_idx').on(t.status, t.scheduledAt)],
);

export const broadcastRecipients = pgTable(
  'broadcast_recipients',
  {
    broadcastId: uuid('broadcast_id')
      .notNull()
      .references(() => broadcasts.id, { onDelete: 'cascade' }),
    channel: text('channel').notNull(),
    channelUserId: text('channel_user_id').notNull(),
    /** pending: not yet handed to the outbox (paused or not reached); queued: outbox row written; skipped: opted out meanwhile. */
    status: text('status', { enum: ['pending', 'queued', 'skipped'] }).notNull().default('pending'),
    queuedAt: timestamp('queued_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.broadcastId, t.channel, t.channelUserId] }), index('broadcast_recipients_pending_idx').on(t.broadcastId, t.status)],
);

/** People who asked not to receive announcements on a channel. */
export const broadcastOptOuts = pgTable(
  'broadcast_opt_outs',
  {
    channel: text('channel').notNull(),
    channelUserId: text('channel_user_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.channelUserId] })],
);
