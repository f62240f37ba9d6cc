/**
 * Zalo OA webhook events -> channel-neutral `InboundEvent`s.
 *
 * Payload shapes (Zalo docs "Webhook > Sự kiện", as reproduced in the public "Zalo Platform API —
 * Integration Specification" §13.4–13.6 and community SDK types, e.g. @warriorteam/redai-zalo-sdk
 * `types/webhook.d.ts`):
 * - user -> OA: `{app_id, event_name:"user_send_text", sender:{id}, recipient:{id},
 *   message:{msg_id, text}, timestamp, user_id_by_app}`; media events add `message.attachments[]`
 *   of `{type, payload}` (image, gif, sticker, file, location, audio, video, link…).
 * - follow/unfollow: `{oa_id, follower:{id}, event_name, source, app_id, timestamp}` — `follower`
 *   replaces `sender`.
 * - user_submit_info: `{sender:{id}, recipient:{id}, event_name, timestamp, info:{name, phone,
 *   address?, city?, district?, ward?, full_address?:{user_address, user_ward, user_city}}}`.
 * - `user_received_message`, `user_seen_message`, `oa_send_*` echoes, group and management events: no
 *   user action for us to answer — acknowledged and logged, never stored.
 * All ids and timestamps are strings (they exceed 2^53): they stay strings here.
 *
 * Button taps: our buttons are `oa.query.hide` with payload `#<our payload>` (see `render.ts`); Zalo
 * delivers a tap as an ordinary `user_send_text` whose text is the button payload. So a text that
 * starts with `#` carries `payload` = the rest; `text` keeps the raw string, so a person who typed a
 * hashtag themselves is still understood as text when the conversation does not recognise the payload.
 */
import { z } from 'zod';
import { platformId, storableText } from '../../storable-text';
import type { InboundEvent } from '../types';
import { toNationalPhone } from './phone';

/** Marks a button payload inside the text Zalo sends back for an `oa.query.*` tap. */
export const PAYLOAD_PREFIX = '#';

/** Media event names (`user_send_<type>`) we answer with "I can only read text". */
const MEDIA_TYPES = new Set(['image', 'gif', 'sticker', 'file', 'location', 'audio', 'video', 'link', 'business_card']);

const id = platformId(100);
/** Epoch milliseconds as Zalo sends them (a string); a number is accepted and turned into a string. */
const timestamp = z.union([z.string().regex(/^\d{1,15}$/), z.number().int().nonnegative().max(1e15)]).transform(String);

const envelopeSchema = z.looseObject({ event_name: z.string().min(1) });

const userMessageSchema = z.looseObject({
  event_name: z.string(),
  timestamp,
  sender: z.looseObject({ id }),
  message: z.looseObject({
    msg_id: id,
    text: storableText.optional(),
    attachments: z.array(z.looseObject({ type: z.string() })).optional(),
  }),
});

const followSchema = z.looseObject({ event_name: z.string(), timestamp, follower: z.looseObject({ id }) });

const infoText = z.string().max(1000).pipe(storableText).optional();
const submitInfoSchema = z.looseObject({
  event_name: z.string(),
  timestamp,
  sender: z.looseObject({ id }),
  info: z.looseObject({
    name: infoText,
    phone: infoText,
    address: infoText,
    ward: infoText,
    district: infoText,
    city: infoText,
    full_address: z
      .looseObject({ user_address: infoText, user_ward: infoText, user_district: infoText, user_city: infoText })
      .optional(),
  }),
});

/** The body is not a Zalo event we can read: the webhook answers 400. */
export class ZaloWebhookShapeError extends Error {}

function parseOrThrow<T extends z.ZodType>(schema: T, body: unknown, eventName: string): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  throw new ZaloWebhookShapeError(`malformed ${eventName} event: ${issues}`);
}

/** Milliseconds since the epoch -> Date (timestamps were validated as digits). */
const at = (ms: string) => new Date(Number(ms));

/** A stable id for events without a `msg_id`, identical on every redelivery of the same event. */
const derivedId = (eventName: string, userId: string, ts: string) => `${eventName}:${userId}:${ts}`;

function blank(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

/** One address line from whichever fields the person filled in, most specific first. */
function addressOf(info: z.infer<typeof submitInfoSchema>['info']): string | undefined {
  const full = info.full_address;
  const parts = full
    ? [full.user_address, full.user_ward, full.user_district, full.user_city]
    : [info.address, info.ward, info.district, info.city];
  const line = parts.map(blank).filter((p): p is string => Boolean(p)).join(', ');
  return line || undefined;
}

/** A text message; `#…` is a tapped button's payload (see the file comment). */
function messageEvent(body: z.infer<typeof userMessageSchema>): InboundEvent {
  const text = body.message.text ?? '';
  const base = {
    channel: 'zalo' as const,
    channelUserId: body.sender.id,
    platformEventId: body.message.msg_id,
    occurredAt: at(body.timestamp),
  };
  if (text.startsWith(PAYLOAD_PREFIX) && text.length > PAYLOAD_PREFIX.length) {
    return { ...base, kind: 'message', text, payload: text.slice(PAYLOAD_PREFIX.length) };
  }
  return { ...base, kind: 'message', text };
}

/**
 * The events in one webhook body (Zalo sends one event per request; a list keeps the contract of
 * `AcceptInbound`). Events we do not act on give `[]`. Throws `ZaloWebhookShapeError` for a body
 * that is not a Zalo event or a handled event whose fields are missing or mistyped.
 */
export function parseZaloEvent(body: unknown): InboundEvent[] {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) throw new ZaloWebhookShapeError('not a Zalo event: event_name is missing');
  const name = envelope.data.event_name;

  if (name === 'user_send_text') return [messageEvent(parseOrThrow(userMessageSchema, body, name))];

  const mediaType = name.startsWith('user_send_') ? name.slice('user_send_'.length) : undefined;
  if (mediaType && MEDIA_TYPES.has(mediaType)) {
    const e = parseOrThrow(userMessageSchema, body, name);
    return [
      {
        channel: 'zalo',
        kind: 'media',
        mediaType,
        channelUserId: e.sender.id,
        platformEventId: e.message.msg_id,
        occurredAt: at(e.timestamp),
      },
    ];
  }

  if (name === 'follow' || name === 'unfollow') {
    const e = parseOrThrow(followSchema, body, name);
    const userId = e.follower.id;
    return [
      { channel: 'zalo', kind: name, channelUserId: userId, platformEventId: derivedId(name, userId, e.timestamp), occurredAt: at(e.timestamp) },
    ];
  }

  if (name === 'user_submit_info') {
    const e = parseOrThrow(submitInfoSchema, body, name);
    const userId = e.sender.id;
    const phone = e.info.phone ? toNationalPhone(e.info.phone) : undefined;
    return [
      {
        channel: 'zalo',
        kind: 'contact',
        channelUserId: userId,
        platformEventId: derivedId(name, userId, e.timestamp),
        occurredAt: at(e.timestamp),
        ...(blank(e.info.name) ? { name: blank(e.info.name) } : {}),
        ...(phone ? { phone } : {}),
        ...(addressOf(e.info) ? { address: addressOf(e.info) } : {}),
      },
    ];
  }

  // user_received_message, user_seen_message, oa_send_* echoes, group/tag/ZNS events, anything new.
  return [];
}

/** The event name of a body, for logging what was ignored (undefined when there is none). */
export function zaloEventName(body: unknown): string | undefined {
  const envelope = envelopeSchema.safeParse(body);
  return envelope.success ? envelope.data.event_name : undefined;
}
