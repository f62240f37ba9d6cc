/**
 * The availability pages (officers): the appraisers with their working hours and daily capacity,
 * the days off (public holidays and leave) with add and remove, and the appraiser form.
 */
import { z } from 'zod';
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import { BASE } from './deps';
import { MAX_CAPACITY, type AppraiserFormValues, type DayOffValues } from './availability-form';
import type { AppraiserFull, DayOffRow } from './availability-store';
import type { FieldErrors } from './session-forms';
import { dayLabel, isoWeekday } from './vn-calendar';
import { hoursToLines, WEEKDAYS } from './working-hours';

export const AVAILABILITY = `${BASE}/availability`;

function fieldError(errors: FieldErrors | undefined, name: string): Html {
  const message = errors?.[name];
  return message ? html`<p class="field-error" id="${`err-${name}`}">${message}</p>` : html``;
}
const invalid = (errors: FieldErrors | undefined, name: string): Html =>
  errors?.[name] ? html` aria-invalid="true" aria-describedby="${`err-${name}`}"` : html``;
const rowClass = (errors: FieldErrors | undefined, name: string) => `form-row${errors?.[name] ? ' has-error' : ''}`;

const slugs = (v: unknown): string[] => z.array(z.string()).catch([]).parse(v);

export interface AvailabilityModel {
  appraisers: AppraiserFull[];
  procedureNames: Map<string, string>;
  daysOff: DayOffRow[];
  csrfField: Html;
  dayOff?: { values: DayOffValues; errors: FieldErrors };
}

function appraiserTable(m: AvailabilityModel, i18n: Translator): Html {
  const t = (k: string) => i18n.t(`admin-appraisal.availability.${k}`);
  const weekdays = i18n.list('admin-appraisal.weekdaysShort');
  if (m.appraisers.length === 0) return html`<p class="muted">${t('noAppraisers')}</p>`;
  return html`<div class="table-wrap"><table class="data">
    <caption class="visually-hidden">${t('appraisers')}</caption>
    <thead><tr>
      <th scope="col">${t('columns.name')}</th><th scope="col">${t('columns.procedures')}</th>
      <th scope="col">${t('columns.hours')}</th><th scope="col">${t('columns.capacity')}</th>
      <th scope="col">${t('columns.status')}</th><th scope="col">${t('columns.edit')}</th>
    </tr></thead>
    <tbody>${m.appraisers.map((a) => {
      const lines = hoursToLines(a.workingHours);
      return html`<tr>
        <td>${a.name}${a.officialName ? html`<br><small class="muted">${i18n.t('admin-appraisal.availability.account', { name: a.officialName })}</small>` : ''}</td>
        <td>${slugs(a.procedures).map((s) => m.procedureNames.get(s) ?? s).join(', ')}</td>
        <td><ul class="plain small">${WEEKDAYS.filter((d) => lines[d]).map((d) => html`<li>${weekdays[d - 1] ?? d}: ${lines[d]}</li>`)}</ul></td>
        <td>${a.dailyCapacity}</td>
        <td>${a.active ? html`<span class="badge ok">${t('active')}</span>` : html`<span class="badge muted">${t('inactive')}</span>`}</td>
        <td><a class="btn small" href="${`${BASE}/appraisers/${a.id}`}">${t('edit')}</a></td>
      </tr>`;
    })}</tbody>
  </table></div>`;
}

function daysOffSection(m: AvailabilityModel, i18n: Translator): Html {
  const t = (k: string) => i18n.t(`admin-appraisal.availability.${k}`);
  const v = m.dayOff?.values ?? { day: '', appraiserId: '', reason: '' };
  const errors = m.dayOff?.errors;
  const weekdays = i18n.list('admin-appraisal.weekdays');
  return html`<section class="card" aria-labelledby="daysoff-h" id="days-off">
    <h2 id="daysoff-h">${t('daysOff')}</h2>
    ${
      m.daysOff.length === 0
        ? html`<p class="muted">${t('noDaysOff')}</p>`
        : html`<div class="table-wrap"><table class="data">
          <thead><tr><th scope="col">${t('columns.day')}</th><th scope="col">${t('columns.who')}</th><th scope="col">${t('columns.reason')}</th><th scope="col">${t('columns.remove')}</th></tr></thead>
          <tbody>${m.daysOff.map(
            (d) => html`<tr>
              <td class="nowrap">${weekdays[isoWeekday(d.day) - 1] ?? ''}, ${dayLabel(d.day)}</td>
              <td>${d.appraiserName ?? html`<span class="badge warn">${t('everyone')}</span>`}</td>
              <td>${d.reason}</td>
              <td><form method="post" action="${`${BASE}/days-off/${d.id}/delete`}">${m.csrfField}<button type="submit" class="btn small danger">${t('remove')}</button></form></td>
            </tr>`,
          )}</tbody>
        </table></div>`
    }
    <h3>${t('addDayOff')}</h3>
    <form method="post" action="${BASE}/days-off" novalidate>
      ${m.csrfField}
      <div class="${rowClass(errors, 'day')}">
        <label for="dayoff-day">${t('day')}</label>
        <input type="date" id="dayoff-day" name="day" value="${v.day}"${invalid(errors, 'day')}>
        ${fieldError(errors, 'day')}
      </div>
      <div class="${rowClass(errors, 'appraiserId')}">
        <label for="dayoff-who">${t('who')}</label>
        <select id="dayoff-who" name="appraiserId"${invalid(errors, 'appraiserId')}>
          <option value="">${t('everyoneOption')}</option>
          ${m.appraisers.map((a) => html`<option value="${a.id}"${a.id === v.appraiserId ? html` selected` : ''}>${a.name}</option>`)}
        </select>
        ${fieldError(errors, 'appraiserId')}
      </div>
      <div class="${rowClass(errors, 'reason')}">
        <label for="dayoff-reason">${t('reason')}</label>
        <input type="text" id="dayoff-reason" name="reason" maxlength="200" value="${v.reason}" placeholder="${t('reasonPlaceholder')}"${invalid(errors, 'reason')}>
        ${fieldError(errors, 'reason')}
      </div>
      <button type="submit" class="btn primary">${t('add')}</button>
    </form>
  </section>`;
}

