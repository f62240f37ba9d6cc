/**
 * Turns stored inbound channel events into replies in the outbox. Each event is processed in one
 * transaction with its lock: the conversation's writes, the replies' outbox rows and the event's
 * "done" mark commit together, so a crash leaves the event pending and nothing half-done. Events
 * of one person go one at a time, in order, across processes (see `claimNextEvent`).
 * A person over the per-sender limit is stored but not answered (see `sender-throttle.ts`).
 */
import type { Db } from '../db';
import type { Logger } from '../logger';
import { recordContactEvent } from '../channels/contacts';
import { claimNextEvent, markEventDone, markEventFailed } from '../channels/inbound/store';
import type { InboundEvent } from '../channels/types';
import { enqueueOutbound } from '../outbox';
import { DrainLoop } from '../worker/drain-loop';
import { GET_STARTED } from './payloads';
import type { Conversation } from './engine';
import { markEventThrottled, throttleIfFlooding, type SenderLimit } from './sender-throttle';
import type { InboundMessage } from './types';

export interface InboundProcessorOptions {
  db: Db;
  /** The conversation bound to a database handle (the event's transaction). */
  conversationFor(db: Db): Conversation;
  logger: Logger;
  maxAttempts: number;
  /** Called after replies were queued, to wake the outbox. */
  onReplies?: () => void;
  /** Events processed at once (different people); one person's always go one at a time. */
  concurrency?: number;
  /** Messages per minute per person the bot answers; absent: no limit. */
  senderLimit?: SenderLimit;
}

/** What the conversation should hear of a channel event; undefined when it is not for the conversation. */
export function toInboundMessage(event: InboundEvent): InboundMessage | undefined {
  const base = { channel: event.channel, channelUserId: event.channelUserId, platformMessageId: event.platformEventId, receivedAt: event.occurredAt };
  switch (event.kind) {
    case 'message':
      return { ...base, text: event.text, payload: event.payload };
    case 'referral':
      // A deep link or QR code carries one of our payloads (e.g. PROC:khai-sinh): answer it like a tap.
      return { ...base, payload: event.ref };
    case 'follow':
      return { ...base, payload: GET_STARTED };
    case 'media':
      return { ...base, media: event.mediaType };
    case 'contact':
      return { ...base, contactShared: true };
    case 'unfollow':
      return undefined;
  }
}

export class InboundProcessor {
  private readonly loop: DrainLoop;

  constructor(private readonly opts: InboundProcessorOptions) {
    this.loop = new DrainLoop(() => this.drain(), opts.logger, 'inbound drain');
  }

  /** Processes one event if one is ready; false when there was none. */
  async processOne(): Promise<boolean> {
    const { db, logger } = this.opts;
    const queued = await db.transaction(async (tx) => {
      const stored = await claimNextEvent(tx);
      if (!stored) return undefined;
      try {
        // A savepoint: on failure its writes are undone while the event stays locked, and the
        // failure is recorded before anyone else can pick the event up again.
        return await tx.transaction(async (work) => {
          const { queued, throttled } = await this.handle(work, stored.id, stored.event);
          await (throttled ? markEventThrottled(work, stored.id) : markEventDone(work, stored.id));
          return queued;
        });
      } catch (err) {
        logger.error({ err, inboundEventId: stored.id }, 'inbound event failed');
        await markEventFailed(tx, stored.id, err instanceof Error ? err.message : String(err), this.opts.maxAttempts);
        return 0;
      }
    });
    if (queued === undefined) return false;
    if (queued > 0) this.opts.onReplies?.();
    return true;
  }

  /** Runs the event through the conversation (unless its sender is over the limit) and queues the replies. */
  private async handle(tx: Db, eventId: number, event: InboundEvent): Promise<{ queued: number; throttled: boolean }> {
    await recordContactEvent(tx, event);
    const message = toInboundMessage(event);
    if (!message) return { queued: 0, throttled: false };
    if (this.opts.senderLimit) {
      const notices = await throttleIfFlooding(tx, this.opts.senderLimit, eventId, event, message);
      if (notices !== undefined) return { queued: notices, throttled: true };
    }
    const { conversationId, replies } = await this.opts.conversationFor(tx).respond(message);
    const queued = await enqueueOutbound(
      tx,
      replies.map((reply, i) => ({
        dedupeKey: `reply:${eventId}:${i}`,
        channel: event.channel,
        recipient: { userId: event.channelUserId },
        content: { type: 'reply' as const, reply },
        purpose: 'reply' as const,
      })),
      { conversationId },
    );
    return { queued, throttled: false };
  }

  /** Processes until nothing is ready, with up to `concurrency` events in flight. */
  async drain(): Promise<void> {
    const lane = async () => {
      while (!this.loop.stopped && (await this.processOne())) {
        // next event
      }
    };
    await Promise.all(Array.from({ length: this.opts.concurrency ?? 4 }, lane));
  }

  /** Polls every `intervalMs` (other processes' webhooks); `nudge()` starts at once. */
  start(intervalMs = 1000): void {
    this.loop.start(intervalMs);
  }

  nudge(): void {
    this.loop.nudge();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }
}
