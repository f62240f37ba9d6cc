/**
 * The import page: choose a file, see what it would do (rows to insert, rows to update with their
 * changes, rejected rows with reasons), then commit exactly the checked file. The file travels
 * base64-encoded in an ordinary urlencoded form (filled by public/import-file.js), so the CSRF
 * field is read like in every other form and no multipart parser is needed.
 */
import type { Request } from 'express';
import type { Licence, LicenceImportResult } from '../../licences';
import type { ParsedRow } from '../../licences/import';
import { html, type Html } from '../html';
import { ASSETS, sectionT, type LicencesConsoleDeps } from './deps';
import { day, typeName } from './views';

/** Rows listed per preview table; the rest are counted. */
export const PREVIEW_ROWS = 200;

export interface ImportPageOptions {
  /** The checked file, kept for "Nhập" (base64) with its name and fingerprint. */
  file?: { name: string; data: string; hash: string };
  result?: LicenceImportResult;
  error?: string;
  types: ReadonlyMap<string, string>;
}

type T = ReturnType<typeof sectionT>;

const CHANGE_FIELDS = ['procedureSlug', 'holderName', 'phone', 'issuedOn', 'expiresOn'] as const;

/** The fields an update changes, as "old → new". */
function changes(t: T, row: ParsedRow & { before: Licence }, types: ReadonlyMap<string, string>): Html {
  const show = (field: (typeof CHANGE_FIELDS)[number], value: string | null | undefined): string => {
    if (field === 'procedureSlug') return value ? typeName(types, value) : '—';
    if (field === 'issuedOn' || field === 'expiresOn') return day(value ?? null);
    return value ?? '—';
  };
  const changed = CHANGE_FIELDS.filter((f) => (row.licence[f] ?? null) !== (row.before[f] ?? null));
  if (changed.length === 0) return html`<span class="muted">${t('import.unchanged')}</span>`;
  return html`<ul class="plain">${changed.map(
    (f) => html`<li>${t(`importField.${f}`)}: <del>${show(f, row.before[f])}</del> → <ins>${show(f, row.licence[f])}</ins></li>`,
  )}</ul>`;
}

function rowsTable(t: T, title: string, rows: Html[], total: number): Html {
  if (total === 0) return html``;
  return html`<h3>${title}</h3><div class="table-wrap"><table class="data">
      <thead><tr><th scope="col">${t('import.line')}</th><th scope="col">${t('field.number')}</th><th scope="col">${t('field.holder')}</th>
        <th scope="col">${t('field.type')}</th><th scope="col">${t('field.expiresOn')}</th><th scope="col">${t('import.details')}</th></tr></thead>
      <tbody>${rows}</tbody></table></div>
    ${total > rows.length ? html`<p class="muted">${t('import.more', { n: total - rows.length })}</p>` : ''}`;
}

function resultCard(t: T, r: LicenceImportResult, types: ReadonlyMap<string, string>): Html {
  const { summary } = r;
  if (summary.rejected.length > 0) {
    return html`<section class="card" role="alert"><h2>${t('import.rejectedTitle', { n: summary.rejected.length })}</h2>
      <p>${t('import.nothingWritten')}</p>
      <div class="table-wrap"><table class="data"><thead><tr><th scope="col">${t('import.line')}</th><th scope="col">${t('import.reason')}</th></tr></thead>
        <tbody>${summary.rejected.map((x) => html`<tr><td>${x.line}</td><td>${x.reason}</td></tr>`)}</tbody></table></div></section>`;
  }
  const counts = { imported: summary.imported, updated: summary.updated };
  const row = (p: ParsedRow, details: Html) => html`<tr><td>${p.line}</td><td><code>${p.licence.number}</code></td><td>${p.licence.holderName}</td>
    <td>${typeName(types, p.licence.procedureSlug)}</td><td class="nowrap">${day(p.licence.expiresOn)}</td><td>${details}</td></tr>`;
  return html`<section class="card"><h2>${r.committed ? t('import.doneTitle') : t('import.checkTitle')}</h2>
    <p>${t(r.committed ? 'import.doneCounts' : 'import.checkCounts', counts)}</p>
    ${r.committed
      ? html`<p><a class="btn" href="/admin/licences">${t('detail.back')}</a></p>`
      : html`${rowsTable(t, t('import.toInsert'), r.inserts.slice(0, PREVIEW_ROWS).map((p) => row(p, html`${p.licence.phone ?? ''}`)), r.inserts.length)}
        ${rowsTable(t, t('import.toUpdate'), r.updates.slice(0, PREVIEW_ROWS).map((p) => row(p, changes(t, p, types))), r.updates.length)}`}
  </section>`;
}

export function importPage(req: Request, deps: LicencesConsoleDeps, o: ImportPageOptions): string {
  const t = sectionT(deps.i18n);
  const canCommit = o.file && o.result && !o.result.committed && o.result.summary.rejected.length === 0;
  const body = html`<div class="toolbar"><a class="btn" href="/admin/licences">${t('detail.back')}</a></div>
    <p>${t('import.intro')}</p>
    <p class="muted">${t('import.columns')}</p>
    ${o.error ? html`<div class="flash error" role="alert">${o.error}</div>` : ''}
    ${o.result ? resultCard(t, o.result, o.types) : ''}
    <form method="post" action="/admin/licences/import" class="card">
      ${deps.kit.csrfField(req)}
      <input type="hidden" name="data" value="${canCommit && o.file ? o.file.data : ''}">
      <input type="hidden" name="fileName" value="${canCommit && o.file ? o.file.name : ''}">
      ${canCommit && o.file ? html`<input type="hidden" name="checked" value="${o.file.hash}">` : ''}
      <div class="form-row">
        <label for="licence-file">${t('import.file')}</label>
        <input id="licence-file" type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-licence-file>
        <p class="hint muted">${t('import.fileHint')}</p>
        <noscript><p class="field-error">${t('import.needsScript')}</p></noscript>
      </div>
      <div class="toolbar">
        <button type="submit" name="action" value="check" class="btn${canCommit ? '' : ' primary'}" data-licence-check>${t('import.check')}</button>
        ${canCommit && o.file ? html`<button type="submit" name="action" value="commit" class="btn primary">${t('import.commit', { name: o.file.name })}</button>` : ''}
      </div>
    </form>`;
  return deps.kit.page(req, { title: t('import.title'), body, active: 'licences', scripts: [`${ASSETS}/import-file.js`] });
}
