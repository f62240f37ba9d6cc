/**
 * Pieces shared by the inbox pages and the polling endpoint: how a person, a channel and a message
 * are described to officials. A message becomes a `MessageView` once, on the server, so the page
 * and `inbox.js` (which draws messages that arrive later) show exactly the same thing.
 */
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import type { InboxConversation, InboxMessage } from './store';
import { formatVnDateTime } from './time';

export interface MessageView {
  id: number;
  /** in: the person; out: the bot; official: an official's reply. */
  kind: 'in' | 'out' | 'official';
  author: string;
  time: string;
  text: string;
  /** What the NLU understood (intent, score, procedure), in small print; null when nothing. */
  meta: string | null;
}

export const channelLabel = (c: InboxConversation, i18n: Translator) => i18n.t(`admin-inbox.channels.${c.channel}`);

/** The person's name when they shared it, otherwise a short form of their channel id (ids are long and opaque). */
export function personLabel(c: InboxConversation, i18n: Translator): string {
  if (c.contactName) return c.contactName;
  const id = c.channelUserId.length > 12 ? `${c.channelUserId.slice(0, 10)}…` : c.channelUserId;
  return i18n.t('admin-inbox.person.anonymous', { id });
}

/** Name, phone and full channel id, for a table cell or the page's details. */
export function personCell(c: InboxConversation, i18n: Translator): Html {
  return html`<strong>${personLabel(c, i18n)}</strong>${
    c.contactPhone ? html`<br><span class="muted">${i18n.t('admin-inbox.person.phone', { phone: c.contactPhone })}</span>` : ''
  }<br><small class="muted">${c.channelUserId}</small>`;
}

/** Text of a message, or what was tapped when it was a button. */
export function messageText(m: { text: string | null; payload: string | null }, i18n: Translator): string {
  if (m.text) return m.text;
  return m.payload ? i18n.t('admin-inbox.payload', { payload: m.payload }) : '';
}

export function toMessageView(m: InboxMessage, i18n: Translator): MessageView {
  const kind = m.direction === 'in' ? 'in' : m.author === 'official' ? 'official' : 'out';
  const author =
    kind === 'in'
      ? i18n.t('admin-inbox.conversation.authors.person')
      : kind === 'out'
        ? i18n.t('admin-inbox.conversation.authors.bot')
        : m.officialName
          ? i18n.t('admin-inbox.conversation.authors.official', { name: m.officialName })
          : i18n.t('admin-inbox.conversation.authors.officialUnknown');
  const meta: string[] = [];
  if (kind === 'in' && m.intent && m.score !== null) {
    meta.push(i18n.t('admin-inbox.conversation.understood', { intent: m.intent, score: m.score.toFixed(2).replace('.', ',') }));
  }
  if (kind === 'in' && m.procedure) meta.push(i18n.t('admin-inbox.conversation.procedure', { procedure: m.procedure }));
  return { id: m.id, kind, author, time: formatVnDateTime(m.createdAt), text: messageText(m, i18n), meta: meta.length ? meta.join(' · ') : null };
}

/** Multi-line text with line breaks kept (each line escaped on its own). */
export function lines(text: string): Html {
  return html`${text.split(/\r\n|\r|\n/).map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}`;
}

const bubbleClass = { in: 'bubble in', out: 'bubble out', official: 'bubble out official' } as const;

/**
 * One message as `inbox.js` also draws it: author and time, the text, then what was understood.
 * No whitespace between the parts: bubbles keep white space (`pre-wrap`) for the message text.
 */
export function bubble(v: MessageView): Html {
  const meta = v.meta ? html`<div class="muted"><small>${v.meta}</small></div>` : '';
  return html`<div class="${bubbleClass[v.kind]}" data-id="${v.id}"><div class="muted"><small>${v.author} · ${v.time}</small></div><div>${lines(v.text)}</div>${meta}</div>`;
}
