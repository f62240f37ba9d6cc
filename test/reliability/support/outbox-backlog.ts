/**
 * A large outbox backlog of Zalo replies for reliability tests, queued through the real
 * `enqueueOutbound`, and the bookkeeping to check it: what the outbox says of each message and how
 * many times the fake Zalo accepted it. Plus the setting those tests share: a scratch PostgreSQL
 * database and a fake Zalo the app processes are pointed at.
 *
 * Every message has a unique text (`<prefix> #<n>`), so the fake's received list counts deliveries
 * per message. The recipients "wrote to the OA just now", so the Zalo policy lets the replies go out
 * as customer-service messages at any hour (a direct reply within 15 minutes of the person's message
 * is allowed during quiet hours too).
 */
import type { Database } from '../../../src/db';
import type { OutboundMessage } from '../../../src/channels/types';
import { enqueueOutbound } from '../../../src/outbox';
import { startFakeZalo, type FakeZalo } from '../../fakes/zalo';
import { ZALO_KEYS, zaloEnv } from '../../support/zalo-app';
import { scratchPostgres, stopAllAppProcesses, type ScratchPostgres } from './processes';

/** Rows per INSERT: 6 parameters each stays far below PostgreSQL's 65,535 per statement. */
const ENQUEUE_CHUNK = 1000;

export interface Backlog {
  prefix: string;
  messages: OutboundMessage[];
  /** Message text -> the Zalo user id it is for. */
  recipientOf: Map<string, string>;
}

/** The text of a backlog message. */
export const messageText = (m: OutboundMessage) => (m.content.type === 'reply' ? m.content.reply.text : '');

export interface ZaloOnPostgres {
  db: ScratchPostgres;
  fake: FakeZalo;
  /** DATABASE_URL and the Zalo channel's settings pointing at the fake (token pair included). */
  env: Record<string, string>;
  /** Kills the app processes still running, stops the fake, drops the database. */
  close(): Promise<void>;
}

/** A scratch PostgreSQL database and a fake Zalo with the app's first token pair. */
export async function zaloOnPostgres(): Promise<ZaloOnPostgres> {
  const db = await scratchPostgres();
  const fake = await startFakeZalo({ appId: ZALO_KEYS.appId, appSecret: ZALO_KEYS.appSecret, initialAccessToken: 'at-1', initialRefreshToken: 'rt-1' });
  return {
    db,
    fake,
    env: { DATABASE_URL: db.url, ...zaloEnv(fake) },
    async close() {
      await stopAllAppProcesses();
      await fake.close();
      await db.drop();
    },
  };
}

/**
 * `count` replies spread round-robin over `users` people (message n to user n mod users), so every
 * claimed batch holds many people and each person has a queue of messages to keep in order.
 */
export function zaloBacklog(prefix: string, count: number, users: number): Backlog {
  const messages: OutboundMessage[] = [];
  const recipientOf = new Map<string, string>();
  for (let n = 0; n < count; n++) {
    const userId = `${prefix}-user-${n % users}`;
    const text = `${prefix} #${n}`;
    messages.push({ dedupeKey: `${prefix}:${n}`, channel: 'zalo', recipient: { userId }, content: { type: 'reply', reply: { text } }, purpose: 'reply' });
    recipientOf.set(text, userId);
  }
  return { prefix, messages, recipientOf };
}

/** Records that the backlog's recipients wrote to the OA just now, then queues the backlog. */
export async function enqueueBacklog(database: Database, backlog: Backlog): Promise<void> {
  const users = [...new Set(backlog.recipientOf.values())];
  for (let i = 0; i < users.length; i += ENQUEUE_CHUNK) {
    const chunk = users.slice(i, i + ENQUEUE_CHUNK);
    await database.query(
      `insert into channel_contacts (channel, channel_user_id, last_inbound_at, following)
       select 'zalo', u, now(), true from unnest($1::text[]) as u`,
      [chunk],
    );
  }
  let queued = 0;
  for (let i = 0; i < backlog.messages.length; i += ENQUEUE_CHUNK) {
    queued += await enqueueOutbound(database.db, backlog.messages.slice(i, i + ENQUEUE_CHUNK));
  }
  if (queued !== backlog.messages.length) throw new Error(`queued ${queued} of ${backlog.messages.length} messages (dedupe keys already used?)`);
}

export interface OutboxRowState {
  text: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  failureReason: string | null;
}

/** The outbox rows of the backlog, by message text. */
export async function backlogRows(database: Database, backlog: Backlog): Promise<Map<string, OutboxRowState>> {
  const rows = await database.query<{ text: string; status: OutboxRowState['status']; attempts: number; failure_reason: string | null }>(
    `select content->'reply'->>'text' as text, status, attempts, failure_reason from outbox where dedupe_key like $1`,
    [`${backlog.prefix}:%`],
  );
  return new Map(rows.map((r) => [r.text, { text: r.text, status: r.status, attempts: Number(r.attempts), failureReason: r.failure_reason }]));
}

/** Backlog rows per status ("sent: 9000, pending: 1000"), for progress and failure messages. */
export async function backlogProgress(database: Database, backlog: Backlog): Promise<Record<string, number>> {
  const rows = await database.query<{ status: string; n: string }>(`select status, count(*) as n from outbox where dedupe_key like $1 group by status`, [
    `${backlog.prefix}:%`,
  ]);
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Waits until no backlog row is pending or sending; throws with the progress (and `context()`) if that takes longer than `ms`. */
export async function waitUntilSettled(database: Database, backlog: Backlog, ms: number, context: () => string = () => ''): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const progress = await backlogProgress(database, backlog);
    if (!progress.pending && !progress.sending) return;
    if (Date.now() > until) throw new Error(`backlog not settled within ${ms} ms: ${JSON.stringify(progress)}\n${context()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export interface Delivery {
  text: string;
  userId: string;
  at: Date;
}

/** The backlog's messages the fake accepted, in arrival order. */
export function deliveries(fake: FakeZalo, backlog: Backlog): Delivery[] {
  const out: Delivery[] = [];
  for (const r of fake.received) {
    const text: unknown = r.body?.message?.text;
    if (r.kind === 'cs' && typeof text === 'string' && backlog.recipientOf.has(text)) out.push({ text, userId: String(r.body.recipient.user_id), at: r.at });
  }
  return out;
}

/** How many times each text arrived. */
export function countByText(list: Delivery[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of list) counts.set(d.text, (counts.get(d.text) ?? 0) + 1);
  return counts;
}

/** The message number in a backlog text (`<prefix> #<n>`). */
export const messageNumber = (text: string) => Number(text.slice(text.lastIndexOf('#') + 1));
