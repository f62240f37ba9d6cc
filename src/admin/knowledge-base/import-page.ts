/**
 * The import page. The file travels as text in an ordinary urlencoded form (a textarea, filled by
 * pasting or by a local script reading the chosen file): no multipart parser is needed, the CSRF
 * field is read like in every other form, and a checked file can be committed without uploading it
 * twice.
 */
import type { Request } from 'express';
import type { ImportSummary } from '../../procedures';
import { html, type Html } from '../html';
import { ASSETS, fieldError, type FieldErrors, type KnowledgeBaseDeps } from './deps';

export type ImportFormat = 'auto' | 'json' | 'csv';

export interface ImportPageOptions {
  content: string;
  format: ImportFormat;
  errors?: FieldErrors;
  /** The result of the last check or import. */
  result?: { summary: ImportSummary; committed: boolean };
  /** Fingerprint of the content that passed the check: "Nhập" commits exactly what was checked. */
  checkedHash?: string;
}

function summaryCard(deps: KnowledgeBaseDeps, r: NonNullable<ImportPageOptions['result']>): Html {
  const { summary, committed } = r;
  const t = (k: string, p?: Record<string, string | number>) => deps.i18n.t(k, p);
  const counts = { imported: summary.imported, updated: summary.updated, offices: summary.offices };
  if (summary.rejected.length > 0) {
    return html`<section class="card" role="alert"><h2>${t('admin-kb.transfer.rejectedTitle', { n: summary.rejected.length })}</h2>
      <p>${t('admin-kb.transfer.nothingWritten')}</p>
      <table class="data"><thead><tr><th>${t('admin-kb.transfer.line')}</th><th>${t('admin-kb.transfer.reason')}</th></tr></thead>
        <tbody>${summary.rejected.map((x) => html`<tr><td>${x.line}</td><td>${x.reason}</td></tr>`)}</tbody></table></section>`;
  }
  return html`<section class="card"><h2>${committed ? t('admin-kb.transfer.doneTitle') : t('admin-kb.transfer.checkTitle')}</h2>
    <p>${t(committed ? 'admin-kb.transfer.doneCounts' : 'admin-kb.transfer.checkCounts', counts)}</p></section>`;
}

export function importPage(req: Request, deps: KnowledgeBaseDeps, o: ImportPageOptions): string {
  const t = (k: string) => deps.i18n.t(k);
  const errors = o.errors ?? {};
  const canCommit = o.result && !o.result.committed && o.result.summary.rejected.length === 0;
  const formats: [ImportFormat, string][] = [
    ['auto', t('admin-kb.transfer.formatAuto')],
    ['json', 'JSON'],
    ['csv', 'CSV'],
  ];
  const body = html`<div class="toolbar"><a class="btn" href="/admin/procedures">${t('admin-kb.backToList')}</a></div>
    <p>${t('admin-kb.transfer.intro')}</p>
    ${o.result ? summaryCard(deps, o.result) : ''}
    <form method="post" action="/admin/procedures/import" class="card">
      ${deps.kit.csrfField(req)}
      ${canCommit && o.checkedHash ? html`<input type="hidden" name="checked" value="${o.checkedHash}">` : ''}
      <div class="form-row">
        <label for="import-file">${t('admin-kb.transfer.file')}</label>
        <input id="import-file" type="file" accept=".json,.csv,application/json,text/csv" data-import-file>
        <p class="hint muted">${t('admin-kb.transfer.fileHint')}</p>
      </div>
      <div class="form-row">
        <label for="f-format">${t('admin-kb.transfer.format')}</label>
        <select id="f-format" name="format">${formats.map(([v, l]) => html`<option value="${v}"${v === o.format ? html` selected` : ''}>${l}</option>`)}</select>
      </div>
      <div class="form-row">
        <label for="f-content">${t('admin-kb.transfer.content')}</label>
        <textarea id="f-content" name="content" rows="14" spellcheck="false"${errors.content ? html` aria-invalid="true" aria-describedby="err-content"` : ''}>${o.content}</textarea>
        ${fieldError(errors, 'content')}
      </div>
      <div class="toolbar">
        <button type="submit" name="action" value="check" class="btn${canCommit ? '' : ' primary'}">${t('admin-kb.transfer.check')}</button>
        ${canCommit ? html`<button type="submit" name="action" value="commit" class="btn primary">${t('admin-kb.transfer.commit')}</button>` : ''}
      </div>
    </form>`;
  return deps.kit.page(req, { title: t('admin-kb.transfer.importTitle'), body, active: 'procedures', scripts: [`${ASSETS}/kb.css`, `${ASSETS}/import-file.js`] });
}
