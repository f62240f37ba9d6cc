/**
 * Channel plumbing: inbound events stored before the webhook answers, the outbox of messages to
 * send, what we know of each person on each channel, and the Zalo OA token pair.
 */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { OutboundPurpose } from '../../channels/types';

/**
 * Outbox purposes someone is waiting for in a conversation: the bot's and an official's answers, and
 * news of the person's own booking. The outbox serves them in a lane of their own, ahead of bulk
 * sends (reminders, broadcasts) — see `claimDue` in src/outbox/store.ts.
 */
export const INTERACTIVE_PURPOSES = ['reply', 'human_reply', 'appointment_update'] as const satisfies readonly OutboundPurpose[];

/** `INTERACTIVE_PURPOSES` as a literal SQL list, shared by the partial index and the claim query. */
export const INTERACTIVE_PURPOSES_SQL = `(${INTERACTIVE_PURPOSES.map((p) => `'${p}'`).join(', ')})`;

export const inboundEvents = pgTable(
  'inbound_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    channel: text('channel').notNull(),
    channelUserId: text('channel_user_id').notNull(),
    platformEventId: text('platform_event_id').notNull(),
    kind: text('kind').notNull(),
    /** The whole channel-neutral event, as parsed from the webhook. */
    event: jsonb('event').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    status: text('status', { enum: ['pending', 'done', 'failed', 'throttled'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** Not retried before this time (backoff after a failure). */
    availableAt: timestamp('available_at', { withTimezone: true }).notNull().defaultNow(),
    lastError: text('last_error'),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('inbound_events_dedupe_uq').on(t.channel, t.platformEventId),
    index('inbound_events_pending_idx').on(t.channel, t.channelUserId, t.id).where(sql`${t.status} = 'pending'`),
  ],
);

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    dedupeKey: text('dedupe_key').notNull(),
    channel: text('channel').notNull(),
    recipient: jsonb('recipient').notNull(),
    content: jsonb('content').notNull(),
    purpose: text('purpose').notNull(),
    conversationId: uuid('conversation_id'),
    /** pending: to send; sending: claimed by a worker; sent; failed: given up, with `failureReason`. */
    status: text('status', { enum: ['pending', 'sending', 'sent', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** A claim expires: a worker that died mid-send leaves the row to be picked up again. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    /** How it went out (zalo_cs, zalo_zns, messenger:RESPONSE, …) or why it waits. */
    mode: text('mode'),
    waitingReason: text('waiting_reason'),
    lastError: text('last_error'),
    failureReason: text('failure_reason'),
    platformMessageId: text('platform_message_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_dedupe_key_uq').on(t.dedupeKey),
    index('outbox_due_idx').on(t.nextAttemptAt).where(sql`${t.status} in ('pending', 'sending')`),
    // The interactive lane's claim (src/outbox/store.ts): found at once however large the bulk backlog.
    index('outbox_interactive_due_idx')
      .on(t.id)
      .where(sql`${t.status} in ('pending', 'sending') and ${t.purpose} in ${sql.raw(INTERACTIVE_PURPOSES_SQL)}`),
    // The claim's per-recipient order check ("nothing older for this person is waiting") looks here,
    // one probe per candidate. Without it, a freshly planned backlog whose statistics are not yet
    // gathered got a nested loop over the whole queue: 90,000 reminders took a claim 18 minutes.
    index('outbox_recipient_queue_idx')
      .on(t.channel, t.recipient, t.id)
      .where(sql`${t.status} in ('pending', 'sending')`),
  ],
);

export const channelContacts = pgTable(
  'channel_contacts',
  {
    channel: text('channel').notNull(),
    channelUserId: text('channel_user_id').notNull(),
    displayName: text('display_name'),
    phone: text('phone'),
    address: text('address'),
    following: boolean('following'),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.channelUserId] }), index('channel_contacts_phone_idx').on(t.phone)],
);

/** The OA's current token pair. The refresh token is single-use: rotate it under a row lock. */
export const zaloTokens = pgTable('zalo_tokens', {
  oaId: text('oa_id').primaryKey(),
  accessToken: text('access_token').notNull(),
  refreshToken: text('refresh_token').notNull(),
  accessExpiresAt: timestamp('access_expires_at', { withTimezone: true }).notNull(),
  refreshExpiresAt: timestamp('refresh_expires_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
