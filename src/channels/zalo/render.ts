/**
 * A channel-neutral `Reply` as Zalo customer-service (CS) messages.
 *
 * Text: Zalo refuses CS text over 2,000 characters (docs "Gửi tin Tư vấn dạng văn bản": max 2000;
 * over-long text is rejected, not cut). We SPLIT long replies into several messages at paragraph,
 * then line, then word boundaries rather than truncate: a list of required documents cut in half
 * would mislead a citizen more than two bubbles do.
 *
 * Quick replies and buttons: rendered natively as a CS message with
 * `attachment: {type: "template", payload: {buttons: [...]}}` — the "tin tư vấn kèm nút" shape used
 * by Zalo's resellers' docs (eSMS "Send Zalo message Consulting button") and by several production
 * OA bots; no `template_type` is sent (the v3.0 docs do not define a "button" template_type for CS
 * messages, and the `list` template is undocumented on v3.0 — spec §5.3 flags it unverified).
 * - payload buttons -> `oa.query.hide` with payload `#<our payload>`: a tap comes back as a normal
 *   `user_send_text` whose text is that payload (see `webhook.ts`). `hide` rather than `show`,
 *   because `show` would put our machine payload ("#PROC:khai-sinh:fee") in the person's own chat
 *   bubble; the reply that follows the tap is the visible feedback.
 * - url buttons -> `oa.open.url` with `payload: {url}`.
 * Limits used: title ≤ 100 characters, query payload ≤ 1,000 characters (Zalo button structure,
 * "cau-truc-cua-tham-so-buttons"), and at most 5 buttons per message (the count every documented
 * example stays within); extra options go on follow-up messages so none is lost.
 */
import type { Reply } from '../types';
import { PAYLOAD_PREFIX } from './webhook';

export const MAX_CS_TEXT = 2000;
export const MAX_BUTTONS_PER_MESSAGE = 5;
const MAX_BUTTON_TITLE = 100;
const MAX_QUERY_PAYLOAD = 1000;
/** Text of a follow-up message that only carries more buttons (CS messages need some text). */
export const MORE_OPTIONS_TEXT = '…';

export type ZaloButton =
  | { title: string; type: 'oa.query.hide'; payload: string }
  | { title: string; type: 'oa.open.url'; payload: { url: string } };

/** The `message` object of a CS request. */
export interface CsMessage {
  text: string;
  attachment?: { type: 'template'; payload: { buttons: ZaloButton[] } };
}

/** Cuts `s` to at most `max` UTF-16 units, preferring the last space, never inside a surrogate pair. */
function hardCut(s: string, max: number): [string, string] {
  let cut = max;
  const space = s.lastIndexOf(' ', max);
  if (space > max / 2) cut = space;
  else if (/[\uD800-\uDBFF]/.test(s.charAt(cut - 1))) cut -= 1;
  return [s.slice(0, cut).trimEnd(), s.slice(cut).trimStart()];
}

/** Pieces of at most `max` characters, joined back with `sep` where they fit. */
function pack(pieces: string[], sep: string, max: number, split: (p: string) => string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const piece of pieces.flatMap((p) => (p.length > max ? split(p) : [p]))) {
    if (current === '') current = piece;
    else if (current.length + sep.length + piece.length <= max) current += sep + piece;
    else {
      out.push(current);
      current = piece;
    }
  }
  if (current !== '') out.push(current);
  return out;
}

function splitWords(line: string, max: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const [head, tail] = hardCut(rest, max);
    out.push(head);
    rest = tail;
  }
  if (rest) out.push(rest);
  return out;
}

/**
 * `text` (NFC, so Vietnamese letters count once) in pieces of at most `max` characters, cut at
 * paragraph boundaries first, then lines, then words. Text that fits comes back unchanged.
 */
export function splitCsText(text: string, max = MAX_CS_TEXT): string[] {
  const nfc = text.normalize('NFC');
  if (nfc.length <= max) return [nfc];
  const byLine = (para: string) => pack(para.split('\n'), '\n', max, (line) => splitWords(line, max));
  return pack(nfc.split('\n\n'), '\n\n', max, byLine);
}

/** The reply's buttons then quick replies as Zalo buttons; options Zalo cannot carry are reported. */
export function renderButtons(reply: Reply, onDropped: (title: string, why: string) => void = () => undefined): ZaloButton[] {
  const options = [...(reply.buttons ?? []), ...(reply.quickReplies ?? [])];
  const out: ZaloButton[] = [];
  for (const o of options) {
    const title = o.title.normalize('NFC');
    if (title.length > MAX_BUTTON_TITLE) {
      onDropped(o.title, `title longer than ${MAX_BUTTON_TITLE}`);
      continue;
    }
    if ('url' in o && o.url) {
      out.push({ title, type: 'oa.open.url', payload: { url: o.url } });
    } else if (o.payload) {
      const payload = PAYLOAD_PREFIX + o.payload;
      if (payload.length > MAX_QUERY_PAYLOAD) onDropped(o.title, `payload longer than ${MAX_QUERY_PAYLOAD - PAYLOAD_PREFIX.length}`);
      else out.push({ title, type: 'oa.query.hide', payload });
    }
  }
  return out;
}

/**
 * The CS messages for one reply, in sending order: the text (split when long) with the first five
 * options on its last piece, then follow-up messages for any further options.
 */
export function renderCsMessages(reply: Reply, onDropped?: (title: string, why: string) => void): CsMessage[] {
  const messages: CsMessage[] = splitCsText(reply.text).map((text) => ({ text }));
  const buttons = renderButtons(reply, onDropped);
  for (let i = 0; i < buttons.length; i += MAX_BUTTONS_PER_MESSAGE) {
    const attachment = { type: 'template' as const, payload: { buttons: buttons.slice(i, i + MAX_BUTTONS_PER_MESSAGE) } };
    const last = messages[messages.length - 1];
    if (i === 0 && last) last.attachment = attachment;
    else messages.push({ text: MORE_OPTIONS_TEXT, attachment });
  }
  return messages;
}
