/** The procedure list: search (without diacritics), filters by field and status, and the table. */
import type { Request } from 'express';
import { foldVietnamese } from '../../nlu';
import type { StoredProcedure } from '../../procedures';
import { html } from '../html';
import { doneFlash, formatVietnamTime, type KnowledgeBaseDeps } from './deps';

export interface ListFilter {
  q: string;
  field: string;
  status: 'all' | 'active' | 'retired';
}

/** The filter from the query string; anything unexpected falls back to "everything". */
export function readListFilter(query: Request['query']): ListFilter {
  const get = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : '');
  const status = get('status');
  return { q: get('q').trim(), field: get('field'), status: status === 'active' || status === 'retired' ? status : 'all' };
}

/**
 * Procedures matching the filter. The search folds diacritics and case on both sides, so "ket hon"
 * finds "Đăng ký kết hôn", and it looks at the name, every alias and the slug.
 */
export function filterProcedures<P extends StoredProcedure>(list: P[], f: ListFilter): P[] {
  const q = foldVietnamese(f.q);
  return list.filter((p) => {
    if (f.status !== 'all' && p.status !== f.status) return false;
    if (f.field && p.field !== f.field) return false;
    if (!q) return true;
    return [p.name, p.slug, ...p.aliases].some((s) => foldVietnamese(s).includes(q));
  });
}

export function procedureListPage(req: Request, deps: KnowledgeBaseDeps, all: StoredProcedure[]): string {
  const t = (k: string, params?: Record<string, string | number>) => deps.i18n.t(k, params);
  const f = readListFilter(req.query);
  const shown = filterProcedures(all, f).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
  const fields = [...new Set(all.map((p) => p.field))].sort((a, b) => a.localeCompare(b, 'vi'));
  const statusChoices: [ListFilter['status'], string][] = [
    ['all', t('admin-kb.list.allStatuses')],
    ['active', t('admin-kb.status.active')],
    ['retired', t('admin-kb.status.retired')],
  ];
  const rows = shown.map(
    (p) => html`<tr>
      <td><a href="${`/admin/procedures/${p.slug}`}">${p.name}</a>
        ${p.isSample ? html` <span class="badge warn">${t('admin-kb.list.sample')}</span>` : ''}</td>
      <td><code>${p.slug}</code></td>
      <td>${p.field}</td>
      <td>${p.status === 'active'
        ? html`<span class="badge ok">${t('admin-kb.status.active')}</span>`
        : html`<span class="badge muted">${t('admin-kb.status.retired')}</span>`}</td>
      <td><time datetime="${p.updatedAt.toISOString()}">${formatVietnamTime(p.updatedAt)}</time></td>
      <td><a href="${`/admin/procedures/${p.slug}/poster`}">${t('admin-kb.poster.link')}</a></td>
    </tr>`,
  );
  const body = html`
    <div class="toolbar">
      <a class="btn primary" href="/admin/procedures/new">${t('admin-kb.list.new')}</a>
      <a class="btn" href="/admin/procedures/import">${t('admin-kb.transfer.importLink')}</a>
      <a class="btn" href="/admin/procedures/export.json">${t('admin-kb.transfer.exportJson')}</a>
      <a class="btn" href="/admin/procedures/export.csv">${t('admin-kb.transfer.exportCsv')}</a>
      <a class="btn" href="/admin/offices">${t('admin-kb.office.listTitle')}</a>
    </div>
    <form method="get" action="/admin/procedures" class="toolbar" role="search">
      <label for="q">${t('admin-kb.list.search')}</label>
      <input id="q" name="q" type="search" value="${f.q}" placeholder="${t('admin-kb.list.searchPlaceholder')}">
      <label for="field">${t('admin-kb.procedure.field')}</label>
      <select id="field" name="field">
        <option value="">${t('admin-kb.list.allFields')}</option>
        ${fields.map((x) => html`<option value="${x}"${x === f.field ? html` selected` : ''}>${x}</option>`)}
      </select>
      <label for="status">${t('admin-kb.list.status')}</label>
      <select id="status" name="status">
        ${statusChoices.map(([v, l]) => html`<option value="${v}"${v === f.status ? html` selected` : ''}>${l}</option>`)}
      </select>
      <button type="submit" class="btn">${t('admin-kb.list.filter')}</button>
    </form>
    <p class="muted">${t('admin-kb.list.count', { shown: shown.length, total: all.length })}</p>
    ${shown.length === 0
      ? html`<p>${t('admin-kb.list.empty')}</p>`
      : html`<table class="data">
          <thead><tr>
            <th>${t('admin-kb.procedure.name')}</th><th>${t('admin-kb.procedure.slug')}</th><th>${t('admin-kb.procedure.field')}</th>
            <th>${t('admin-kb.list.status')}</th><th>${t('admin-kb.list.updatedAt')}</th><th>${t('admin-kb.poster.column')}</th>
          </tr></thead>
          <tbody>${rows}</tbody>
        </table>`}`;
  return deps.kit.page(req, { title: t('admin-kb.list.title'), body, active: 'procedures', flash: doneFlash(req, deps.i18n) });
}
