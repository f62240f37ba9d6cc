/**
 * A person who sends more than `perMinute` messages in a rolling minute on Zalo or Messenger is not
 * answered message by message: the webhook still stores and acknowledges everything (a platform
 * must get its 200 at once and nothing may be lost), and here, in the inbound processor, each
 * message beyond the limit is
 * - stored in the conversation like any other (officials read it in the inbox), without running the
 *   bot on it: no intent (so analytics count it as unread by the bot, like messages received while an
 *   official owns the conversation), `meta.throttled = true` on the message row;
 * - its inbound event marked `throttled` instead of `done` (visible in `/metrics` as
 *   `tlmc_inbound_events{status="throttled"}`);
 * - answered by ONE polite notice (locales `limits.senderThrottled`) for the whole flood: only when
 *   none of the person's previous `perMinute` messages was throttled already — those all fall within
 *   the last minute, so two notices are always more than a minute apart.
 *
 * The window is measured on the messages' own times (the platform's timestamps, stored as the
 * messages' `created_at`), read from the database: it holds across processes and restarts, and a
 * backlog processed late is judged by when people wrote, not when we caught up.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../db';
import type { InboundEvent } from '../channels/types';
import type { Translator } from '../i18n';
import { enqueueOutbound } from '../outbox';
import { ConversationStore } from './store';
import type { InboundMessage } from './types';

const { messages } = tables;

export interface SenderLimit {
  /** Messages per rolling minute per person and channel that the bot answers (SENDER_RATE_PER_MINUTE). */
  perMinute: number;
  i18n: Translator;
}

const WINDOW_MS = 60_000;

/** Marks the inbound event handled as throttled (stored, deliberately not answered by the bot). */
export async function markEventThrottled(tx: Db, id: number): Promise<void> {
  await tx.execute(sql`update inbound_events set status = 'throttled', processed_at = now(), last_error = null where id = ${id}`);
}

/**
 * Handles `message` as throttled when its sender is over the limit. Returns undefined when under
 * the limit (the conversation should answer it); otherwise how many notices were queued (0 or 1).
 */
export async function throttleIfFlooding(
  tx: Db,
  limit: SenderLimit,
  eventId: number,
  event: InboundEvent,
  message: InboundMessage,
): Promise<number | undefined> {
  const store = new ConversationStore(tx);
  const conversation = await store.findOrCreate(message.channel, message.channelUserId);
  // The person's latest messages, newest first (index on conversation_id, id).
  const recent = await tx
    .select({ at: messages.createdAt, meta: messages.meta })
    .from(messages)
    .where(and(eq(messages.conversationId, conversation.id), eq(messages.direction, 'in')))
    .orderBy(desc(messages.id))
    .limit(limit.perMinute);
  const oldest = recent[recent.length - 1];
  const flooding = recent.length >= limit.perMinute && oldest !== undefined && message.receivedAt.getTime() - oldest.at.getTime() < WINDOW_MS;
  if (!flooding) return undefined;

  const messageId = await store.saveInbound(conversation.id, {
    text: message.text?.normalize('NFC').trim(),
    payload: message.payload,
    platformMessageId: message.platformMessageId,
    at: message.receivedAt,
  });
  if (messageId === null) return 0; // a redelivery of a message stored before
  await tx.update(messages).set({ meta: { throttled: true } }).where(eq(messages.id, messageId));
  await store.update(conversation.id, { context: conversation.context, lastMessageAt: message.receivedAt });

  const noticed = recent.some((m) => (m.meta as { throttled?: unknown } | null)?.throttled === true);
  // An official who took the conversation over answers it; the bot says nothing, notice included.
  if (noticed || conversation.status === 'human') return 0;
  const notice = { text: limit.i18n.t('limits.senderThrottled') };
  await store.saveReplies(conversation.id, [notice], { intent: null, score: null, procedure: null });
  return enqueueOutbound(
    tx,
    [
      {
        dedupeKey: `reply:${eventId}:0`,
        channel: event.channel,
        recipient: { userId: event.channelUserId },
        content: { type: 'reply' as const, reply: notice },
        purpose: 'reply' as const,
      },
    ],
    { conversationId: conversation.id },
  );
}
