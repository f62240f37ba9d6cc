/**
 * What an official does to a conversation: claim it, reply, hand it back to the bot. Each action is
 * one transaction that locks the conversation row, checks who holds it, changes it and writes the
 * audit entry, so two officials acting at once cannot both succeed and nothing is half-done.
 */
import { and, eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import { enqueueOutbound } from '../../outbox';
import type { AdminKit, Official } from '../kit';
import type { ConversationStatus } from './store';

const { conversations, messages } = tables;

export type ClaimResult = { ok: true } | { ok: false; reason: 'not_found' | 'taken' | 'not_waiting' };
export type ReplyResult =
  | { ok: true; messageId: number; queued: boolean; duplicate: boolean; channel: string }
  | { ok: false; reason: 'not_found' | 'not_holder' };
export type ReleaseResult = { ok: true } | { ok: false; reason: 'not_found' | 'not_holder' | 'not_handed_over' };

interface Locked {
  id: string;
  channel: string;
  channelUserId: string;
  status: ConversationStatus;
  assignedOfficialId: string | null;
}

/** The conversation row, locked until the transaction ends (a second official's action waits here). */
async function lock(tx: Db, id: string): Promise<Locked | undefined> {
  const [row] = await tx
    .select({
      id: conversations.id,
      channel: conversations.channel,
      channelUserId: conversations.channelUserId,
      status: conversations.status,
      assignedOfficialId: conversations.assignedOfficialId,
    })
    .from(conversations)
    .where(eq(conversations.id, id))
    .for('update');
  return row;
}

const holder = (c: Locked) => ({ status: c.status, assignedOfficialId: c.assignedOfficialId });

/**
 * Takes the conversation: only one waiting for an official (or taken and left unassigned). The
 * update repeats the condition, so even without the row lock a second claim could not overwrite
 * the first.
 */
export async function claimConversation(db: Db, kit: AdminKit, id: string, official: Official): Promise<ClaimResult> {
  return db.transaction(async (tx) => {
    const c = await lock(tx, id);
    if (!c) return { ok: false, reason: 'not_found' };
    const claimable = c.status === 'waiting_human' || (c.status === 'human' && c.assignedOfficialId === null);
    if (!claimable) return { ok: false, reason: c.status === 'human' ? 'taken' : 'not_waiting' };
    const updated = await tx
      .update(conversations)
      .set({ status: 'human', assignedOfficialId: official.id, claimedAt: sql`now()` })
      .where(
        and(
          eq(conversations.id, id),
          sql`(${conversations.status} = 'waiting_human' or (${conversations.status} = 'human' and ${conversations.assignedOfficialId} is null))`,
        ),
      )
      .returning({ id: conversations.id });
    if (updated.length === 0) return { ok: false, reason: 'taken' };
    await kit.audit(tx, {
      officialId: official.id,
      action: 'conversation.claim',
      entity: 'conversation',
      entityId: id,
      before: holder(c),
      after: { status: 'human', assignedOfficialId: official.id },
    });
    return { ok: true };
  });
}

/**
 * The holder's reply: stored as an outbound message by the official, time to first human reply
 * recorded once per hand-over, and — on Zalo and Messenger — queued in the outbox as a
 * `human_reply`, whose channel policy picks the way (Messenger HUMAN_AGENT after 24 h, Zalo CS
 * rules). The web chat needs no outbox row: the person's page fetches official replies.
 * `formNonce` makes a double-submitted form store and send the reply once.
 */
export async function replyToConversation(
  db: Db,
  kit: AdminKit,
  id: string,
  official: Official,
  text: string,
  formNonce: string,
): Promise<ReplyResult> {
  return db.transaction(async (tx) => {
    const c = await lock(tx, id);
    if (!c) return { ok: false, reason: 'not_found' };
    if (c.status !== 'human' || c.assignedOfficialId !== official.id) return { ok: false, reason: 'not_holder' };
    const [seen] = await tx
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.conversationId, id), sql`${messages.meta}->>'formNonce' = ${formNonce}`));
    if (seen) return { ok: true, messageId: seen.id, queued: false, duplicate: true, channel: c.channel };
    const [stored] = await tx
      .insert(messages)
      .values({ conversationId: id, direction: 'out', author: 'official', officialId: official.id, text, meta: { formNonce } })
      .returning({ id: messages.id });
    if (!stored) throw new Error('official reply not stored');
    // A later hand-over (after the bot got the conversation back) measures its own first reply.
    await tx
      .update(conversations)
      .set({
        firstHumanReplyAt: sql`case when ${conversations.firstHumanReplyAt} is null
          or ${conversations.firstHumanReplyAt} < ${conversations.handoffRequestedAt} then now()
          else ${conversations.firstHumanReplyAt} end`,
      })
      .where(eq(conversations.id, id));
    let queued = false;
    if (c.channel === 'zalo' || c.channel === 'messenger') {
      const added = await enqueueOutbound(
        tx,
        [
          {
            dedupeKey: `human:${stored.id}`,
            channel: c.channel,
            recipient: { userId: c.channelUserId },
            content: { type: 'reply', reply: { text } },
            purpose: 'human_reply',
          },
        ],
        { conversationId: id },
      );
      queued = added > 0;
    }
    await kit.audit(tx, {
      officialId: official.id,
      action: 'conversation.reply',
      entity: 'conversation',
      entityId: id,
      after: { messageId: stored.id, text, queued },
    });
    return { ok: true, messageId: stored.id, queued, duplicate: false, channel: c.channel };
  });
}

/**
 * Hands the conversation back to the bot (status bot, nobody assigned, hand-over reason cleared):
 * the next message gets a bot answer. Allowed to the holder, to anyone for a conversation still
 * waiting (the request needs no official after all), and to an admin for any hand-over (an official
 * who left for the day).
 */
export async function releaseConversation(db: Db, kit: AdminKit, id: string, official: Official): Promise<ReleaseResult> {
  return db.transaction(async (tx) => {
    const c = await lock(tx, id);
    if (!c) return { ok: false, reason: 'not_found' };
    if (c.status === 'bot') return { ok: false, reason: 'not_handed_over' };
    const mayRelease =
      c.status === 'waiting_human' || c.assignedOfficialId === null || c.assignedOfficialId === official.id || official.role === 'admin';
    if (!mayRelease) return { ok: false, reason: 'not_holder' };
    await tx
      .update(conversations)
      .set({ status: 'bot', assignedOfficialId: null, claimedAt: null, context: sql`${conversations.context} - 'handoffReason'` })
      .where(eq(conversations.id, id));
    await kit.audit(tx, {
      officialId: official.id,
      action: 'conversation.release',
      entity: 'conversation',
      entityId: id,
      before: holder(c),
      after: { status: 'bot', assignedOfficialId: null },
    });
    return { ok: true };
  });
}
