/** The register: search by number, holder or phone; filter by type and expiry; one page at a time. */
import type { Request } from 'express';
import type { LicencePage } from '../../licences';
import { html } from '../html';
import { roleAllows } from '../layout/nav';
import { sectionT, type LicencesConsoleDeps } from './deps';
import { EXPIRY_CHOICES, filterQuery, type ListFilter } from './filter';
import { day, expiryBadge, typeName } from './views';

export interface ListPageData {
  filter: ListFilter;
  result: LicencePage;
  today: string;
  /** Procedure slug -> name, for the type column and the type filter. */
  types: ReadonlyMap<string, string>;
}

export function listPage(req: Request, deps: LicencesConsoleDeps, d: ListPageData): string {
  const t = sectionT(deps.i18n);
  const { filter: f, result, today } = d;
  const canChange = req.official ? roleAllows(req.official.role, ['officer']) : false;
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const expiryLabels: Record<(typeof EXPIRY_CHOICES)[number], string> = {
    '30': t('list.within', { days: 30 }),
    '60': t('list.within', { days: 60 }),
    '90': t('list.within', { days: 90 }),
    expired: t('list.expired'),
  };
  const rows = result.rows.map(
    (l) => html`<tr>
      <td><a href="${`/admin/licences/${l.id}`}"><code>${l.number}</code></a></td>
      <td>${l.holderName}</td>
      <td>${typeName(d.types, l.procedureSlug)}</td>
      <td class="nowrap">${l.phone ?? '—'}</td>
      <td class="nowrap">${day(l.issuedOn)}</td>
      <td class="nowrap">${day(l.expiresOn)} ${expiryBadge(t, today, l.expiresOn)}</td>
    </tr>`,
  );
  const body = html`
    ${canChange
      ? html`<div class="toolbar">
          <a class="btn primary" href="/admin/licences/import">${t('list.import')}</a>
          <a class="btn" href="${`/admin/licences/export.csv${filterQuery(f, { page: 1 })}`}">${t('list.export')}</a>
        </div>`
      : ''}
    <form method="get" action="/admin/licences" class="toolbar" role="search">
      <label for="q">${t('list.search')}</label>
      <input id="q" name="q" type="search" value="${f.q}" placeholder="${t('list.searchPlaceholder')}">
      <label for="type">${t('list.type')}</label>
      <select id="type" name="type">
        <option value="">${t('list.allTypes')}</option>
        ${[...d.types].map(([slug, name]) => html`<option value="${slug}"${slug === f.type ? html` selected` : ''}>${name}</option>`)}
      </select>
      <label for="expiry">${t('list.expiry')}</label>
      <select id="expiry" name="expiry">
        <option value="">${t('list.anyExpiry')}</option>
        ${EXPIRY_CHOICES.map((v) => html`<option value="${v}"${v === f.expiry ? html` selected` : ''}>${expiryLabels[v]}</option>`)}
      </select>
      <button type="submit" class="btn">${t('list.filter')}</button>
    </form>
    <p class="muted">${t('list.count', { total: result.total })}</p>
    ${result.rows.length === 0
      ? html`<p>${t('list.empty')}</p>`
      : html`<div class="table-wrap"><table class="data">
          <thead><tr>
            <th scope="col">${t('field.number')}</th><th scope="col">${t('field.holder')}</th><th scope="col">${t('field.type')}</th>
            <th scope="col">${t('field.phone')}</th><th scope="col">${t('field.issuedOn')}</th><th scope="col">${t('field.expiresOn')}</th>
          </tr></thead>
          <tbody>${rows}</tbody>
        </table></div>`}
    <nav class="pagination" aria-label="${t('list.pagination')}">
      ${result.page > 1 ? html`<a class="btn" rel="prev" href="${`/admin/licences${filterQuery(f, { page: result.page - 1 })}`}">${t('list.previous')}</a>` : ''}
      <span>${t('list.pageOf', { page: result.page, pages })}</span>
      ${result.page < pages ? html`<a class="btn" rel="next" href="${`/admin/licences${filterQuery(f, { page: result.page + 1 })}`}">${t('list.next')}</a>` : ''}
    </nav>`;
  return deps.kit.page(req, { title: t('list.title'), body, active: 'licences' });
}
