/**
 * Zalo traffic for the reliability tests' process clusters (support/processes.ts runs the
 * processes): the environment that points every process at one fake Zalo, the signed webhooks the
 * platform would send (and what each got back), and what reached the fake platform, traced back to
 * the outbox row and inbound event it answered.
 */
import type { Database } from '../../../src/db';
import { ZALO_KEYS, zaloEnv } from '../../support/zalo-app';
import { signZaloWebhook, zaloTextEvent, type FakeZalo } from '../../fakes/zalo';
import type { AppProcess } from './processes';

/** What every process of a cluster gets besides its role: one database, the fake Zalo, `extra`. */
export function clusterEnv(opts: { databaseUrl: string; fake: FakeZalo; extra?: Record<string, string> }): Record<string, string> {
  // A load test's simulated people write far faster than the per-sender flood limit allows (their
  // excess would be stored as `throttled`, unanswered by design): these tests are about the database
  // and processes, so the limit is lifted.
  return { NODE_ENV: 'test', DATABASE_URL: opts.databaseUrl, SENDER_RATE_PER_MINUTE: '100000', ...zaloEnv(opts.fake), ...opts.extra };
}

/** What one webhook delivery got: an HTTP status, or the transport error (refused, reset, timeout). */
export interface WebhookOutcome {
  msgId: string;
  userId: string;
  text: string;
  /** The web process it was sent to. */
  via: string;
  status?: number;
  error?: string;
  /** From sending to the answer (or the error), for the figures a test prints. */
  ms: number;
}

/** Whether the platform would consider the event delivered (Zalo: any 2xx; otherwise it retries). */
export const acknowledged = (o: WebhookOutcome) => o.status !== undefined && o.status >= 200 && o.status < 300;

/** "p50 120 ms, max 900 ms" of the outcomes' answer times (printed, never asserted). */
export function latencySummary(outcomes: WebhookOutcome[]): string {
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  return `answer time p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${ms[ms.length - 1] ?? 0} ms`;
}

/**
 * Posts one signed `user_send_text` webhook, as Zalo would, and records the outcome (never throws).
 * `timeoutMs` only bounds a hung request: how fast the answer comes is not what these tests judge.
 */
export async function sendZaloText(web: AppProcess, event: { userId: string; text: string; msgId: string }, timeoutMs = 120_000): Promise<WebhookOutcome> {
  if (!web.baseUrl) throw new Error(`${web.name} has no HTTP port (role ${web.role})`);
  const signed = signZaloWebhook(zaloTextEvent({ appId: ZALO_KEYS.appId, ...event }), ZALO_KEYS);
  const base = { ...event, via: web.name };
  const started = Date.now();
  try {
    const res = await fetch(`${web.baseUrl}/webhooks/zalo`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.rawBody,
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return { ...base, status: res.status, ms: Date.now() - started };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { ...base, error: cause ?? (err as Error).name, ms: Date.now() - started };
  }
}

/** One message that reached the fake Zalo, traced to the outbox row that sent it and the event it answered. */
export interface TracedDelivery {
  /** Position in the fake's arrival order (CS messages only). */
  arrival: number;
  userId: string;
  messageId: string;
  outboxId?: number;
  dedupeKey?: string;
  /** From `reply:<inbound event id>:<reply index>` keys (src/conversation/processor.ts). */
  inboundEventId?: number;
  replyIndex?: number;
  /** Which CS message of the reply this is (a long reply is several). */
  piece?: number;
}

/**
 * The CS messages the fake received, in arrival order, each traced through the outbox: the sender
 * records the id the platform gave each piece (comma-separated) in `platform_message_id`, so a
 * message the fake received that no sent row claims was a second send of something.
 */
export async function traceDeliveries(database: Database, fake: FakeZalo): Promise<TracedDelivery[]> {
  const rows = await database.query<{ id: string | number; dedupe_key: string; platform_message_id: string | null }>(
    "select id, dedupe_key, platform_message_id from outbox where channel = 'zalo' and platform_message_id is not null",
  );
  const byMessageId = new Map<string, { outboxId: number; dedupeKey: string; piece: number }>();
  for (const r of rows) {
    (r.platform_message_id ?? '').split(',').forEach((id, piece) => byMessageId.set(id, { outboxId: Number(r.id), dedupeKey: r.dedupe_key, piece }));
  }
  return fake.received
    .filter((m) => m.kind === 'cs')
    .map((m, arrival) => {
      const row = byMessageId.get(m.messageId);
      const reply = row ? /^reply:(\d+):(\d+)$/.exec(row.dedupeKey) : null;
      return {
        arrival,
        userId: String((m.body as { recipient?: { user_id?: unknown } }).recipient?.user_id),
        messageId: m.messageId,
        ...(row ? { outboxId: row.outboxId, dedupeKey: row.dedupeKey, piece: row.piece } : {}),
        ...(reply ? { inboundEventId: Number(reply[1]), replyIndex: Number(reply[2]) } : {}),
      };
    });
}
