/**
 * Delivers the outbox: claims due messages, asks the channel's policy whether and how each may go
 * out now, sends it, and records the outcome. Failures are classified by the channel (`SendError`):
 * transient ones retry with backoff, rate limits wait without counting as failures, permanent ones
 * end in a visible failed state with the reason.
 */
import type { Db } from '../db';
import type { Logger } from '../logger';
import { recipientFacts } from '../channels/contacts';
import { SendError, type Channel, type ChannelPolicy, type ChannelSender, type SendMode } from '../channels/types';
import { backoffMs } from './backoff';
import { RateLimiter } from './rate-limiter';
import { DrainLoop } from '../worker/drain-loop';
import { claimDue, markFailed, markRetry, markSent, type OutboxRow } from './store';

/** Longest a send waits in-process for our own rate limit before the row is re-scheduled instead. */
const MAX_PACING_WAIT_MS = 10_000;

export interface OutboxWorkerOptions {
  db: Db;
  channels: Partial<Record<Channel, { policy: ChannelPolicy; sender: ChannelSender }>>;
  logger: Logger;
  /** Sends per minute per channel (this process). */
  ratePerMinute: Partial<Record<Channel, number>>;
  /** Attempts before a transient failure becomes a permanent one. */
  maxAttempts: number;
  /** How long a claim lasts: a worker that dies mid-send frees its messages after this. */
  claimMs?: number;
  batchSize?: number;
  /** The worker's "now" for policy decisions, claims and what is due (default: real time / the database's). */
  clock?: () => Date;
}

export const describeMode = (mode: SendMode) =>
  mode.via === 'messenger' ? `messenger:${mode.messagingType}${mode.tag ? `:${mode.tag}` : ''}` : mode.via;

export class OutboxWorker {
  private readonly limiter: RateLimiter;
  private readonly loop: DrainLoop;

  constructor(private readonly opts: OutboxWorkerOptions) {
    this.limiter = new RateLimiter(opts.ratePerMinute as Record<string, number>);
    this.loop = new DrainLoop(() => this.drain(), opts.logger, 'outbox drain');
  }

  /** Sends what is due now; returns how many messages it handled (sent, re-scheduled or failed). */
  async drainOnce(): Promise<number> {
    const rows = await this.claim();
    await this.deliverAll(rows);
    return rows.length;
  }

  /**
   * Drains repeatedly until nothing is due (used after new work arrives, and by tests). The next
   * batch is claimed while the current one is being paced out, so the rate limit's send slots do not
   * sit idle during the claim query (slow on a large backlog). Safe for per-recipient order: a
   * recipient with a message still `sending` gets nothing more in the next claim.
   */
  async drain(): Promise<void> {
    let rows = await this.claim();
    while (rows.length > 0 && !this.loop.stopped) {
      const delivering = this.deliverAll(rows);
      const next = await this.claim().catch(async (err: unknown) => {
        await delivering;
        throw err;
      });
      await delivering;
      if (this.loop.stopped) {
        await this.release(next);
        return;
      }
      // Claimed too early for a recipient whose message was still going out: their next one is first now.
      rows = next.length > 0 ? next : await this.claim();
    }
  }

  private claim(): Promise<OutboxRow[]> {
    return claimDue(this.opts.db, this.opts.batchSize ?? 50, this.opts.claimMs ?? 60_000, this.opts.clock?.());
  }

  /** Different recipients in parallel; claimDue gives at most one message per recipient. */
  private async deliverAll(rows: readonly OutboxRow[]): Promise<void> {
    await Promise.all(rows.map((row) => this.deliver(row)));
  }

  /** Gives claimed but unsent rows back at once (stopping), instead of leaving them until the claim expires. */
  private async release(rows: readonly OutboxRow[]): Promise<void> {
    for (const row of rows) await markRetry(this.opts.db, row.id, this.opts.clock?.() ?? new Date(), 'worker stopped', false);
  }

