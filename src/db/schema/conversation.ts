/**
 * Conversations and their messages. A conversation is one person on one channel; its `context`
 * (what procedure we are talking about, what we asked last) is what makes follow-up questions work.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  check,
  index,
  jsonb,
  pgTable,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channel: text('channel').notNull(),
    /** The platform's id of the person (Zalo user id, Messenger PSID, web chat session id). */
    channelUserId: text('channel_user_id').notNull(),
    /** bot: the assistant answers; waiting_human: handed off, an official will answer. */
    status: text('status', { enum: ['bot', 'waiting_human', 'human'] }).notNull().default('bot'),
    context: jsonb('context').notNull().default({}),
    locale: text('locale').notNull().default('vi'),
    handoffRequestedAt: timestamp('handoff_requested_at', { withTimezone: true }),
    /** The official who took the conversation over (status 'human'). */
    assignedOfficialId: uuid('assigned_official_id'),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    /** First reply by an official after the hand-over request: "time to first human reply". */
    firstHumanReplyAt: timestamp('first_human_reply_at', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('conversations_channel_user_uq').on(t.channel, t.channelUserId)],
);

export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    /** Who wrote an outbound message: the bot, or an official (id in `officialId`). */
    author: text('author', { enum: ['bot', 'official'] }).notNull().default('bot'),
    officialId: uuid('official_id'),
    text: text('text'),
    /** Quick-reply or button payload the person tapped (inbound) or offered (outbound, in `meta`). */
    payload: text('payload'),
    intent: text('intent'),
    score: real('score'),
    procedure: text('procedure'),
    /** The platform's message id, for de-duplicating redeliveries. */
    platformMessageId: text('platform_message_id'),
    meta: jsonb('meta'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('messages_conversation_idx').on(t.conversationId, t.id),
    uniqueIndex('messages_platform_id_uq')
      .on(t.conversationId, t.platformMessageId)
      .where(sql`${t.platformMessageId} is not null`),
    index('messages_created_idx').on(t.createdAt),
  ],
);

export const feedback = pgTable(
  'feedback',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    rating: smallint('rating').notNull(),
    comment: text('comment'),
    /** The procedure being discussed when the rating was given, for per-procedure satisfaction. */
    procedure: text('procedure'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    commentedAt: timestamp('commented_at', { withTimezone: true }),
  },
  (t) => [check('feedback_rating_range', sql`${t.rating} between 1 and 5`)],
);
