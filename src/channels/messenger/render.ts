/**
 * Channel-neutral `Reply` -> the Send API `message` objects that carry it (one Send API call each).
 *
 * Native rendering (Send API reference, developers.facebook.com/docs/messenger-platform/…):
 * - text: `{text}`, "less than 2000 characters" -> longer text is split at line boundaries into
 *   several text messages, in order.
 * - quick replies: `quick_replies: [{content_type:'text', title, payload}]`, "up to 13", title 20
 *   characters, payload 1000 characters (Quick replies reference) -> attached to the LAST message,
 *   titles shortened with an ellipsis, beyond 13 dropped (and reported through `onDegrade`).
 * - buttons: the button template `{attachment:{type:'template', payload:{template_type:'button',
 *   text (≤ 640), buttons: 1–3}}}` with `postback` buttons (title 20, payload 1000) and `web_url`
 *   buttons (Button template / Buttons reference). The template carries the last ≤ 640 characters of
 *   the text (cut at a line break); any text before that goes first as plain text messages; more than
 *   three buttons continue in further templates of three whose text is `continuationText`.
 */
import type { Reply } from '../types';
import { BUTTON_TEMPLATE_TEXT_LIMIT, TEXT_LIMIT, fitTitle, splitTail, splitText } from './text';

/** At most this many quick replies per message (Quick replies reference). */
export const MAX_QUICK_REPLIES = 13;
/** At most this many buttons per button template (Button template reference). */
export const MAX_TEMPLATE_BUTTONS = 3;

export interface GraphQuickReply {
  content_type: 'text';
  title: string;
  payload: string;
}

export type GraphButton = { type: 'postback'; title: string; payload: string } | { type: 'web_url'; title: string; url: string };

export interface GraphButtonTemplate {
  type: 'template';
  payload: { template_type: 'button'; text: string; buttons: GraphButton[] };
}

/** The `message` field of one Send API request. */
export type GraphMessage =
  | { text: string; quick_replies?: GraphQuickReply[] }
  | { attachment: GraphButtonTemplate; quick_replies?: GraphQuickReply[] };

export interface RenderOptions {
  /** Text of the extra templates needed when a reply has more than three buttons (non-empty). */
  continuationText?: string;
  /** Told when something had to be dropped to fit the platform (more than 13 quick replies). */
  onDegrade?: (what: string) => void;
}

/** Thrown for a reply with nothing to show (blank text, no buttons): it can never be sent. */
export class EmptyReplyError extends Error {
  override name = 'EmptyReplyError';
}

type Button = NonNullable<Reply['buttons']>[number];

function toGraphButton(b: Button): GraphButton {
  const title = fitTitle(b.title);
  if (b.url) return { type: 'web_url', title, url: b.url };
  return { type: 'postback', title, payload: b.payload ?? title };
}

function template(text: string, buttons: GraphButton[]): GraphMessage {
  return { attachment: { type: 'template', payload: { template_type: 'button', text, buttons } } };
}

/**
 * Renders one reply as the ordered list of Send API messages that carry it. Each message fits every
 * documented limit, so a well-formed reply never earns a validation error (code 100) from Meta.
 * @throws EmptyReplyError when there is nothing to send.
 */
export function renderReply(reply: Reply, options: RenderOptions = {}): GraphMessage[] {
  const continuation = options.continuationText?.trim() || '\u2026';
  const buttons = (reply.buttons ?? []).map(toGraphButton);
  const groups: GraphButton[][] = [];
  for (let i = 0; i < buttons.length; i += MAX_TEMPLATE_BUTTONS) groups.push(buttons.slice(i, i + MAX_TEMPLATE_BUTTONS));

  const messages: GraphMessage[] = [];
  const [firstGroup, ...moreGroups] = groups;
  if (!firstGroup) {
    for (const piece of splitText(reply.text, TEXT_LIMIT)) messages.push({ text: piece });
  } else {
    const { head, tail } = splitTail(reply.text.trim(), BUTTON_TEMPLATE_TEXT_LIMIT);
    for (const piece of splitText(head, TEXT_LIMIT)) messages.push({ text: piece });
    messages.push(template(tail.trim() ? tail : continuation, firstGroup));
    for (const group of moreGroups) messages.push(template(continuation, group));
  }
  const last = messages[messages.length - 1];
  if (!last) throw new EmptyReplyError('the reply has no text and no buttons');

  const quick = reply.quickReplies ?? [];
  if (quick.length > MAX_QUICK_REPLIES) {
    options.onDegrade?.(`${quick.length} quick replies; Messenger shows at most ${MAX_QUICK_REPLIES}, the rest were dropped`);
  }
  if (quick.length > 0) {
    last.quick_replies = quick
      .slice(0, MAX_QUICK_REPLIES)
      .map((q) => ({ content_type: 'text' as const, title: fitTitle(q.title), payload: q.payload }));
  }
  return messages;
}
