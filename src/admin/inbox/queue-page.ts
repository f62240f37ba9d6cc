/** The inbox queue page: waiting conversations, mine, and other officials'. */
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import type { Queue, QueueRow } from './store';
import { formatAgo, formatDuration, formatVnDateTime } from './time';
import { channelLabel, messageText, personCell } from './views';

/** Long messages are cut in the list; the conversation page shows them whole. */
const PREVIEW_CHARS = 120;

function preview(row: QueueRow, i18n: Translator): string {
  if (!row.lastMessage) return '';
  const text = messageText(row.lastMessage, i18n).replace(/\s+/g, ' ').trim();
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

function row(r: QueueRow, i18n: Translator, now: Date, withHolder: boolean): Html {
  const since = r.handoffRequestedAt ?? r.lastMessageAt;
  return html`<tr>
  <td><span class="badge">${channelLabel(r, i18n)}</span></td>
  <td>${personCell(r, i18n)}</td>
  <td>${preview(r, i18n)}${
    r.lastMessage
      ? html`<br><small class="muted" title="${formatVnDateTime(r.lastMessage.at)}">${formatAgo(r.lastMessage.at, now, i18n)}</small>`
      : ''
  }</td>
  <td><span title="${formatVnDateTime(since)}">${formatDuration(Math.max(0, now.getTime() - since.getTime()), i18n)}</span></td>
  <td><span class="badge warn">${i18n.t(`admin-inbox.reasons.${r.reason}`)}</span></td>
  ${withHolder ? html`<td>${r.assignedOfficialName ?? ''}</td>` : ''}
  <td><a class="btn" href="/admin/inbox/${r.id}">${i18n.t('admin-inbox.open')}</a></td>
</tr>`;
}

function section(key: 'waiting' | 'mine' | 'others', rows: QueueRow[], i18n: Translator, now: Date): Html {
  const withHolder = key === 'others';
  const t = (k: string) => i18n.t(`admin-inbox.${k}`);
  return html`<section class="card" id="inbox-${key}">
  <h2>${t(`sections.${key}`)} <span class="badge${rows.length && key === 'waiting' ? ' warn' : ' muted'}">${rows.length}</span></h2>
  ${
    rows.length === 0
      ? html`<p class="muted">${t(`empty.${key}`)}</p>`
      : html`<table class="data">
    <thead><tr>
      <th scope="col">${t('columns.channel')}</th><th scope="col">${t('columns.person')}</th>
      <th scope="col">${t('columns.lastMessage')}</th><th scope="col">${t('columns.waited')}</th>
      <th scope="col">${t('columns.reason')}</th>${withHolder ? html`<th scope="col">${t('columns.holder')}</th>` : ''}
      <th scope="col">${t('columns.open')}</th>
    </tr></thead>
    <tbody>${rows.map((r) => row(r, i18n, now, withHolder))}</tbody>
  </table>`
  }
</section>`;
}

export function queuePage(queue: Queue, i18n: Translator, now: Date): Html {
  return html`<p class="muted">${i18n.t('admin-inbox.intro')}</p>
${section('waiting', queue.waiting, i18n, now)}
${section('mine', queue.mine, i18n, now)}
${section('others', queue.others, i18n, now)}`;
}
