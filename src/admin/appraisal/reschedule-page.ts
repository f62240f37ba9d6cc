/**
 * Moving a session: the next free slots of its procedure (from the appraisal service, so the same
 * rules as the chat and the portal apply), grouped by Vietnam day, one radio button each.
 */
import type { Slot } from '../../appraisal/contract';
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import { sessionPath } from './deps';
import { slotValue } from './session-forms';
import type { SessionDetail } from './store';
import { dayLabel, isoWeekday, vnDay, vnTime } from './vn-calendar';

export function reschedulePage(
  s: SessionDetail,
  slots: Slot[],
  appraiserNames: Map<string, string>,
  csrfField: Html,
  i18n: Translator,
  error?: string,
): Html {
  const t = (k: string, p?: Record<string, string>) => i18n.t(`admin-appraisal.reschedule.${k}`, p);
  const byDay = new Map<string, Slot[]>();
  for (const slot of slots) {
    const day = vnDay(slot.start);
    byDay.set(day, [...(byDay.get(day) ?? []), slot]);
  }
  const weekdays = i18n.list('admin-appraisal.weekdays');
  const groups = [...byDay.entries()].map(
    ([day, list]) => html`<fieldset class="form-row appraisal-slots">
      <legend>${weekdays[isoWeekday(day) - 1] ?? ''}, ${dayLabel(day)}</legend>
      ${list.map((slot) => {
        const id = `slot-${slot.start.getTime()}-${slot.appraiserId.slice(0, 8)}`;
        return html`<div class="form-row checkbox">
          <input type="radio" name="slot" id="${id}" value="${slotValue(slot)}" required>
          <label for="${id}"><time datetime="${slot.start.toISOString()}">${vnTime(slot.start)}–${vnTime(slot.end)}</time> · ${appraiserNames.get(slot.appraiserId) ?? ''}</label>
        </div>`;
      })}
    </fieldset>`,
  );
  return html`<p><a href="${sessionPath(s.id)}">${t('back')}</a></p>
  <section class="card">
    <p>${t('intro', { business: s.businessName, code: s.code })}</p>
    <p class="muted">${t('notice')}</p>
    ${error ? html`<p class="field-error" role="alert">${error}</p>` : ''}
    ${
      slots.length === 0
        ? html`<p class="muted">${t('none')}</p>`
        : html`<form method="post" action="${sessionPath(s.id)}/reschedule">
            ${csrfField}
            ${groups}
            <div class="form-actions"><button type="submit" class="btn primary">${t('submit')}</button></div>
          </form>`
    }
  </section>`;
}
