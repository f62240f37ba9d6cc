/**
 * Realistic Messenger webhook bodies and Meta's signature, for tests and the sandbox.
 * Shapes follow the Messenger Platform webhook reference (messages, message_echoes,
 * messaging_postbacks with referral, messaging_referrals, message_deliveries, message_reads).
 * No test-framework APIs.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const DEFAULT_PAGE_ID = '100000000000001';

/** One item of `entry[].messaging`. */
export type MessagingEvent = Record<string, unknown> & { sender: { id: string }; recipient: { id: string }; timestamp: number };

export interface EventOptions {
  mid?: string;
  /** Epoch milliseconds (default now). */
  timestamp?: number;
  pageId?: string;
}

export const newMid = (): string => `m_${randomBytes(18).toString('base64url')}`;

function base(psid: string, o: EventOptions): MessagingEvent {
  return { sender: { id: psid }, recipient: { id: o.pageId ?? DEFAULT_PAGE_ID }, timestamp: o.timestamp ?? Date.now() };
}

/** Builders for single messaging events. */
export const messengerEvents = {
  text: (psid: string, text: string, o: EventOptions = {}): MessagingEvent => ({ ...base(psid, o), message: { mid: o.mid ?? newMid(), text } }),

  /** A tapped quick reply: the title becomes the text, the payload comes along. */
  quickReply: (psid: string, title: string, payload: string, o: EventOptions = {}): MessagingEvent => ({
    ...base(psid, o),
    message: { mid: o.mid ?? newMid(), text: title, quick_reply: { payload } },
  }),

  /** A postback button / persistent menu / Get Started; `ref` adds the referral of an m.me link or QR code. */
  postback: (psid: string, payload: string, o: EventOptions & { title?: string; ref?: string; withoutMid?: boolean } = {}): MessagingEvent => ({
    ...base(psid, o),
    postback: {
      ...(o.withoutMid ? {} : { mid: o.mid ?? newMid() }),
      title: o.title ?? 'Bắt đầu',
      payload,
      ...(o.ref === undefined ? {} : { referral: { ref: o.ref, source: 'SHORTLINK', type: 'OPEN_THREAD' } }),
    },
  }),

  /** `messaging_referrals`: an m.me `?ref=` link opened on an existing thread. */
  referral: (psid: string, ref: string, o: EventOptions & { source?: string } = {}): MessagingEvent => ({
    ...base(psid, o),
    referral: { ref, source: o.source ?? 'SHORTLINK', type: 'OPEN_THREAD' },
  }),

  attachment: (psid: string, type: 'image' | 'audio' | 'video' | 'file' | 'location' | 'fallback', o: EventOptions = {}): MessagingEvent => ({
    ...base(psid, o),
    message: {
      mid: o.mid ?? newMid(),
      attachments: [
        type === 'location'
          ? { type, payload: { coordinates: { lat: 10.7769, long: 106.7009 } } }
          : { type, payload: { url: `https://scontent.example.invalid/${type}/1` } },
      ],
    },
  }),

  /** A sticker (`369239263222822` is the thumbs-up "like"). */
  sticker: (psid: string, stickerId = '369239263222822', o: EventOptions = {}): MessagingEvent => ({
    ...base(psid, o),
    message: { mid: o.mid ?? newMid(), sticker_id: Number(stickerId), attachments: [{ type: 'image', payload: { url: 'https://scontent.example.invalid/sticker.png', sticker_id: Number(stickerId) } }] },
  }),

  /** What our own Page sent, echoed back (sender is the Page). */
  echo: (psid: string, text: string, o: EventOptions = {}): MessagingEvent => ({
    sender: { id: o.pageId ?? DEFAULT_PAGE_ID },
    recipient: { id: psid },
    timestamp: o.timestamp ?? Date.now(),
    message: { mid: o.mid ?? newMid(), is_echo: true, app_id: 1517776481860111, text },
  }),

  delivery: (psid: string, mids: string[] = [], o: EventOptions = {}): MessagingEvent => ({
    ...base(psid, o),
    delivery: { mids, watermark: o.timestamp ?? Date.now() },
  }),

  read: (psid: string, o: EventOptions = {}): MessagingEvent => ({ ...base(psid, o), read: { watermark: o.timestamp ?? Date.now() } }),
};

/**
 * Wraps events in `{object:'page', entry:[…]}`. Pass a flat list for one entry, or a list of lists
 * for a batch of several entries (as Meta sends under load).
 */
export function messengerWebhookBody(events: MessagingEvent[] | MessagingEvent[][], o: { pageId?: string; time?: number } = {}) {
  const batches = (events.length > 0 && Array.isArray(events[0]) ? events : [events]) as MessagingEvent[][];
  return {
    object: 'page',
    entry: batches.map((messaging) => ({ id: o.pageId ?? DEFAULT_PAGE_ID, time: o.time ?? Date.now(), messaging })),
  };
}

/** Serialises `body` (unless already a string) and signs it as Meta does: `X-Hub-Signature-256`. */
export function signMessengerWebhook(body: unknown, appSecret: string): { rawBody: string; headers: Record<string, string> } {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  const signature = `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
  return { rawBody, headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature } };
}

/** POSTs a signed webhook to `{baseUrl}/webhooks/messenger` as Meta would; returns status and body text. */
export async function postMessengerWebhook(baseUrl: string, body: unknown, appSecret: string): Promise<{ status: number; text: string }> {
  const { rawBody, headers } = signMessengerWebhook(body, appSecret);
  const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/webhooks/messenger`, { method: 'POST', headers, body: rawBody });
  return { status: res.status, text: await res.text() };
}
