/**
 * Zalo webhook requests as Zalo sends them, for tests and the sandbox: event bodies shaped like the
 * documented payloads (all ids and timestamps are strings) and the `X-ZEvent-Signature` header.
 * The signature is computed here independently of `src/` (plain SHA-256 of
 * `app_id + rawBody + timestamp + OA secret key`, header `mac=<hex>`), so a test comparing the two
 * would catch a wrong formula on either side.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface ZaloAppKeys {
  appId: string;
  oaSecretKey: string;
}

export interface SignedZaloWebhook {
  /** Send exactly these bytes: the signature covers them. */
  rawBody: string;
  headers: { 'content-type': string; 'x-zevent-signature': string };
}

/** Signs a webhook body (an object is serialised once; a string is used as is). */
export function signZaloWebhook(body: object | string, keys: ZaloAppKeys): SignedZaloWebhook {
  const rawBody = typeof body === 'string' ? body : JSON.stringify(body);
  const parsed = JSON.parse(rawBody) as { timestamp?: string | number };
  const timestamp = parsed.timestamp === undefined ? '' : String(parsed.timestamp);
  const mac = createHash('sha256').update(`${keys.appId}${rawBody}${timestamp}${keys.oaSecretKey}`, 'utf8').digest('hex');
  return { rawBody, headers: { 'content-type': 'application/json', 'x-zevent-signature': `mac=${mac}` } };
}

const OA_ID = '388613280878808645';
const msgId = () => randomBytes(10).toString('hex');
const ts = (at?: Date) => String((at ?? new Date()).getTime());

interface EventOptions {
  appId: string;
  userId: string;
  at?: Date;
  oaId?: string;
}

/** `user_send_text` — also what a tapped `oa.query.*` button produces (text = the button payload). */
export function zaloTextEvent(o: EventOptions & { text: string; msgId?: string }) {
  return {
    app_id: o.appId,
    sender: { id: o.userId },
    user_id_by_app: '552177279717587730',
    recipient: { id: o.oaId ?? OA_ID },
    event_name: 'user_send_text',
    message: { text: o.text, msg_id: o.msgId ?? msgId() },
    timestamp: ts(o.at),
  };
}

/** `user_send_<type>` with one attachment (image, sticker, file, location, audio, video, gif, link). */
export function zaloMediaEvent(o: EventOptions & { type: string; msgId?: string }) {
  const payload =
    o.type === 'location'
      ? { coordinates: { latitude: '21.0285', longitude: '105.8542' } }
      : o.type === 'sticker'
        ? { id: 'bfe458bf64fa8da4d4eb', url: 'https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=46991' }
        : { thumbnail: 'https://photo-stal.zadn.vn/t.jpg', url: 'https://photo-stal.zadn.vn/f.jpg', ...(o.type === 'file' ? { name: 'don.pdf', size: '20480', type: 'pdf' } : {}) };
  return {
    app_id: o.appId,
    sender: { id: o.userId },
    user_id_by_app: '552177279717587730',
    recipient: { id: o.oaId ?? OA_ID },
    event_name: `user_send_${o.type}`,
    message: { msg_id: o.msgId ?? msgId(), attachments: [{ type: o.type, payload }], ...(o.type === 'image' ? { text: '' } : {}) },
    timestamp: ts(o.at),
  };
}

/** `follow` / `unfollow`: `follower` replaces `sender`, with a `source`. */
export function zaloFollowEvent(o: EventOptions & { unfollow?: boolean }) {
  return {
    oa_id: o.oaId ?? OA_ID,
    follower: { id: o.userId },
    user_id_by_app: '552177279717587730',
    event_name: o.unfollow ? 'unfollow' : 'follow',
    source: 'oa_profile',
    app_id: o.appId,
    timestamp: ts(o.at),
  };
}

/** `user_submit_info`: the answer to a `request_user_info` template. */
export function zaloSubmitInfoEvent(o: EventOptions & { name?: string; phone?: string; address?: string; city?: string }) {
  return {
    app_id: o.appId,
    sender: { id: o.userId },
    recipient: { id: o.oaId ?? OA_ID },
    event_name: 'user_submit_info',
    info: {
      ...(o.name !== undefined ? { name: o.name } : {}),
      ...(o.phone !== undefined ? { phone: o.phone } : {}),
      ...(o.address !== undefined ? { address: o.address } : {}),
      ...(o.city !== undefined ? { city: o.city } : {}),
    },
    timestamp: ts(o.at),
  };
}

/** Events we acknowledge and ignore: delivery/seen receipts (user -> OA) and the OA's own message echo. */
export function zaloReceiptEvent(o: EventOptions & { kind: 'user_received_message' | 'user_seen_message' | 'oa_send_text' }) {
  const oa = o.oaId ?? OA_ID;
  const echo = o.kind === 'oa_send_text';
  return {
    app_id: o.appId,
    sender: echo ? { id: oa, admin_id: '1234567890' } : { id: o.userId },
    recipient: { id: echo ? o.userId : oa },
    event_name: o.kind,
    message: echo ? { msg_id: msgId(), text: 'Xin chào' } : { msg_ids: [msgId()] },
    timestamp: ts(o.at),
  };
}
