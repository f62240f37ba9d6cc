/** Persistence of conversations, their messages (in and out, with intent and score) and ratings. */
import { and, eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../db';
import { readContext, type ConversationContext } from './context';
import type { Channel, Reply } from './types';

const { conversations, messages, feedback } = tables;

export interface ConversationRecord {
  id: string;
  channel: Channel;
  channelUserId: string;
  status: 'bot' | 'waiting_human' | 'human';
  context: ConversationContext;
  lastMessageAt: Date;
}

export interface Understood {
  intent: string | null;
  score: number | null;
  procedure: string | null;
}

export class ConversationStore {
  constructor(private readonly db: Db) {}

  /** The person's conversation on that channel, created on first contact. */
  async findOrCreate(channel: Channel, channelUserId: string): Promise<ConversationRecord> {
    await this.db.insert(conversations).values({ channel, channelUserId }).onConflictDoNothing();
    const [row] = await this.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.channel, channel), eq(conversations.channelUserId, channelUserId)));
    if (!row) throw new Error('conversation vanished right after it was created');
    return {
      id: row.id,
      channel: row.channel as Channel,
      channelUserId: row.channelUserId,
      status: row.status,
      context: readContext(row.context),
      lastMessageAt: row.lastMessageAt,
    };
  }

  /**
   * Stores an inbound message. Returns its id, or null when the platform id was seen before
   * (a redelivery: it must not be answered twice).
   */
  async saveInbound(
    conversationId: string,
    msg: { text?: string; payload?: string; platformMessageId?: string; at: Date },
  ): Promise<number | null> {
    const rows = await this.db
      .insert(messages)
      .values({
        conversationId,
        direction: 'in',
        text: msg.text ?? null,
        payload: msg.payload ?? null,
        platformMessageId: msg.platformMessageId ?? null,
        createdAt: msg.at,
      })
      .onConflictDoNothing()
      .returning({ id: messages.id });
    return rows[0]?.id ?? null;
  }

  async recordUnderstanding(messageId: number, u: Understood): Promise<void> {
    await this.db
      .update(messages)
      .set({ intent: u.intent, score: u.score, procedure: u.procedure })
      .where(eq(messages.id, messageId));
  }

  async saveReplies(conversationId: string, replies: Reply[], u: Understood): Promise<void> {
    if (replies.length === 0) return;
    await this.db.insert(messages).values(
      replies.map((r) => ({
        conversationId,
        direction: 'out' as const,
        text: r.text,
        intent: u.intent,
        procedure: u.procedure,
        meta: r.quickReplies || r.buttons ? { quickReplies: r.quickReplies, buttons: r.buttons } : null,
      })),
    );
  }

  async update(
    id: string,
    change: { context: ConversationContext; lastMessageAt: Date; status?: ConversationRecord['status']; handoffAt?: Date },
  ): Promise<void> {
    await this.db
      .update(conversations)
      .set({
        context: change.context,
        lastMessageAt: change.lastMessageAt,
        ...(change.status ? { status: change.status } : {}),
        ...(change.handoffAt ? { handoffRequestedAt: change.handoffAt } : {}),
      })
      .where(eq(conversations.id, id));
  }

  async addRating(conversationId: string, rating: number, procedure: string | undefined): Promise<number> {
    const [row] = await this.db
      .insert(feedback)
      .values({ conversationId, rating, procedure: procedure ?? null })
      .returning({ id: feedback.id });
    if (!row) throw new Error('rating not stored');
    return row.id;
  }

  async addRatingComment(feedbackId: number, comment: string): Promise<void> {
    await this.db
      .update(feedback)
      .set({ comment, commentedAt: sql`now()` })
      .where(eq(feedback.id, feedbackId));
  }
}
