/** `GET /admin/audit` (admin): the audit log, newest first, filterable by entity, 50 rows a page. */
import { Router } from 'express';
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import type { AdminKit } from '../kit';
import { formatDateTime } from '../layout/format';
import { auditEntities, listAudit } from './audit';

export const AUDIT_PAGE_SIZE = 50;
/** Longer JSON is folded behind a disclosure so one big procedure does not swamp the table. */
const FOLD_OVER_CHARS = 300;

function jsonCell(i18n: Translator, value: unknown): Html {
  if (value === null || value === undefined) return html`<span class="muted">—</span>`;
  const text = JSON.stringify(value, null, 2);
  const pre = html`<pre class="json">${text}</pre>`;
  return text.length > FOLD_OVER_CHARS ? html`<details><summary>${i18n.t('admin-auth.audit.show')}</summary>${pre}</details>` : pre;
}

function pageLink(entity: string | undefined, page: number): string {
  const params = new URLSearchParams();
  if (entity) params.set('entity', entity);
  if (page > 1) params.set('page', String(page));
  const q = params.toString();
  return q ? `/admin/audit?${q}` : '/admin/audit';
}

export function auditRouter(deps: { db: Db; kit: AdminKit; i18n: Translator }): Router {
  const { db, kit, i18n } = deps;
  const router = Router();

  router.get('/admin/audit', kit.requireRole('admin'), async (req, res) => {
    const entities = await auditEntities(db);
    const wanted = typeof req.query.entity === 'string' ? req.query.entity : '';
    const entity = entities.includes(wanted) ? wanted : undefined;
    const requested = Number.parseInt(typeof req.query.page === 'string' ? req.query.page : '1', 10);
    const page = Number.isFinite(requested) && requested >= 1 ? Math.min(requested, 100_000) : 1;
    const { rows, total } = await listAudit(db, { entity, page, pageSize: AUDIT_PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));

    const body = html`<form method="get" action="/admin/audit" class="toolbar">
        <label for="audit-entity">${i18n.t('admin-auth.audit.entity')}</label>
        <select id="audit-entity" name="entity">
          <option value="">${i18n.t('admin-auth.audit.allEntities')}</option>
          ${entities.map((e) => html`<option value="${e}"${e === entity ? html` selected` : ''}>${e}</option>`)}
        </select>
        <button type="submit" class="btn">${i18n.t('admin-auth.audit.filter')}</button>
      </form>
      ${rows.length === 0
        ? html`<p class="card muted">${i18n.t('admin-auth.audit.empty')}</p>`
        : html`<div class="table-wrap"><table class="data audit">
        <thead><tr>
          <th scope="col">${i18n.t('admin-auth.audit.at')}</th>
          <th scope="col">${i18n.t('admin-auth.audit.who')}</th>
          <th scope="col">${i18n.t('admin-auth.audit.action')}</th>
          <th scope="col">${i18n.t('admin-auth.audit.entity')}</th>
          <th scope="col">${i18n.t('admin-auth.audit.before')}</th>
          <th scope="col">${i18n.t('admin-auth.audit.after')}</th>
        </tr></thead>
        <tbody>${rows.map(
          (r) => html`<tr>
            <td class="nowrap">${formatDateTime(r.at)}</td>
            <td>${r.officialId ? (r.officialName ?? r.officialId) : html`<span class="muted">${i18n.t('admin-auth.audit.system')}</span>`}</td>
            <td><code>${r.action}</code></td>
            <td>${r.entity}${r.entityId ? html`<br><span class="muted small">${r.entityId}</span>` : ''}</td>
            <td>${jsonCell(i18n, r.before)}</td>
            <td>${jsonCell(i18n, r.after)}</td>
          </tr>`,
        )}</tbody>
      </table></div>`}
      <nav class="pagination" aria-label="${i18n.t('admin-auth.audit.pagination')}">
        ${page > 1 ? html`<a class="btn" href="${pageLink(entity, page - 1)}" rel="prev">${i18n.t('admin-auth.audit.previous')}</a>` : ''}
        <span>${i18n.t('admin-auth.audit.pageOf', { page, pages })}</span>
        ${page < pages ? html`<a class="btn" href="${pageLink(entity, page + 1)}" rel="next">${i18n.t('admin-auth.audit.next')}</a>` : ''}
      </nav>`;
    res.type('html').send(kit.page(req, { title: i18n.t('admin-auth.audit.title'), active: 'audit', body }));
  });

  return router;
}
