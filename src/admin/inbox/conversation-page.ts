/**
 * One conversation for an official: the history, who holds it, and what this official may do now
 * (claim, reply, hand back). The history element carries what `inbox.js` needs to fetch new
 * messages (data attributes: no inline script under the console's CSP).
 */
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import type { Official } from '../kit';
import type { InboxConversation } from './store';
import { formatVnDateTime } from './time';
import { bubble, channelLabel, personCell, type MessageView } from './views';

export interface ConversationPageInput {
  conversation: InboxConversation;
  messages: MessageView[];
  official: Official;
  csrfField: Html;
  /** A fresh random value per drawn form: a double-submitted reply is stored once. */
  nonce: string;
  /** The reply form's text and error after a failed post (kept for the official to fix). */
  reply?: { text: string; error?: string };
}

/** Identifies who holds the conversation; the page reloads its buttons when this changes. */
export const holderState = (c: Pick<InboxConversation, 'status' | 'assignedOfficialId'>) => `${c.status}:${c.assignedOfficialId ?? ''}`;

export function mayClaim(c: InboxConversation): boolean {
  return c.status === 'waiting_human' || (c.status === 'human' && c.assignedOfficialId === null);
}

export function mayRelease(c: InboxConversation, official: Official): boolean {
  if (c.status === 'bot') return false;
  return c.status === 'waiting_human' || c.assignedOfficialId === null || c.assignedOfficialId === official.id || official.role === 'admin';
}

export const isHolder = (c: InboxConversation, official: Official) => c.status === 'human' && c.assignedOfficialId === official.id;

function details(c: InboxConversation, official: Official, i18n: Translator): Html {
  const t = (k: string, p?: Record<string, string>) => i18n.t(`admin-inbox.conversation.${k}`, p);
  const holder =
    c.status !== 'human' || c.assignedOfficialId === null
      ? t('nobody')
      : c.assignedOfficialId === official.id
        ? t('you', { name: official.name })
        : (c.assignedOfficialName ?? c.assignedOfficialId);
  const when = (d: Date | null) => (d ? formatVnDateTime(d) : '—');
  return html`<dl>
  <dt>${t('status')}</dt><dd><span class="badge${c.status === 'waiting_human' ? ' warn' : c.status === 'human' ? ' ok' : ' muted'}">${i18n.t(`admin-inbox.status.${c.status}`)}</span></dd>
  ${c.status !== 'bot' ? html`<dt>${t('reason')}</dt><dd>${i18n.t(`admin-inbox.reasons.${c.reason}`)}</dd>` : ''}
  <dt>${t('requestedAt')}</dt><dd>${when(c.handoffRequestedAt)}</dd>
  <dt>${t('holder')}</dt><dd>${holder}</dd>
  <dt>${t('claimedAt')}</dt><dd>${when(c.claimedAt)}</dd>
  <dt>${t('firstReplyAt')}</dt><dd>${when(c.firstHumanReplyAt)}</dd>
</dl>`;
}

function actions(input: ConversationPageInput, i18n: Translator): Html {
  const { conversation: c, official, csrfField } = input;
  const t = (k: string, p?: Record<string, string>) => i18n.t(`admin-inbox.conversation.${k}`, p);
  const parts: Html[] = [];
  if (c.status === 'bot') parts.push(html`<p class="muted">${t('notHandedOver')}</p>`);
  if (c.status === 'human' && c.assignedOfficialId !== null && c.assignedOfficialId !== official.id) {
    parts.push(html`<p>${t('heldByOther', { name: c.assignedOfficialName ?? c.assignedOfficialId })}</p>`);
  }
  if (mayClaim(c)) {
    parts.push(html`<form method="post" action="/admin/inbox/${c.id}/claim">${csrfField}
  <button type="submit" class="btn primary">${t('claim')}</button> <span class="muted">${t('claimHint')}</span>
</form>`);
  }
  if (mayRelease(c, official)) {
    parts.push(html`<form method="post" action="/admin/inbox/${c.id}/release">${csrfField}
  <button type="submit" class="btn">${t('release')}</button> <span class="muted">${t('releaseHint')}</span>
</form>`);
  }
  return html`<div class="toolbar">${parts}</div>`;
}

function replyForm(input: ConversationPageInput, i18n: Translator): Html {
  const { conversation: c, csrfField, nonce, reply } = input;
  const t = (k: string, p?: Record<string, string>) => i18n.t(`admin-inbox.conversation.${k}`, p);
  const hint = c.channel === 'webchat' ? t('webchatHint') : t('replyHint', { channel: channelLabel(c, i18n) });
  return html`<section class="card">
<form method="post" action="/admin/inbox/${c.id}/reply" novalidate>${csrfField}
  <input type="hidden" name="nonce" value="${nonce}">
  <div class="form-row">
    <label for="reply-text">${t('replyLabel')}</label>
    <textarea id="reply-text" name="text" rows="4" maxlength="2000"${reply?.error ? html` aria-invalid="true" aria-describedby="reply-error"` : ''}>${reply?.text ?? ''}</textarea>
    ${reply?.error ? html`<p class="field-error" id="reply-error">${reply.error}</p>` : ''}
    <p class="muted"><small>${hint}</small></p>
  </div>
  <button type="submit" class="btn primary">${t('send')}</button>
</form>
</section>`;
}

export function conversationPage(input: ConversationPageInput, i18n: Translator): Html {
  const { conversation: c, messages, official } = input;
  const t = (k: string) => i18n.t(`admin-inbox.conversation.${k}`);
  const lastId = messages.length ? messages[messages.length - 1]!.id : 0;
  return html`<p><a href="/admin/inbox">${t('back')}</a></p>
<section class="card">
  ${personCell(c, i18n)}<br><span class="badge">${channelLabel(c, i18n)}</span>
  ${details(c, official, i18n)}
  ${actions(input, i18n)}
</section>
<section class="card">
  <h2>${t('history')}</h2>
  <p id="inbox-notice" class="muted" role="status" hidden data-changed="${t('newActivity')}" data-reload="${t('reload')}" data-stopped="${t('pollStopped')}"></p>
  <div class="chat-log" id="inbox-chat" aria-live="polite"
    data-poll-url="/admin/inbox/${c.id}/messages.json" data-last-id="${lastId}" data-state="${holderState(c)}">
    ${messages.length ? messages.map(bubble) : html`<p class="muted" data-empty>${t('noMessages')}</p>`}
  </div>
</section>
${isHolder(c, official) ? replyForm(input, i18n) : ''}`;
}