  /** Polls every `intervalMs`; `nudge()` drains at once when new messages are enqueued. */
  start(intervalMs = 1000): void {
    this.loop.start(intervalMs);
  }

  nudge(): void {
    this.loop.nudge();
  }

  /** Stops polling and waits for the sends in progress to be recorded. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const { db, logger } = this.opts;
    const now = this.opts.clock?.() ?? new Date();
    const { message } = row;
    const channel = this.opts.channels[message.channel];
    if (!channel) {
      await markFailed(db, row.id, `channel ${message.channel} is not configured`);
      return;
    }
    const facts = await recipientFacts(db, message.channel, message.recipient.userId);
    const decision = channel.policy.decide(message, facts, now);
    if (decision.action === 'refuse') {
      await markFailed(db, row.id, decision.reason);
      return;
    }
    if (decision.action === 'wait') {
      await markRetry(db, row.id, decision.until, decision.reason, false);
      return;
    }
    // Wait for our own rate limit in-process when the slot is near (well inside the claim), so a
    // batch goes out evenly paced; a slot further off is left to a later drain.
    const slot = this.limiter.reserve(message.channel, Math.min(MAX_PACING_WAIT_MS, (this.opts.claimMs ?? 60_000) / 2));
    if (!slot.ok) {
      await markRetry(db, row.id, new Date(now.getTime() + slot.waitMs), 'rate limit (ours)', false);
      return;
    }
    if (slot.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.delayMs));
    try {
      await this.sendAndRecord(row, channel.sender, decision.mode);
    } catch (err) {
      // The platform says the window is closed although our records said open (or a tag is no longer
      // accepted): ask the policy again as if the person had never written — it may choose another
      // way (a ZNS template, a different tag) — before giving up.
      if (err instanceof SendError && err.kind === 'outside_window') {
        const retry = channel.policy.decide(message, { ...facts, lastInboundAt: undefined }, now);
        if (retry.action === 'send' && describeMode(retry.mode) !== describeMode(decision.mode)) {
          try {
            await this.sendAndRecord(row, channel.sender, retry.mode);
            return;
          } catch (second) {
            err = second;
          }
        }
      }
      // Backoff and platform waits count from the failure, not from the start of delivery: the pacing
      // wait and a send that timed out (10 s) would otherwise use up the backoff, retrying at once.
      await this.onSendError(row, err, this.opts.clock?.() ?? new Date());
      logger.warn({ err, outboxId: row.id, channel: message.channel }, 'send failed');
    }
  }

  private async sendAndRecord(row: OutboxRow, sender: ChannelSender, mode: SendMode): Promise<void> {
    // Every request to the platform counts against its limit, a second try in another mode too.
    await this.limiter.admit(row.message.channel);
    const { platformMessageId } = await sender.send(row.message, mode);
    await markSent(this.opts.db, row.id, describeMode(mode), platformMessageId);
  }

  private async onSendError(row: OutboxRow, err: unknown, now: Date): Promise<void> {
    const { db, maxAttempts } = this.opts;
    const e = err instanceof SendError ? err : new SendError('transient', err instanceof Error ? err.message : String(err));
    const reason = `${e.kind}${e.platformCode !== undefined ? ` (${e.platformCode})` : ''}: ${e.message}`;
    if (e.kind === 'permanent' || e.kind === 'outside_window') {
      await markFailed(db, row.id, reason);
      return;
    }
    if (e.kind === 'rate_limited') {
      const wait = e.retryAfterMs ?? backoffMs(row.attempts, 5_000);
      await markRetry(db, row.id, new Date(now.getTime() + wait), reason, false);
      return;
    }
    if (row.attempts >= maxAttempts) {
      await markFailed(db, row.id, `gave up after ${row.attempts} attempts: ${reason}`);
      return;
    }
    await markRetry(db, row.id, new Date(now.getTime() + backoffMs(row.attempts)), reason, true);
  }
}
