/**
 * Chat identities and the phones they are known to hold. A phone is "known" for an identity when the
 * platform itself gave it to us (Zalo `user_submit_info`, stored in channel_contacts) or when the
 * identity was already verified to hold a licence registered under that phone. Typed phones prove
 * nothing: anyone can type anyone's number.
 */
import { and, desc, eq, ne, or, sql } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import type { Channel } from '../../channels/types';
import { CS_WINDOW_MS } from '../../channels/zalo';
import { STANDARD_WINDOW_MS } from '../../channels/messenger';

const { channelContacts, licenceLinks, licences } = tables;

/** One person on one channel. */
export interface ChatIdentity {
  channel: Channel;
  channelUserId: string;
}

/** The phone the platform confirmed for this identity (0… form), if any. */
export async function sharedPhoneOf(db: Db, who: ChatIdentity): Promise<string | undefined> {
  const [row] = await db
    .select({ phone: channelContacts.phone })
    .from(channelContacts)
    .where(and(eq(channelContacts.channel, who.channel), eq(channelContacts.channelUserId, who.channelUserId)));
  return row?.phone ?? undefined;
}

/**
 * How long after a person's last message each channel still lets us write to them (the channel
 * policies' windows). The web chat cannot be written to at all: its replies ride on the person's
 * own requests, so it never receives a code.
 */
const REACHABLE_FOR_MS: Partial<Record<Channel, number>> = { zalo: CS_WINDOW_MS, messenger: STANDARD_WINDOW_MS };

/**
 * Identities other than `asker` known to hold `phone` that a message can reach now, the most
 * recently active first: those that shared the phone through the platform, and those verified
 * for a licence registered under it.
 */
export async function reachableHoldersOfPhone(db: Db, phone: string, asker: ChatIdentity, now: Date): Promise<ChatIdentity[]> {
  const linkedToPhone = db
    .select({ channel: licenceLinks.channel, channelUserId: licenceLinks.channelUserId })
    .from(licenceLinks)
    .innerJoin(licences, eq(licences.id, licenceLinks.licenceId))
    .where(eq(licences.phone, phone));
  const rows = await db
    .select({ channel: channelContacts.channel, channelUserId: channelContacts.channelUserId, lastInboundAt: channelContacts.lastInboundAt })
    .from(channelContacts)
    .where(
      and(
        or(eq(channelContacts.phone, phone), sql`(${channelContacts.channel}, ${channelContacts.channelUserId}) in (${linkedToPhone})`),
        sql`${channelContacts.following} is not false`,
        or(ne(channelContacts.channel, asker.channel), ne(channelContacts.channelUserId, asker.channelUserId)),
      ),
    )
    .orderBy(desc(channelContacts.lastInboundAt));
  return rows
    .filter((r) => {
      const windowMs = REACHABLE_FOR_MS[r.channel as Channel];
      return windowMs !== undefined && r.lastInboundAt !== null && now.getTime() - r.lastInboundAt.getTime() <= windowMs;
    })
    .map((r) => ({ channel: r.channel as Channel, channelUserId: r.channelUserId }));
}
