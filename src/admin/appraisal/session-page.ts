/**
 * The session page: the business (phone as a tel: link), the procedure, the appraiser, how the call
 * happens, the type's checklist to tick during the call, the outcome form (or the recorded outcome and
 * the licence number), and the no-show, reschedule and cancel actions. Every form posts the CSRF
 * field and works without JavaScript; `checklist.js` only saves the ticks as they are made.
 */
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import { formatDateTime } from '../layout/format';
import { BASE, sessionPath } from './deps';
import { bookedVia, statusBadge } from './labels';
import { MAX_NOTES, MAX_REASON, type FieldErrors, type OutcomeFormValues } from './session-forms';
import type { SessionDetail } from './store';
import { dayLabel, isoWeekday, vnDay, vnTime } from './vn-calendar';

export interface SessionPageModel {
  session: SessionDetail;
  csrfField: Html;
  outcome?: { values: OutcomeFormValues; errors: FieldErrors };
  cancel?: { reason: string; error?: string };
}

function fieldError(errors: FieldErrors | undefined, name: string): Html {
  const message = errors?.[name];
  return message ? html`<p class="field-error" id="${`err-${name}`}">${message}</p>` : html``;
}

const invalid = (errors: FieldErrors | undefined, name: string): Html =>
  errors?.[name] ? html` aria-invalid="true" aria-describedby="${`err-${name}`}"` : html``;

