/**
 * One person with every kind of data we store about people, written straight into the tables, so
 * the retention and erasure tests (and the console's) can check each kind is exported, kept or
 * erased. Every personal value contains the person's `tag`, so "nothing of this person is left" is
 * one search through a table dump.
 */
import { and, eq, sql } from 'drizzle-orm';
import { tables, type Db } from '../../src/db';

const t = tables;

export interface SeedOptions {
  channel?: 'zalo' | 'messenger' | 'webchat';
  /** The chat id; also the marker searched for. */
  userId: string;
  /** 0… form, unique per person in a test. */
  phone: string;
  /** When everything happened (chat, events, outbox). */
  at: Date;
  /** Licence number; a licence is created, linked to the chat, expiring `licenceExpiresOn`. */
  licenceNumber?: string;
  licenceExpiresOn?: string;
  /** A booking from this chat starting then (omit: none). */
  bookingStartsAt?: Date;
  /** Conversation status (an open hand-over is 'waiting_human' or 'human'). */
  status?: 'bot' | 'waiting_human' | 'human';
  /** The contact's follow state (default: following). */
  following?: boolean | null;
}

export interface SeededPerson {
  channel: string;
  userId: string;
  phone: string;
  name: string;
  conversationId: string;
  licenceId?: string;
  bookingId?: string;
  broadcastId: string;
  /** Outbox keys of its sent reply, its waiting reply and its ZNS message (like real keys, without the chat id). */
  keys: { sent: string; pending: string; zns: string };
}

let counter = 0;

async function appraiser(db: Db): Promise<string> {
  const [row] = await db
    .insert(t.appraisers)
    .values({ name: 'Thẩm định viên thử', procedures: ['buon-ban-thuoc-bvtv'], workingHours: [{ days: [1, 2, 3, 4, 5], start: '07:30', end: '17:00' }] })
    .returning({ id: t.appraisers.id });
  return row!.id;
}

