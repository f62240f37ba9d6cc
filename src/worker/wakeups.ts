/**
 * Wake-ups between processes on PostgreSQL (LISTEN/NOTIFY). A web process stores a webhook's events
 * (or an official's reply) and acknowledges; the worker that will answer learns of it by polling
 * every second, which made a first reply half a second slower, on average, when web and worker are
 * separate processes than in one. With a wake-up the worker starts at once.
 *
 * Polling stays: a wake-up is only a hint. A NOTIFY lost with a connection, or sent while no worker
 * listened, costs at most the poll interval, never a message — the work itself is in the tables.
 */
import { Client } from 'pg';
import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import type { Logger } from '../logger';

/** What a worker may be woken for: new inbound events, new outbox messages. */
export type WakeupTopic = 'inbound' | 'outbox';

const CHANNELS: Record<WakeupTopic, string> = { inbound: 'tlmc_inbound', outbox: 'tlmc_outbox' };
/**
 * The PostgreSQL channel of a topic, for a statement that NOTIFYs as part of its own work (the
 * webhooks' insert does, see src/channels/inbound/store.ts).
 */
export function wakeupChannel(topic: WakeupTopic): string {
  return CHANNELS[topic];
}

const TOPIC_OF_CHANNEL = new Map(Object.entries(CHANNELS).map(([topic, channel]) => [channel, topic as WakeupTopic]));

/**
 * A function that wakes the workers listening for `topic`. Calls made while a NOTIFY is in flight
 * are folded into one more after it: a webhook burst costs a few NOTIFYs, not one per request, and
 * a wake-up asked for after the last insert always goes out after it.
 */
export function wakeupNotifier(db: Db, topic: WakeupTopic, logger: Logger): () => void {
  let inFlight = false;
  let again = false;
  const send = () => {
    inFlight = true;
    again = false;
    db.execute(sql`select pg_notify(${wakeupChannel(topic)}, '')`)
      .catch((err: unknown) => logger.warn({ err, topic }, 'wake-up not sent: workers find the work on their next poll'))
      .finally(() => {
        inFlight = false;
        if (again) send();
      });
  };
  return () => {
    if (inFlight) again = true;
    else send();
  };
}

export interface WakeupListener {
  /** True while LISTENing (for tests and health). */
  readonly listening: boolean;
  stop(): Promise<void>;
}

export interface WakeupListenerOptions {
  /** Reconnection backoff: first wait and cap (ms). */
  firstRetryMs?: number;
  maxRetryMs?: number;
}

/**
 * LISTENs for wake-ups on a connection of its own (a pooled one may be handed to anyone) and calls
 * the topic's handler for each. On losing the connection (a server restart) it reconnects with
 * backoff; on every (re)connection it calls every handler once, since work may have arrived while
 * nobody listened.
 */
export function listenForWakeups(
  databaseUrl: string,
  handlers: Record<WakeupTopic, () => void>,
  logger: Logger,
  options: WakeupListenerOptions = {},
): WakeupListener {
  const firstRetryMs = options.firstRetryMs ?? 500;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  let client: Client | undefined;
  let stopped = false;
  let listening = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped) return;
    const c = new Client({ connectionString: databaseUrl });
    client = c;
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      listening = false;
      c.removeAllListeners('notification');
      c.end().catch(() => undefined);
      if (stopped) return;
      const wait = Math.min(maxRetryMs, firstRetryMs * 2 ** failures);
      failures += 1;
      logger.warn({ err, retryInMs: wait }, 'wake-up listener lost its connection: reconnecting (polling goes on meanwhile)');
      retry = setTimeout(() => void connect(), wait);
      retry.unref();
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    c.on('notification', (msg) => {
      const topic = TOPIC_OF_CHANNEL.get(msg.channel);
      if (topic) handlers[topic]();
    });
    try {
      await c.connect();
      await c.query(Object.values(CHANNELS).map((channel) => `listen ${channel}`).join('; '));
    } catch (err) {
      onLost(err);
      return;
    }
    if (lost) return;
    listening = true;
    failures = 0;
    for (const handler of Object.values(handlers)) handler();
  };

  void connect();
  return {
    get listening() {
      return listening;
    },
    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      listening = false;
      await client?.end().catch(() => undefined);
    },
  };
}