/** Only web addresses become links: a stored `javascript:` URL must never be clickable. */
const safeUrl = (url: string | null): string | null => (url && /^https?:\/\//i.test(url) ? url : null);

function when(s: SessionDetail, i18n: Translator): string {
  const day = vnDay(s.startsAt);
  const weekday = i18n.list('admin-appraisal.weekdays')[isoWeekday(day) - 1] ?? '';
  return `${weekday}, ${dayLabel(day)} · ${vnTime(s.startsAt)}–${vnTime(s.endsAt)}`;
}

function summary(s: SessionDetail, i18n: Translator): Html {
  const t = (k: string, p?: Record<string, string>) => i18n.t(`admin-appraisal.session.${k}`, p);
  return html`<section class="card appraisal-summary" aria-labelledby="summary-h">
    <h2 id="summary-h">${t('summary')} ${statusBadge(i18n, s.status, s.outcome)}</h2>
    <dl class="appraisal-facts">
      <dt>${t('when')}</dt><dd><time datetime="${s.startsAt.toISOString()}">${when(s, i18n)}</time> <span class="muted small">${t('vnTime')}</span></dd>
      <dt>${t('procedure')}</dt><dd>${s.procedureName}</dd>
      <dt>${t('appraiser')}</dt><dd>${s.appraiserName}</dd>
      <dt>${t('code')}</dt><dd><strong>${s.code}</strong></dd>
      <dt>${t('bookedVia')}</dt><dd>${bookedVia(i18n, s.source, s.channel)}</dd>
    </dl>
    ${s.rescheduledFrom ? html`<p><a href="${sessionPath(s.rescheduledFrom)}">${t('previousSession')}</a></p>` : ''}
    ${s.replacedBy ? html`<p><a class="btn" href="${sessionPath(s.replacedBy)}">${t('newSession')}</a></p>` : ''}
    ${s.status === 'cancelled' && s.cancelReason ? html`<p>${t('cancelledBecause', { reason: s.cancelReason })}</p>` : ''}
  </section>`;
}

function business(s: SessionDetail, i18n: Translator): Html {
  const t = (k: string) => i18n.t(`admin-appraisal.session.${k}`);
  const meeting = safeUrl(s.meetingUrl);
  return html`<section class="card" aria-labelledby="business-h">
    <h2 id="business-h">${t('business')}</h2>
    <dl class="appraisal-facts">
      <dt>${t('businessName')}</dt><dd>${s.businessName}</dd>
      <dt>${t('address')}</dt><dd>${s.address}</dd>
      <dt>${t('phone')}</dt><dd><a href="${`tel:${s.phone}`}">${s.phone}</a></dd>
    </dl>
    <h3>${t('call')}</h3>
    <p>${s.videoChannel ? i18n.t(`admin-appraisal.videoChannels.${s.videoChannel}`) : t('noType')}</p>
    ${meeting ? html`<p><a class="btn primary" href="${meeting}" target="_blank" rel="noopener noreferrer">${t('openMeeting')}</a> <span class="small muted">${meeting}</span></p>` : ''}
  </section>`;
}

function checklist(s: SessionDetail, m: SessionPageModel, i18n: Translator): Html {
  const t = (k: string) => i18n.t(`admin-appraisal.checklist.${k}`);
  if (s.checklist.length === 0) return html``;
  const open = s.status === 'booked';
  const done = s.checklist.filter((i) => s.checklistResults[i.key]).length;
  const items = s.checklist.map(
    (item, n) => html`<li class="form-row checkbox">
      <input type="checkbox" id="${`chk-${n}`}" name="ticked" value="${item.key}"${s.checklistResults[item.key] ? html` checked` : ''}${open ? '' : html` disabled`}>
      <label for="${`chk-${n}`}">${item.label}</label>
    </li>`,
  );
  return html`<section class="card" aria-labelledby="checklist-h">
    <h2 id="checklist-h">${t('title')} <span class="badge muted" data-checklist-count>${i18n.t('admin-appraisal.checklist.count', { done, total: s.checklist.length })}</span></h2>
    ${open
      ? html`<form method="post" action="${sessionPath(s.id)}/checklist" id="appraisal-checklist" data-saved="${t('saved')}" data-saving="${t('saving')}" data-failed="${t('failed')}">
          ${m.csrfField}
          <ul class="appraisal-checklist">${items}</ul>
          <p id="checklist-status" class="small muted" role="status" aria-live="polite"></p>
          <button type="submit" class="btn">${t('save')}</button>
        </form>`
      : html`<ul class="appraisal-checklist">${items}</ul><p class="small muted">${t('closed')}</p>`}
  </section>`;
}

function outcomeForm(s: SessionDetail, m: SessionPageModel, i18n: Translator): Html {
  const t = (k: string) => i18n.t(`admin-appraisal.outcomeForm.${k}`);
  const v = m.outcome?.values ?? { outcome: '', notes: '', reappraisalOn: '' };
  const errors = m.outcome?.errors;
  const radio = (value: string) => html`<div class="form-row checkbox">
    <input type="radio" id="${`outcome-${value}`}" name="outcome" value="${value}"${v.outcome === value ? html` checked` : ''}${invalid(errors, 'outcome')}>
    <label for="${`outcome-${value}`}">${i18n.t(`admin-appraisal.outcome.${value}`)}</label>
  </div>`;
  return html`<form method="post" action="${sessionPath(s.id)}/outcome" id="appraisal-outcome" novalidate>
    ${m.csrfField}
    <fieldset class="form-row${errors?.outcome ? ' has-error' : ''}">
      <legend>${t('legend')}</legend>
      ${radio('passed')}${radio('needs_fixes')}${radio('failed')}
      ${fieldError(errors, 'outcome')}
    </fieldset>
    <div class="form-row${errors?.reappraisalOn ? ' has-error' : ''}">
      <label for="reappraisalOn">${t('reappraisalOn')}</label>
      <input type="date" id="reappraisalOn" name="reappraisalOn" value="${v.reappraisalOn}"${invalid(errors, 'reappraisalOn')}>
      <p class="hint muted">${t('reappraisalHint')}</p>
      ${fieldError(errors, 'reappraisalOn')}
    </div>
    <div class="form-row${errors?.notes ? ' has-error' : ''}">
      <label for="notes">${t('notes')}</label>
      <textarea id="notes" name="notes" maxlength="${MAX_NOTES}"${invalid(errors, 'notes')}>${v.notes}</textarea>
      <p class="hint muted">${t('notesHint')}</p>
      ${fieldError(errors, 'notes')}
    </div>
    <div class="form-actions"><button type="submit" class="btn primary">${t('submit')}</button></div>
  </form>`;
}

function recordedOutcome(s: SessionDetail, i18n: Translator): Html {
  const t = (k: string, p?: Record<string, string>) => i18n.t(`admin-appraisal.recorded.${k}`, p);
  if (s.status === 'no_show') {
    return html`<p>${t('noShow', { at: s.outcomeAt ? formatDateTime(s.outcomeAt) : '', by: s.outcomeByName ?? '' })}</p>`;
  }
  if (!s.outcome) return html`<p class="muted">${t('none')}</p>`;
  return html`<dl class="appraisal-facts">
      <dt>${t('outcome')}</dt><dd>${statusBadge(i18n, s.status, s.outcome)}</dd>
      ${s.reappraisalOn ? html`<dt>${t('reappraisalOn')}</dt><dd>${dayLabel(s.reappraisalOn)}</dd>` : ''}
      ${s.outcomeNotes ? html`<dt>${t('notes')}</dt><dd class="pre-line">${s.outcomeNotes}</dd>` : ''}
      <dt>${t('by')}</dt><dd>${s.outcomeByName ?? ''}${s.outcomeAt ? html` · ${formatDateTime(s.outcomeAt)}` : ''}</dd>
    </dl>
    ${s.licence
      ? html`<div class="appraisal-licence" role="status">
          <p><strong>${t('licenceNumber')}</strong> <span class="licence-number" id="licence-number">${s.licence.number}</span></p>
          <p>${t('licenceDates', { issued: s.licence.issuedOn ? dayLabel(s.licence.issuedOn) : '', expires: dayLabel(s.licence.expiresOn) })}</p>
        </div>`
      : ''}`;
}

function actions(s: SessionDetail, m: SessionPageModel, i18n: Translator): Html {
  const t = (k: string) => i18n.t(`admin-appraisal.actions.${k}`);
  const c = m.cancel;
  return html`<section class="card" aria-labelledby="actions-h">
    <h2 id="actions-h">${t('title')}</h2>
    <div class="form-actions">
      <form method="post" action="${sessionPath(s.id)}/no-show">${m.csrfField}<button type="submit" class="btn">${t('noShow')}</button></form>
      <a class="btn" href="${sessionPath(s.id)}/reschedule">${t('reschedule')}</a>
    </div>
    <form method="post" action="${sessionPath(s.id)}/cancel" class="appraisal-cancel" novalidate>
      ${m.csrfField}
      <div class="form-row${c?.error ? ' has-error' : ''}">
        <label for="cancel-reason">${t('cancelReason')}</label>
        <textarea id="cancel-reason" name="reason" maxlength="${MAX_REASON}"${c?.error ? html` aria-invalid="true" aria-describedby="err-reason"` : ''}>${c?.reason ?? ''}</textarea>
        <p class="hint muted">${t('cancelHint')}</p>
        ${c?.error ? html`<p class="field-error" id="err-reason">${c.error}</p>` : ''}
      </div>
      <button type="submit" class="btn danger">${t('cancel')}</button>
    </form>
  </section>`;
}

export function sessionPage(m: SessionPageModel, i18n: Translator): Html {
  const s = m.session;
  const open = s.status === 'booked';
  return html`<p><a href="${BASE}">${i18n.t('admin-appraisal.session.back')}</a></p>
  <div class="grid appraisal-session-grid">${summary(s, i18n)}${business(s, i18n)}</div>
  ${checklist(s, m, i18n)}
  <section class="card" aria-labelledby="outcome-h">
    <h2 id="outcome-h">${i18n.t('admin-appraisal.outcomeForm.title')}</h2>
    ${open ? outcomeForm(s, m, i18n) : recordedOutcome(s, i18n)}
  </section>
  ${open ? actions(s, m, i18n) : ''}`;
}
