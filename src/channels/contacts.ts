/**
 * What we know of each person on each channel: when they last wrote (it opens the platform's
 * messaging window), whether they still follow us, and the phone they shared (Zalo
 * `user_submit_info`), which ZNS and reminder matching need.
 */
import { and, eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../db';
import type { Channel, InboundEvent, RecipientFacts } from './types';

const { channelContacts } = tables;

/** Updates the person's record from an inbound event (inside the event's processing transaction). */
export async function recordContactEvent(db: Db, event: InboundEvent): Promise<void> {
  const personActed = event.kind === 'message' || event.kind === 'media' || event.kind === 'referral' || event.kind === 'contact' || event.kind === 'follow';
  const values = {
    channel: event.channel,
    channelUserId: event.channelUserId,
    lastInboundAt: personActed ? event.occurredAt : null,
    following: event.kind === 'follow' ? true : event.kind === 'unfollow' ? false : null,
    displayName: event.kind === 'contact' ? event.name ?? null : null,
    phone: event.kind === 'contact' ? event.phone ?? null : null,
    address: event.kind === 'contact' ? event.address ?? null : null,
  };
  await db
    .insert(channelContacts)
    .values({ ...values, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [channelContacts.channel, channelContacts.channelUserId],
      set: {
        // Never move the window backwards when events arrive out of order.
        lastInboundAt: sql`greatest(${channelContacts.lastInboundAt}, excluded.last_inbound_at)`,
        following: sql`coalesce(excluded.following, ${channelContacts.following})`,
        displayName: sql`coalesce(excluded.display_name, ${channelContacts.displayName})`,
        phone: sql`coalesce(excluded.phone, ${channelContacts.phone})`,
        address: sql`coalesce(excluded.address, ${channelContacts.address})`,
        updatedAt: sql`now()`,
      },
    });
}

/** The facts a channel policy needs about a recipient. */
export async function recipientFacts(db: Db, channel: Channel, userId: string | undefined): Promise<RecipientFacts> {
  if (!userId) return {};
  const [row] = await db
    .select()
    .from(channelContacts)
    .where(and(eq(channelContacts.channel, channel), eq(channelContacts.channelUserId, userId)));
  if (!row) return {};
  return {
    lastInboundAt: row.lastInboundAt ?? undefined,
    phone: row.phone ?? undefined,
    following: row.following ?? undefined,
  };
}
