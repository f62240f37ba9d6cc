/**
 * Messenger webhook payloads -> channel-neutral `InboundEvent`s (DESIGN.md §5).
 *
 * Meta batches: one POST may carry several `entry` items (one per Page and time slice), each with
 * several `messaging` events, so we loop over both. Shapes relied on (Messenger Platform webhook
 * reference, developers.facebook.com/docs/messenger-platform/reference/webhook-events/…):
 * - `messages`: `{sender:{id}, recipient:{id}, timestamp, message:{mid, text, quick_reply:{payload},
 *   attachments:[{type, payload:{url|sticker_id|coordinates}}]}}`; types image, audio, video, file,
 *   location, fallback (shared links), reel… A sticker is an `image` with `payload.sticker_id`.
 * - `message_echoes`: a `message` with `is_echo: true` — what our Page sent; never an inbound message.
 * - `messaging_postbacks`: `{postback:{mid?, title, payload, referral?:{ref, source, type}}}` —
 *   a tapped postback button, persistent-menu item or Get Started; the `referral` is present when the
 *   person opened a *new* thread from an m.me link / QR code and then tapped Get Started.
 * - `messaging_referrals`: `{referral:{ref, source:"SHORTLINK"|"ADS"|…, type:"OPEN_THREAD"}}` — an
 *   m.me `?ref=` link opened on an *existing* thread.
 * - `message_deliveries` / `message_reads` / reactions / standby (handover) events: nothing to answer.
 * Timestamps are epoch milliseconds (numbers; some reference samples show strings, accepted too).
 */
import { z } from 'zod';
import { platformId, storableText } from '../../storable-text';
import type { InboundEvent } from '../types';
import type { Logger } from '../../logger';

/** The body is not a Messenger Page webhook at all (wrong `object`, no `entry` array): answer 400. */
export class MessengerWebhookError extends Error {
  override name = 'MessengerWebhookError';
}

const idSchema = z.union([platformId(200), z.number()]).transform(String);
/** The latest instant a JavaScript `Date` can hold (ms): a later "timestamp" would make an Invalid Date. */
const MAX_EPOCH_MS = 8.64e15;
const timestampSchema = z
  .union([z.number().finite().nonnegative(), z.string().regex(/^\d{1,16}$/)])
  .transform(Number)
  .pipe(z.number().max(MAX_EPOCH_MS));

const referralSchema = z.object({
  ref: z.union([storableText, z.number().transform(String)]).optional(),
  source: z.string().optional(),
  type: z.string().optional(),
});

const attachmentSchema = z.object({
  // Becomes the stored `mediaType` when it is the first attachment.
  type: z.string().min(1).pipe(storableText),
  payload: z.object({ sticker_id: z.union([z.string(), z.number()]).optional() }).nullish(),
});

const messagingEventSchema = z.object({
  sender: z.object({ id: idSchema.optional(), user_ref: z.string().optional() }),
  recipient: z.object({ id: idSchema.optional() }).optional(),
  timestamp: timestampSchema.optional(),
  message: z
    .object({
      mid: platformId(500).optional(),
      text: storableText.optional(),
      is_echo: z.boolean().optional(),
      quick_reply: z.object({ payload: storableText }).optional(),
      attachments: z.array(attachmentSchema).optional(),
      sticker_id: z.union([z.string(), z.number()]).optional(),
    })
    .optional(),
  postback: z
    .object({
      mid: platformId(500).optional(),
      title: storableText.optional(),
      payload: storableText.optional(),
      referral: referralSchema.optional(),
    })
    .optional(),
  referral: referralSchema.optional(),
});

/** The envelope only; each messaging event is validated on its own so one odd event cannot fail the batch. */
export const messengerWebhookSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: idSchema.optional(),
      time: timestampSchema.optional(),
      messaging: z.array(z.unknown()).optional(),
    }),
  ),
});

export type MessengerMessagingEvent = z.infer<typeof messagingEventSchema>;

/**
 * The "like" (thumbs-up) button arrives as a sticker with one of these ids (small/medium/large), as
 * handled by public Messenger SDKs, e.g. Botkit's Facebook adapter (`369239263222822` -> 'thumbsup').
 */
const LIKE_STICKER_IDS = new Set(['369239263222822', '369239343222814', '369239383222810']);

const ROUTINE_EVENT_KEYS = new Set(['delivery', 'read', 'reaction', 'message_edit', 'response_feedback']);

/** Meta sends milliseconds; a value below 10^11 can only be seconds (1973 in ms), so scale it. */
function toMillis(ts: number): number {
  return ts < 1e11 ? ts * 1000 : ts;
}

