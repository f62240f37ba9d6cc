/** Office pages: the list and the edit form (contacts, regular hours, special services). */
import type { Request } from 'express';
import type { Office } from '../../procedures';
import { officeLines } from '../../conversation/render/office';
import { html, type Html } from '../html';
import { ASSETS, doneFlash, fieldError, invalidAttrs, type FieldErrors, type KnowledgeBaseDeps } from './deps';
import { textArea, textField } from './fields';
import type { OfficeFormValues, PeriodRow, SpecialRow } from './office-form';
import { replyBubble } from './preview';

export function officeListPage(req: Request, deps: KnowledgeBaseDeps, offices: Office[], usage: Map<string, number>): string {
  const t = (k: string) => deps.i18n.t(k);
  const rows = offices.map(
    (o) => html`<tr><td><a href="${`/admin/offices/${o.slug}`}">${o.name}</a></td><td><code>${o.slug}</code></td>
      <td>${o.address}</td><td>${o.phone ?? ''}</td><td>${usage.get(o.slug) ?? 0}</td></tr>`,
  );
  const body = html`<div class="toolbar">
      <a class="btn primary" href="/admin/offices/new">${t('admin-kb.office.new')}</a>
      <a class="btn" href="/admin/procedures">${t('admin-kb.list.title')}</a>
    </div>
    ${offices.length === 0
      ? html`<p>${t('admin-kb.office.empty')}</p>`
      : html`<table class="data"><thead><tr><th>${t('admin-kb.office.name')}</th><th>${t('admin-kb.procedure.slug')}</th>
          <th>${t('admin-kb.office.address')}</th><th>${t('admin-kb.office.phone')}</th><th>${t('admin-kb.office.procedures')}</th></tr></thead>
          <tbody>${rows}</tbody></table>`}`;
  return deps.kit.page(req, { title: t('admin-kb.office.listTitle'), body, active: 'offices', flash: doneFlash(req, deps.i18n) });
}

function dayBoxes(deps: KnowledgeBaseDeps, name: string, checked: string[], errors: FieldErrors): Html {
  const names = deps.i18n.list('common.weekdays');
  return html`<fieldset class="days"${invalidAttrs(errors, name)}><legend>${deps.i18n.t('admin-kb.office.days')}</legend>
    ${names.map((label, i) => {
      const value = String(i + 1);
      return html`<label><input type="checkbox" name="${name}" value="${value}"${checked.includes(value) ? html` checked` : ''}> ${label}</label> `;
    })}
    ${fieldError(errors, name)}</fieldset>`;
}

function timeInput(name: string, label: string, value: string, errors: FieldErrors): Html {
  return html`<div class="form-row"><label for="${`f-${name}`}">${label}</label>
    <input id="${`f-${name}`}" name="${name}" type="time" value="${value}"${invalidAttrs(errors, name)}>${fieldError(errors, name)}</div>`;
}

function periodRow(deps: KnowledgeBaseDeps, row: PeriodRow, i: number, errors: FieldErrors): Html {
  const t = (k: string) => deps.i18n.t(k);
  return html`<div class="grid period-row" data-row>
    ${dayBoxes(deps, `hours_${i}_days`, row.days, errors)}
    ${timeInput(`hours_${i}_open`, t('admin-kb.office.open'), row.open, errors)}
    ${timeInput(`hours_${i}_close`, t('admin-kb.office.close'), row.close, errors)}
  </div>`;
}

function specialRow(deps: KnowledgeBaseDeps, row: SpecialRow, i: number, errors: FieldErrors): Html {
  const t = (k: string) => deps.i18n.t(k);
  return html`<div class="grid period-row" data-row>
    ${textField(`special_${i}_label`, t('admin-kb.office.specialLabel'), row.label, errors)}
    ${dayBoxes(deps, `special_${i}_days`, row.days, errors)}
    ${timeInput(`special_${i}_open`, t('admin-kb.office.open'), row.open, errors)}
    ${timeInput(`special_${i}_close`, t('admin-kb.office.close'), row.close, errors)}
    ${textField(`special_${i}_note`, t('admin-kb.office.specialNote'), row.note, errors)}
  </div>`;
}

export interface OfficePageOptions {
  values: OfficeFormValues;
  errors?: FieldErrors;
  isNew: boolean;
  /** The saved office, shown as the bot states it. */
  saved?: Office;
}

export function officePage(req: Request, deps: KnowledgeBaseDeps, o: OfficePageOptions): string {
  const t = (k: string) => deps.i18n.t(k);
  const v = o.values;
  const errors = o.errors ?? {};
  const action = o.isNew ? '/admin/offices/new' : `/admin/offices/${v.slug}`;
  const body = html`<div class="toolbar"><a class="btn" href="/admin/offices">${t('admin-kb.office.backToList')}</a></div>
    ${Object.keys(errors).length > 0 ? html`<div class="card field-error" role="alert">${t('admin-kb.errors.summary')}</div>` : ''}
    <form method="post" action="${action}" novalidate>
      ${deps.kit.csrfField(req)}
      <fieldset class="card"><legend>${t('admin-kb.procedure.general')}</legend>
        ${textField('name', t('admin-kb.office.name'), v.name, errors, { required: true })}
        ${o.isNew
          ? textField('slug', t('admin-kb.procedure.slug'), v.slug, errors, { required: true, hint: t('admin-kb.procedure.slugHint') })
          : html`<div class="form-row"><span>${t('admin-kb.procedure.slug')}</span> <code>${v.slug}</code></div>`}
        ${textField('address', t('admin-kb.office.address'), v.address, errors, { required: true })}
        ${textField('phone', t('admin-kb.office.phone'), v.phone, errors, { type: 'tel' })}
        ${textField('email', t('admin-kb.office.email'), v.email, errors, { type: 'email' })}
        ${textArea('note', t('admin-kb.office.note'), v.note, errors, { rows: 2 })}
      </fieldset>
      <fieldset class="card"><legend>${t('admin-kb.office.hours')}</legend>
        <p class="muted">${t('admin-kb.office.hoursHint')}</p>
        ${fieldError(errors, 'hours')}
        <div data-repeat="hours">${v.hours.map((row, i) => periodRow(deps, row, i, errors))}</div>
        <button type="button" class="btn" data-add-row="hours">${t('admin-kb.addRow')}</button>
      </fieldset>
      <fieldset class="card"><legend>${t('admin-kb.office.special')}</legend>
        <div data-repeat="special">${v.special.map((row, i) => specialRow(deps, row, i, errors))}</div>
        <button type="button" class="btn" data-add-row="special">${t('admin-kb.addRow')}</button>
      </fieldset>
      <div class="toolbar">
        <button type="submit" class="btn primary">${t('admin-kb.save')}</button>
        <a class="btn" href="/admin/offices">${t('admin-kb.cancel')}</a>
      </div>
    </form>
    ${o.saved
      ? html`<section class="card"><h2>${t('admin-kb.office.previewTitle')}</h2>
          <div class="chat-log">${replyBubble({ text: officeLines(o.saved, deps.i18n).join('\n') })}</div></section>`
      : ''}`;
  const title = o.isNew ? t('admin-kb.office.newTitle') : deps.i18n.t('admin-kb.office.editTitle', { name: v.name });
  return deps.kit.page(req, { title, body, active: 'offices', flash: o.errors ? undefined : doneFlash(req, deps.i18n), scripts: [`${ASSETS}/kb.css`, `${ASSETS}/repeat-rows.js`] });
}
