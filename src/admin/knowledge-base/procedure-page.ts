/** The procedure edit page: every field of `procedureSchema`, the retire/restore action and the chat preview. */
import type { Request } from 'express';
import { documentFormSchema, procedureLevelSchema, type Office, type Procedure } from '../../procedures';
import { html, type Html } from '../html';
import { ASSETS, fieldError, invalidAttrs, type FieldErrors, type KnowledgeBaseDeps } from './deps';
import { checkbox, selectField, textArea, textField } from './fields';
import type { DocumentRow, ProcedureFormValues } from './procedure-form';

export interface ProcedurePageOptions {
  values: ProcedureFormValues;
  errors?: FieldErrors;
  offices: Office[];
  isNew: boolean;
  /** Status of the stored procedure (edit only). */
  status?: Procedure['status'];
  /** The chat preview and whether it shows unsaved values. */
  preview?: { body: Html; draft: boolean };
  flash?: { kind: 'success' | 'error'; text: string };
}

function documentRow(deps: KnowledgeBaseDeps, row: DocumentRow, i: number, errors: FieldErrors): Html {
  const t = (k: string) => deps.i18n.t(k);
  const n = (leaf: string) => `doc_${i}_${leaf}`;
  const formChoices = documentFormSchema.options.map((f) => html`<option value="${f}"${f === row.form ? html` selected` : ''}>${t(`documentForms.${f}`)}</option>`);
  return html`<div class="grid document-row" data-row>
    <div class="form-row"><label for="${`f-${n('name')}`}">${t('admin-kb.procedure.documentName')}</label>
      <input type="text" id="${`f-${n('name')}`}" name="${n('name')}" value="${row.name}"${invalidAttrs(errors, n('name'))}>${fieldError(errors, n('name'))}</div>
    <div class="form-row"><label for="${`f-${n('form')}`}">${t('admin-kb.procedure.documentForm')}</label>
      <select id="${`f-${n('form')}`}" name="${n('form')}"${invalidAttrs(errors, n('form'))}>${formChoices}</select>${fieldError(errors, n('form'))}</div>
    <div class="form-row"><label for="${`f-${n('quantity')}`}">${t('admin-kb.procedure.documentQuantity')}</label>
      <input type="text" id="${`f-${n('quantity')}`}" name="${n('quantity')}" value="${row.quantity}" inputmode="numeric" size="3" data-default="1"${invalidAttrs(errors, n('quantity'))}>${fieldError(errors, n('quantity'))}</div>
    <div class="form-row"><label for="${`f-${n('note')}`}">${t('admin-kb.procedure.documentNote')}</label>
      <input type="text" id="${`f-${n('note')}`}" name="${n('note')}" value="${row.note}"${invalidAttrs(errors, n('note'))}>${fieldError(errors, n('note'))}</div>
  </div>`;
}