/**
 * Parses a Messenger webhook body (already JSON-parsed, signature already verified) into inbound
 * events, in the order Meta sent them. Echoes, delivery and read receipts, events without a PSID
 * and unknown event types produce nothing and are logged (debug for routine ones, info otherwise).
 *
 * `platformEventId` is the message `mid`; for a postback without a mid and for referrals we derive a
 * stable id from kind + sender + timestamp, so a redelivery of the same event dedupes.
 * A postback that carries a `referral` (Get Started from an m.me link / QR code) yields the
 * 'message' (payload) first and then the 'referral', so the deep link's subject is what the
 * conversation is left on.
 *
 * @throws MessengerWebhookError when the body is not `{object:'page', entry:[…]}`.
 */
export function parseMessengerWebhook(body: unknown, logger?: Logger): InboundEvent[] {
  const envelope = messengerWebhookSchema.safeParse(body);
  if (!envelope.success) throw new MessengerWebhookError('not a Messenger webhook body (expected {object, entry: [...]})');
  if (envelope.data.object !== 'page') {
    throw new MessengerWebhookError(`unsupported webhook object "${envelope.data.object}" (expected "page")`);
  }
  const events: InboundEvent[] = [];
  for (const entry of envelope.data.entry) {
    for (const raw of entry.messaging ?? []) {
      const parsed = messagingEventSchema.safeParse(raw);
      if (!parsed.success) {
        logger?.info({ pageId: entry.id, keys: keysOf(raw) }, 'messenger: ignored a malformed messaging event');
        continue;
      }
      events.push(...toInboundEvents(parsed.data, entry.time, keysOf(raw), logger));
    }
  }
  return events;
}

/** A stable id for an event without a mid, from what every redelivery repeats (none without a timestamp). */
function derivedId(kind: string, psid: string, ts: number | undefined): string | undefined {
  return ts === undefined ? undefined : `${kind}:${psid}:${ts}`;
}

function toInboundEvents(
  ev: MessengerMessagingEvent,
  entryTime: number | undefined,
  rawKeys: string[],
  logger?: Logger,
): InboundEvent[] {
  const psid = ev.sender.id;
  const rawTs = ev.timestamp ?? entryTime;
  const ts = rawTs === undefined ? undefined : toMillis(rawTs);
  if (ev.message?.is_echo) {
    logger?.debug({ mid: ev.message.mid }, 'messenger: ignored an echo of our own message');
    return [];
  }
  if (!psid) {
    // Chat-plugin guests and checkbox opt-ins come with `user_ref` instead of a PSID; we only serve PSIDs.
    logger?.info({ userRef: Boolean(ev.sender.user_ref) }, 'messenger: ignored an event without a sender PSID');
    return [];
  }
  const occurredAt = new Date(ts ?? Date.now());
  const base = { channel: 'messenger' as const, channelUserId: psid, occurredAt };

  if (ev.message) {
    const m = ev.message;
    if (!m.mid) {
      logger?.info({ psid }, 'messenger: ignored a message without mid (cannot deduplicate it)');
      return [];
    }
    if (m.quick_reply || (m.text !== undefined && m.text !== '')) {
      return [{ ...base, kind: 'message', platformEventId: m.mid, text: m.text, payload: m.quick_reply?.payload }];
    }
    const first = m.attachments?.[0];
    const stickerId = m.sticker_id ?? first?.payload?.sticker_id;
    if (first || stickerId !== undefined) {
      const mediaType =
        stickerId === undefined ? (first?.type ?? 'unknown') : LIKE_STICKER_IDS.has(String(stickerId)) ? 'like' : 'sticker';
      return [{ ...base, kind: 'media', platformEventId: m.mid, mediaType }];
    }
    logger?.info({ mid: m.mid }, 'messenger: ignored a message with neither text nor attachments');
    return [];
  }

  if (ev.postback) {
    const p = ev.postback;
    const out: InboundEvent[] = [];
    const id = p.mid ?? derivedId('postback', psid, ts);
    if (id === undefined) {
      logger?.info({ psid }, 'messenger: ignored a postback without mid or timestamp');
      return [];
    }
    // The title is what the person saw on the button; it doubles as text when the payload is not ours.
    if (p.payload || p.title) out.push({ ...base, kind: 'message', platformEventId: id, text: p.title, payload: p.payload || undefined });
    if (p.referral?.ref) out.push({ ...base, kind: 'referral', platformEventId: `${id}:referral`, ref: p.referral.ref });
    return out;
  }

  if (ev.referral) {
    const id = derivedId('referral', psid, ts);
    if (!ev.referral.ref || id === undefined) {
      logger?.info({ psid, source: ev.referral.source }, 'messenger: ignored a referral without ref or timestamp');
      return [];
    }
    return [{ ...base, kind: 'referral', platformEventId: id, ref: ev.referral.ref }];
  }

  // Receipts and reactions are routine (debug); anything else is a type we do not handle yet (info).
  const routine = rawKeys.some((k) => ROUTINE_EVENT_KEYS.has(k));
  logger?.[routine ? 'debug' : 'info']({ psid, keys: rawKeys }, 'messenger: ignored an event we do not answer');
  return [];
}

function keysOf(value: unknown): string[] {
  return value !== null && typeof value === 'object' ? Object.keys(value).slice(0, 10) : [typeof value];
}
