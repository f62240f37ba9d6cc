/**
 * People for broadcast tests, written straight into the tables the segments read: chat contacts,
 * licences with verified links, questions about procedures, opt-outs. Also an outbox worker on
 * recording channels that apply the real Zalo and Messenger policies at a fixed moment.
 */
import path from 'node:path';
import { tables, type Db } from '../../src/db';
import { loadTranslator } from '../../src/i18n';
import { createLogger } from '../../src/logger';
import { OutboxWorker } from '../../src/outbox';
import { createZaloPolicy } from '../../src/channels/zalo';
import { MessengerPolicy } from '../../src/channels/messenger';
import type { ChannelPolicy } from '../../src/channels/types';
import { recordingChannel, type RecordingChannel } from '../support/test-channel';

export const i18n = loadTranslator(path.resolve(__dirname, '../../locales'));

/** Monday 23/11/2026 10:00 in Vietnam: office hours, no quiet-hours wait. */
export const T0 = new Date('2026-11-23T03:00:00Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** `hour`:00 Vietnam time on a day after tomorrow (real clock): for waits the outbox must really keep. */
export function futureVietnamTime(hour: number): Date {
  const localMidnight = Math.floor((Date.now() + 7 * HOUR) / DAY) * DAY;
  return new Date(localMidnight + 2 * DAY + hour * HOUR - 7 * HOUR);
}

type Channel = 'zalo' | 'messenger' | 'webchat';

export async function addContact(
  db: Db,
  channel: Channel,
  userId: string,
  opts: { following?: boolean | null; lastInboundAt?: Date | null; address?: string; name?: string } = {},
): Promise<void> {
  await db.insert(tables.channelContacts).values({
    channel,
    channelUserId: userId,
    following: opts.following === undefined ? (channel === 'zalo' ? true : null) : opts.following,
    lastInboundAt: opts.lastInboundAt === undefined ? new Date(T0.getTime() - HOUR) : opts.lastInboundAt,
    address: opts.address ?? null,
    displayName: opts.name ?? null,
  });
}

let licenceCounter = 0;

/** A licence of `procedure` linked (verified) to each identity; `unsubscribed` links are kept but inactive. */
export async function addLicence(
  db: Db,
  procedure: string,
  holders: { channel: Channel; userId: string; unsubscribed?: boolean }[],
  opts: { ward?: string } = {},
): Promise<string> {
  licenceCounter += 1;
  const [licence] = await db
    .insert(tables.licences)
    .values({ number: `${licenceCounter}/2026/GP`, procedureSlug: procedure, holderName: `Cơ sở ${licenceCounter}`, expiresOn: '2027-12-31', source: 'import', ward: opts.ward ?? null })
    .returning({ id: tables.licences.id });
  for (const h of holders) {
    await db.insert(tables.licenceLinks).values({
      licenceId: licence!.id,
      channel: h.channel,
      channelUserId: h.userId,
      verifiedBy: 'code',
      unsubscribedAt: h.unsubscribed ? T0 : null,
    });
  }
  return licence!.id;
}

/** The person asked something the NLU tied to `procedure`, at `at`. */
export async function askedAbout(db: Db, channel: Channel, userId: string, procedure: string, at: Date): Promise<void> {
  const existing = await db.select().from(tables.conversations);
  const conversation =
    existing.find((c) => c.channel === channel && c.channelUserId === userId) ??
    (await db.insert(tables.conversations).values({ channel, channelUserId: userId }).returning())[0]!;
  await db.insert(tables.messages).values({ conversationId: conversation.id, direction: 'in', text: 'hỏi thủ tục', procedure, createdAt: at });
}

export async function optOut(db: Db, channel: Channel, userId: string): Promise<void> {
  await db.insert(tables.broadcastOptOuts).values({ channel, channelUserId: userId });
}

export interface TestDelivery {
  worker: OutboxWorker;
  zalo: RecordingChannel;
  messenger: RecordingChannel;
  /** Every dedupe key the platforms received, in order. */
  sentKeys(): string[];
}

/**
 * An outbox worker whose channels record what they send. `policyAt` is the moment the policies
 * judge by: the real Zalo and Messenger policies when `realPolicies`, else "always send".
 */
export function testDelivery(db: Db, opts: { realPolicies?: boolean; policyAt?: Date } = {}): TestDelivery {
  const zalo = recordingChannel('zalo');
  const messenger = recordingChannel('messenger');
  messenger.decide = () => ({ action: 'send', mode: { via: 'messenger', messagingType: 'UPDATE' } });
  const at = opts.policyAt ?? T0;
  const real = (p: ChannelPolicy): ChannelPolicy => ({ decide: (m, facts) => p.decide(m, facts, at) });
  const worker = new OutboxWorker({
    db,
    channels: {
      zalo: { policy: opts.realPolicies ? real(createZaloPolicy()) : zalo.policy, sender: zalo.sender },
      messenger: { policy: opts.realPolicies ? real(new MessengerPolicy()) : messenger.policy, sender: messenger.sender },
    },
    logger: createLogger('silent'),
    ratePerMinute: {},
    maxAttempts: 3,
    // No worker clock: what is due is judged by the database's clock, as rows are queued with it.
    // The policies above judge by `at` instead.
  });
  return { worker, zalo, messenger, sentKeys: () => [...zalo.sent, ...messenger.sent].map((s) => s.message.dedupeKey) };
}
