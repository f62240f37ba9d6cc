/** The broadcasts list: newest first, with status, audience, timing and a link to each one's progress. */
import type { Broadcast } from '../../broadcasts';
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import { formatDateTime } from '../layout/format';
import { segmentLabel, statusBadge, tb, type ProcedureNames } from './labels';

export function listPage(list: Broadcast[], names: ProcedureNames, i18n: Translator): Html {
  const rows = list.map(
    (b) => html`<tr>
      <td><a href="${`/admin/broadcasts/${b.id}`}">${b.title}</a></td>
      <td>${statusBadge(i18n, b.status)}</td>
      <td>${segmentLabel(i18n, b.segment, names)}</td>
      <td>${b.recipientCount ?? 0}</td>
      <td>${b.scheduledAt ? formatDateTime(b.scheduledAt) : '—'}</td>
      <td>${formatDateTime(b.createdAt)}</td>
    </tr>`,
  );
  return html`<p class="muted">${tb(i18n, 'list.intro')}</p>
  <div class="toolbar">
    <a class="btn primary" href="/admin/broadcasts/new">${tb(i18n, 'list.new')}</a>
    <a class="btn" href="/admin/delivery-outcomes">${tb(i18n, 'outcomes.title')}</a>
  </div>
  ${list.length === 0
    ? html`<p class="muted" id="broadcasts-empty">${tb(i18n, 'list.empty')}</p>`
    : html`<div class="table-wrap"><table class="data" id="broadcasts-list">
      <thead><tr>
        <th scope="col">${tb(i18n, 'list.columns.title')}</th><th scope="col">${tb(i18n, 'list.columns.status')}</th>
        <th scope="col">${tb(i18n, 'list.columns.segment')}</th><th scope="col">${tb(i18n, 'list.columns.recipients')}</th>
        <th scope="col">${tb(i18n, 'list.columns.scheduledAt')}</th><th scope="col">${tb(i18n, 'list.columns.createdAt')}</th>
      </tr></thead>
      <tbody>${rows}</tbody>
    </table></div>`}`;
}