export function availabilityPage(m: AvailabilityModel, i18n: Translator): Html {
  const t = (k: string) => i18n.t(`admin-appraisal.availability.${k}`);
  return html`<p><a href="${BASE}">${i18n.t('admin-appraisal.session.back')}</a></p>
  <p class="muted">${t('intro')}</p>
  <section class="card" aria-labelledby="appraisers-h">
    <h2 id="appraisers-h">${t('appraisers')}</h2>
    <p><a class="btn primary" href="${BASE}/appraisers/new">${t('newAppraiser')}</a></p>
    ${appraiserTable(m, i18n)}
  </section>
  ${daysOffSection(m, i18n)}`;
}

export interface AppraiserFormModel {
  id?: string;
  values: AppraiserFormValues;
  errors?: FieldErrors;
  procedures: { slug: string; name: string }[];
  accounts: { id: string; name: string; email: string }[];
  csrfField: Html;
}

export function appraiserFormPage(m: AppraiserFormModel, i18n: Translator): Html {
  const t = (k: string, p?: Record<string, string | number>) => i18n.t(`admin-appraisal.appraiserForm.${k}`, p);
  const { values: v, errors } = m;
  const weekdays = i18n.list('admin-appraisal.weekdays');
  return html`<p><a href="${AVAILABILITY}">${t('back')}</a></p>
  <form method="post" action="${`${BASE}/appraisers/${m.id ?? 'new'}`}" class="card narrow" novalidate>
    ${m.csrfField}
    <div class="${rowClass(errors, 'name')}">
      <label for="name">${t('name')}</label>
      <input type="text" id="name" name="name" value="${v.name}" maxlength="120" required${invalid(errors, 'name')}>
      ${fieldError(errors, 'name')}
    </div>
    <div class="${rowClass(errors, 'phone')}">
      <label for="phone">${t('phone')}</label>
      <input type="tel" id="phone" name="phone" value="${v.phone}"${invalid(errors, 'phone')}>
      ${fieldError(errors, 'phone')}
    </div>
    <div class="${rowClass(errors, 'officialId')}">
      <label for="officialId">${t('account')}</label>
      <select id="officialId" name="officialId"${invalid(errors, 'officialId')}>
        <option value="">${t('noAccount')}</option>
        ${m.accounts.map((a) => html`<option value="${a.id}"${a.id === v.officialId ? html` selected` : ''}>${a.name} (${a.email})</option>`)}
      </select>
      <p class="hint muted">${t('accountHint')}</p>
      ${fieldError(errors, 'officialId')}
    </div>
    <fieldset class="${rowClass(errors, 'procedures')}">
      <legend>${t('procedures')}</legend>
      ${m.procedures.map(
        (p) => html`<div class="form-row checkbox"><input type="checkbox" id="${`proc-${p.slug}`}" name="procedures" value="${p.slug}"${v.procedures.includes(p.slug) ? html` checked` : ''}><label for="${`proc-${p.slug}`}">${p.name}</label></div>`,
      )}
      ${fieldError(errors, 'procedures')}
    </fieldset>
    <fieldset class="form-row">
      <legend>${t('hours')}</legend>
      <p class="hint muted">${t('hoursHint')}</p>
      ${WEEKDAYS.map(
        (d) => html`<div class="${rowClass(errors, `hours_${d}`)}">
          <label for="${`hours_${d}`}">${weekdays[d - 1] ?? d}</label>
          <input type="text" id="${`hours_${d}`}" name="${`hours_${d}`}" value="${v.hours[d] ?? ''}" placeholder="07:30-11:30, 13:30-17:00"${invalid(errors, `hours_${d}`)}>
          ${fieldError(errors, `hours_${d}`)}
        </div>`,
      )}
    </fieldset>
    <div class="${rowClass(errors, 'dailyCapacity')}">
      <label for="dailyCapacity">${t('capacity')}</label>
      <input type="number" id="dailyCapacity" name="dailyCapacity" min="1" max="${MAX_CAPACITY}" value="${v.dailyCapacity}"${invalid(errors, 'dailyCapacity')}>
      ${fieldError(errors, 'dailyCapacity')}
    </div>
    <div class="form-row checkbox">
      <input type="checkbox" id="active" name="active"${v.active ? html` checked` : ''}>
      <label for="active">${t('active')}</label>
    </div>
    <div class="form-actions"><button type="submit" class="btn primary">${t('save')}</button></div>
  </form>`;
}
