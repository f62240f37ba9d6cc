/**
 * The contracts between channels and the rest of the system (DESIGN.md §2).
 *
 * Inbound: a channel's webhook verifies and parses the platform's request into `InboundEvent`s and
 * hands them to `accept`, which stores them durably; only then does the webhook answer 200. The
 * conversation processes them later, in order per person.
 *
 * Outbound: the outbox asks the channel's `ChannelPolicy` whether and how a message may go out now,
 * then calls the channel's `ChannelSender`. Senders classify failures with `SendError`, so the outbox
 * can retry, wait, or fail visibly without knowing any platform's error codes.
 *
 * Channels know no intents: they move text, payloads and a few platform events.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Channel, Reply } from '../conversation/types';

export type { Channel, Reply };

interface EventBase {
  channel: Channel;
  /** The person: Zalo user id (string, never a number), Messenger PSID, web chat session id. */
  channelUserId: string;
  /** Unique per channel (Zalo `msg_id`, Messenger `mid`, or a stable id we derive): redeliveries share it. */
  platformEventId: string;
  /** When the platform says the person acted (its timestamp), not when we received it. */
  occurredAt: Date;
}

export type InboundEvent =
  /** Typed text, or a tapped quick reply / button (payload). */
  | (EventBase & { kind: 'message'; text?: string; payload?: string })
  /** Image, sticker, file, location, audio, video…: we can only read text. */
  | (EventBase & { kind: 'media'; mediaType: string })
  | (EventBase & { kind: 'follow' })
  | (EventBase & { kind: 'unfollow' })
  /** The person shared contact details (Zalo `user_submit_info`): kept for reminder matching. */
  | (EventBase & { kind: 'contact'; name?: string; phone?: string; address?: string })
  /** An m.me `?ref=` deep link or a QR code: `ref` is our payload, e.g. `PROC:khai-sinh`. */
  | (EventBase & { kind: 'referral'; ref: string });

export type InboundEventKind = InboundEvent['kind'];

/** Stores accepted events durably (deduplicated on channel + platformEventId) before the webhook answers. */
export type AcceptInbound = (events: InboundEvent[]) => Promise<void>;

/** What a webhook answers the platform: a JSON value or plain text, with its status. */
export type WebhookAnswer = { status: number; json: unknown } | { status: number; text: string };

/**
 * A channel's webhook POST: judges the exact bytes received and their headers (signature, shape),
 * stores what it accepts through `AcceptInbound`, and says what to answer. It never touches the HTTP
 * response, so src/http/webhooks.ts can serve every channel the same way; it throws only on a fault
 * of ours (answered 500), never for bad input.
 */
export interface WebhookReceiver {
  /** The path the platform posts to (DESIGN.md §4.2). */
  path: string;
  receive(raw: Buffer, headers: IncomingHttpHeaders): Promise<WebhookAnswer>;
}

/** Who receives an outbound message. */
export interface Recipient {
  /** The person's id on the channel; absent for a ZNS message addressed by phone only. */
  userId?: string;
  /** Phone in 0… form, for ZNS. */
  phone?: string;
}

export type OutboundContent =
  | { type: 'reply'; reply: Reply }
  /** A pre-approved template (Zalo ZNS): template id and its parameters. */
  | { type: 'template'; templateId: string; data: Record<string, string | number> };

/** Why we are writing to the person; the policy uses it (e.g. Messenger tags, quiet hours). */
export type OutboundPurpose = 'reply' | 'human_reply' | 'appointment_update' | 'reminder' | 'broadcast';

export interface OutboundMessage {
  /** Unique per message we ever intend to send: the outbox refuses a second row with the same key. */
  dedupeKey: string;
  channel: Channel;
  recipient: Recipient;
  content: OutboundContent;
  purpose: OutboundPurpose;
}

/** What the outbox knows of the person when it asks the policy. */
export interface RecipientFacts {
  /** The person's last message to us on this channel (opens the platform's messaging window). */
  lastInboundAt?: Date;
  /** Phone shared or linked, 0… form. */
  phone?: string;
  /** false once the person unfollowed / blocked us. */
  following?: boolean;
}

/** How a message may be sent now, decided by the channel's policy. */
export type SendMode =
  /** Zalo customer-service message inside the window. */
  | { via: 'zalo_cs' }
  /** Zalo ZNS template message to a phone (outside the window). */
  | { via: 'zalo_zns'; templateId: string }
  /** Messenger Send API with its messaging type (and tag when MESSAGE_TAG). */
  | { via: 'messenger'; messagingType: 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG'; tag?: 'CONFIRMED_EVENT_UPDATE' | 'HUMAN_AGENT' | 'ACCOUNT_UPDATE' | 'POST_PURCHASE_UPDATE' }
  /** Web chat: replies are returned in the HTTP response; nothing to push. */
  | { via: 'webchat' };

export type PolicyDecision =
  | { action: 'send'; mode: SendMode }
  /** Not now (e.g. Zalo quiet hours 22:00–06:00): try again at `until`. */
  | { action: 'wait'; until: Date; reason: string }
  /** Never on this channel (outside every window, no template, not a follower): a visible failure. */
  | { action: 'refuse'; reason: string };

export interface ChannelPolicy {
  decide(message: OutboundMessage, facts: RecipientFacts, now: Date): PolicyDecision;
}

/** How the outbox should treat a failed send. */
export type SendErrorKind =
  /** Network error, timeout, 5xx, unknown platform error: retry with backoff. */
  | 'transient'
  /** The platform's rate limit: retry after `retryAfterMs` (or backoff) without counting it as a failure. */
  | 'rate_limited'
  /** Our token was invalid/expired and could not be refreshed: retry later; operators must look. */
  | 'auth'
  /** Outside the messaging window / interaction expired: the policy may choose another way (ZNS, tag). */
  | 'outside_window'
  /** The person blocked us, is not a follower, the message is invalid…: fail visibly, never retry. */
  | 'permanent';

export class SendError extends Error {
  constructor(
    readonly kind: SendErrorKind,
    message: string,
    /** The platform's own error code, kept for the failure reason shown to officials. */
    readonly platformCode?: string | number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

export interface ChannelSender {
  channel: Channel;
  /** Sends one message in the given mode; resolves with the platform's message id, or throws `SendError`. */
  send(message: OutboundMessage, mode: SendMode): Promise<{ platformMessageId: string }>;
}