/** Writes one person's data into every table that holds data about people. */
export async function seedPerson(db: Db, o: SeedOptions): Promise<SeededPerson> {
  counter += 1;
  const channel = o.channel ?? 'zalo';
  const { userId, phone, at } = o;
  const name = `Nguyễn Văn ${userId}`;
  await db.insert(t.channelContacts).values({ channel, channelUserId: userId, displayName: name, phone, address: `Thôn ${userId}`, following: o.following === undefined ? true : o.following, lastInboundAt: at, updatedAt: at });
  const [conversation] = await db
    .insert(t.conversations)
    .values({ channel, channelUserId: userId, status: o.status ?? 'bot', context: { procedure: 'attp', booking: { businessName: name, phone } }, lastMessageAt: at, createdAt: at, handoffRequestedAt: o.status && o.status !== 'bot' ? at : null })
    .returning({ id: t.conversations.id });
  const conversationId = conversation!.id;
  await db.insert(t.messages).values([
    { conversationId, direction: 'in', text: `Tôi là ${name}, số ${phone}`, platformMessageId: `mid-${userId}-1`, intent: 'procedure.fee', score: 0.9, procedure: 'attp', createdAt: at },
    { conversationId, direction: 'out', text: `Dạ, chào ${name}`, intent: 'procedure.fee', procedure: 'attp', meta: { quickReplies: [{ title: name, payload: `P:${userId}` }] }, createdAt: at },
    { conversationId, direction: 'in', payload: `PAY:${userId}`, platformMessageId: `mid-${userId}-2`, intent: 'greeting', score: 1, createdAt: at },
  ]);
  await db.insert(t.feedback).values({ conversationId, rating: 4, comment: `Cảm ơn, ${name}`, procedure: 'attp', createdAt: at });
  await db.insert(t.inboundEvents).values({
    channel,
    channelUserId: userId,
    platformEventId: `ev-${userId}`,
    kind: 'message',
    event: { kind: 'message', channelUserId: userId, text: `Tôi là ${name}` },
    occurredAt: at,
    receivedAt: at,
    status: 'done',
  });
  const keys = { sent: `reply:${counter}:0`, pending: `reply:${counter}:1`, zns: `licence-code:${counter}` };
  await db.insert(t.outbox).values([
    { dedupeKey: keys.sent, channel, recipient: { userId }, content: { type: 'reply', reply: { text: `Dạ, chào ${name}` } }, purpose: 'reply', conversationId, status: 'sent', createdAt: at, sentAt: at },
    { dedupeKey: keys.pending, channel, recipient: { userId }, content: { type: 'reply', reply: { text: `Chờ gửi ${name}` } }, purpose: 'reply', conversationId, status: 'pending', createdAt: at },
    { dedupeKey: keys.zns, channel: 'zalo', recipient: { phone }, content: { type: 'template', templateId: 't1', data: { customer_name: name } }, purpose: 'reminder', status: 'sent', createdAt: at, sentAt: at },
  ]);
  const [broadcast] = await db
    .insert(t.broadcasts)
    .values({ title: `Thông báo ${counter}`, text: 'Lịch tiếp dân', segment: { kind: 'followers', channel: 'all' }, status: 'done', recipientCount: 1, createdAt: at, startedAt: at, finishedAt: at })
    .returning({ id: t.broadcasts.id });
  const broadcastId = broadcast!.id;
  await db.insert(t.broadcastRecipients).values({ broadcastId, channel, channelUserId: userId, status: 'queued', queuedAt: at });
  await db.insert(t.outbox).values({
    dedupeKey: `broadcast:${broadcastId}:${channel}:${userId}`,
    channel,
    recipient: { userId },
    content: { type: 'reply', reply: { text: 'Lịch tiếp dân' } },
    purpose: 'broadcast',
    status: 'sent',
    createdAt: at,
    sentAt: at,
  });
  await db.insert(t.broadcastOptOuts).values({ channel, channelUserId: userId, at });

  let licenceId: string | undefined;
  if (o.licenceNumber) {
    const [licence] = await db
      .insert(t.licences)
      .values({ number: o.licenceNumber, procedureSlug: 'buon-ban-thuoc-bvtv', holderName: name, phone, address: `Thôn ${userId}`, expiresOn: o.licenceExpiresOn ?? '2030-01-01', source: 'import', createdAt: at })
      .returning({ id: t.licences.id });
    licenceId = licence!.id;
    await db.insert(t.licenceLinks).values({ licenceId, channel, channelUserId: userId, verifiedBy: 'code', verifiedAt: at });
    await db.insert(t.licenceLinkCodes).values({ licenceId, channel, channelUserId: userId, codeHash: `hash-${userId}`, expiresAt: at, createdAt: at });
    await db.insert(t.licenceReminders).values({
      licenceId,
      expiresOn: o.licenceExpiresOn ?? '2030-01-01',
      step: 30,
      dueOn: '2029-12-02',
      status: 'queued',
      deliveries: [{ channel, dedupeKey: `licence:${licenceId}:expiry:2030-01-01:30:${channel}:${userId}` }],
      note: `${channel}:${userId}: outside the window`,
    });
  }

  let bookingId: string | undefined;
  if (o.bookingStartsAt) {
    const start = o.bookingStartsAt;
    const end = new Date(start.getTime() + 30 * 60_000);
    const [booking] = await db
      .insert(t.appraisalBookings)
      .values({
        code: `TĐ-${String(counter).padStart(6, '0')}`,
        procedureSlug: 'buon-ban-thuoc-bvtv',
        appraiserId: await appraiser(db),
        startsAt: start,
        endsAt: end,
        blockedUntil: end,
        businessName: `Cửa hàng ${name}`,
        address: `Thôn ${userId}`,
        phone,
        channel,
        channelUserId: userId,
        source: 'chat',
        licenceId: licenceId ?? null,
        createdAt: at,
      })
      .returning({ id: t.appraisalBookings.id });
    bookingId = booking!.id;
  }
  return { channel, userId, phone, name, conversationId, licenceId, bookingId, broadcastId, keys };
}

/** Every row of the tables that hold people's data, as one JSON text (to search for a marker). */
export async function dumpPersonalTables(db: Db): Promise<string> {
  const names = [
    'channel_contacts',
    'conversations',
    'messages',
    'feedback',
    'inbound_events',
    'outbox',
    'licence_links',
    'licence_link_codes',
    'licence_reminders',
    'broadcast_recipients',
    'broadcast_opt_outs',
    'appraisal_bookings',
  ];
  const parts: unknown[] = [];
  for (const name of names) {
    const result = (await db.execute(sql.raw(`select * from ${name}`))) as unknown as { rows: unknown[] };
    parts.push({ [name]: result.rows });
  }
  return JSON.stringify(parts);
}

/** The conversation row of a chat identity (undefined once pseudonymised). */
export async function conversationOf(db: Db, channel: string, userId: string) {
  const [row] = await db
    .select()
    .from(t.conversations)
    .where(and(eq(t.conversations.channel, channel), eq(t.conversations.channelUserId, userId)));
  return row;
}

/** Row counts of the tables analytics and the delivery summaries count. */
export async function countedRows(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const name of ['conversations', 'messages', 'feedback', 'broadcast_recipients']) {
    const result = (await db.execute(sql.raw(`select count(*)::int as n from ${name}`))) as unknown as { rows: { n: number }[] };
    out[name] = Number(result.rows[0]?.n ?? 0);
  }
  return out;
}