function formBody(req: Request, deps: KnowledgeBaseDeps, o: ProcedurePageOptions): Html {
  const { values: v, offices } = o;
  const errors = o.errors ?? {};
  const t = (k: string) => deps.i18n.t(k);
  const action = o.isNew ? '/admin/procedures/new' : `/admin/procedures/${v.slug}`;
  // `#preview`: the browser scrolls to the preview, which sits below the long form.
  const previewAction = `/admin/procedures/${o.isNew ? 'new' : v.slug}/preview#preview`;
  const levels = procedureLevelSchema.options.map((l): [string, string] => [l, t(`levels.${l}`)]);
  const onlineLevels = (['full', 'partial', 'none'] as const).map((l): [string, string] => [l, t(`admin-kb.online.${l}`)]);
  const officeChoices = offices.map((of): [string, string] => [of.slug, of.name]);
  return html`<form method="post" action="${action}" class="procedure-form" novalidate>
    ${deps.kit.csrfField(req)}
    <input type="hidden" name="updated_at" value="${v.updatedAt}">
    <fieldset class="card"><legend>${t('admin-kb.procedure.general')}</legend>
      ${textField('name', t('admin-kb.procedure.name'), v.name, errors, { required: true })}
      ${o.isNew
        ? textField('slug', t('admin-kb.procedure.slug'), v.slug, errors, { required: true, hint: t('admin-kb.procedure.slugHint') })
        : html`<div class="form-row"><span>${t('admin-kb.procedure.slug')}</span> <code>${v.slug}</code>
            <p class="hint muted">${t('admin-kb.procedure.slugFixed')}</p></div>`}
      ${textArea('aliases', t('admin-kb.procedure.aliases'), v.aliases, errors, { hint: t('admin-kb.onePerLine'), rows: 3 })}
      ${textField('field', t('admin-kb.procedure.field'), v.field, errors, { required: true })}
      ${textField('agency', t('admin-kb.procedure.agency'), v.agency, errors, { required: true })}
      ${selectField('level', t('admin-kb.procedure.level'), v.level, levels, errors)}
      ${checkbox('is_sample', t('admin-kb.procedure.isSample'), v.isSample)}
    </fieldset>
    <fieldset class="card"><legend>${t('admin-kb.procedure.documents')}</legend>
      <p class="muted">${t('admin-kb.procedure.documentsHint')}</p>
      ${fieldError(errors, 'documents')}
      <div data-repeat="documents">${v.documents.map((row, i) => documentRow(deps, row, i, errors))}</div>
      <button type="button" class="btn" data-add-row="documents">${t('admin-kb.addRow')}</button>
    </fieldset>
    <fieldset class="card"><legend>${t('admin-kb.procedure.fee')}</legend>
      ${textField('fee_amount', t('admin-kb.procedure.feeAmount'), v.feeAmount, errors, { hint: t('admin-kb.procedure.feeAmountHint'), attrs: html` inputmode="numeric"` })}
      ${textField('fee_text', t('admin-kb.procedure.feeText'), v.feeText, errors)}
      ${textArea('fee_exemptions', t('admin-kb.procedure.feeExemptions'), v.feeExemptions, errors, { hint: t('admin-kb.onePerLine'), rows: 3 })}
    </fieldset>
    <fieldset class="card"><legend>${t('admin-kb.procedure.duration')}</legend>
      ${textField('duration_text', t('admin-kb.procedure.durationText'), v.durationText, errors, { required: true })}
      ${textField('duration_days', t('admin-kb.procedure.durationDays'), v.durationDays, errors, { hint: t('admin-kb.procedure.durationDaysHint'), attrs: html` inputmode="decimal"` })}
    </fieldset>
    <fieldset class="card"><legend>${t('admin-kb.procedure.steps')}</legend>
      ${textArea('steps', t('admin-kb.procedure.stepsLabel'), v.steps, errors, { hint: t('admin-kb.onePerLine'), rows: 6 })}
    </fieldset>
    <fieldset class="card"><legend>${t('admin-kb.procedure.where')}</legend>
      ${selectField('office', t('admin-kb.procedure.office'), v.office, officeChoices, errors, { placeholder: t('admin-kb.procedure.chooseOffice') })}
      ${textField('where_note', t('admin-kb.procedure.whereNote'), v.whereNote, errors)}
    </fieldset>
    <fieldset class="card"><legend>${t('admin-kb.procedure.online')}</legend>
      ${selectField('online_level', t('admin-kb.procedure.onlineLevel'), v.onlineLevel, onlineLevels, errors)}
      ${textField('online_url', t('admin-kb.procedure.onlineUrl'), v.onlineUrl, errors, { type: 'url' })}
      ${textField('online_note', t('admin-kb.procedure.onlineNote'), v.onlineNote, errors)}
    </fieldset>
    <fieldset class="card"><legend>${t('admin-kb.procedure.legalBasis')}</legend>
      ${textArea('legal_basis', t('admin-kb.procedure.legalBasisLabel'), v.legalBasis, errors, { hint: t('admin-kb.onePerLine'), rows: 4 })}
    </fieldset>
    <div class="toolbar">
      <button type="submit" class="btn primary">${t('admin-kb.save')}</button>
      <button type="submit" class="btn" formaction="${previewAction}">${t('admin-kb.preview.button')}</button>
      <a class="btn" href="/admin/procedures">${t('admin-kb.cancel')}</a>
    </div>
  </form>`;
}

/** Retire or restore: its own small form, since forms cannot nest. */
function statusForm(req: Request, deps: KnowledgeBaseDeps, slug: string, status: Procedure['status']): Html {
  const t = (k: string) => deps.i18n.t(k);
  return status === 'active'
    ? html`<form method="post" action="${`/admin/procedures/${slug}/retire`}" class="inline">${deps.kit.csrfField(req)}
        <button type="submit" class="btn danger">${t('admin-kb.procedure.retire')}</button></form>`
    : html`<form method="post" action="${`/admin/procedures/${slug}/restore`}" class="inline">${deps.kit.csrfField(req)}
        <button type="submit" class="btn">${t('admin-kb.procedure.restore')}</button></form>`;
}

/** The whole page, in the console layout. */
export function procedurePage(req: Request, deps: KnowledgeBaseDeps, o: ProcedurePageOptions): string {
  const t = (k: string) => deps.i18n.t(k);
  const errors = o.errors ?? {};
  const title = o.isNew ? t('admin-kb.procedure.newTitle') : deps.i18n.t('admin-kb.procedure.editTitle', { name: o.values.name });
  const body = html`
    <div class="toolbar">
      <a class="btn" href="/admin/procedures">${t('admin-kb.backToList')}</a>
      ${o.isNew ? '' : html`<a class="btn" href="${`/admin/procedures/${o.values.slug}/poster`}">${t('admin-kb.poster.link')}</a>`}
      ${!o.isNew && o.status ? statusForm(req, deps, o.values.slug, o.status) : ''}
      ${o.status === 'retired' ? html`<span class="badge muted">${t('admin-kb.status.retired')}</span>` : ''}
    </div>
    ${Object.keys(errors).length > 0
      ? html`<div class="card field-error" role="alert">${errors.conflict ?? t('admin-kb.errors.summary')}${errors.form ? html` ${errors.form}` : ''}</div>`
      : ''}
    ${formBody(req, deps, o)}
    ${o.preview
      ? html`<section class="card" id="preview"><h2>${t('admin-kb.preview.title')}</h2>
          <p class="muted">${o.preview.draft ? t('admin-kb.preview.draftNote') : t('admin-kb.preview.savedNote')}</p>
          ${o.preview.body}</section>`
      : ''}`;
  return deps.kit.page(req, { title, body, active: 'procedures', flash: o.flash, scripts: [`${ASSETS}/kb.css`, `${ASSETS}/repeat-rows.js`] });
}
