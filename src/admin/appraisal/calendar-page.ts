/**
 * The calendar (`/admin/appraisal`): one day as a table, or a Monday-first week as seven day
 * sections, each session with its Vietnam time, business, procedure and status. Navigation (previous,
 * today, next, day/week, appraiser) is plain links and a GET form, so it works without JavaScript.
 */
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import { BASE, sessionPath } from './deps';
import { statusBadge } from './labels';
import type { AppraiserOption, SessionRow } from './store';
import { addDays, dayLabel, isoWeekday, shortDayLabel, vnDay, vnTime } from './vn-calendar';

export type CalendarView = 'day' | 'week';

export interface CalendarModel {
  view: CalendarView;
  /** The day asked for (`YYYY-MM-DD`); the week view shows its Monday-first week. */
  day: string;
  /** The days shown, in order. */
  days: string[];
  today: string;
  sessions: SessionRow[];
  appraisers: AppraiserOption[];
  /** `all` or an appraiser's id. */
  appraiser: string;
}

const query = (m: CalendarModel, over: Partial<Pick<CalendarModel, 'view' | 'day' | 'appraiser'>>): string => {
  const p = new URLSearchParams({ view: over.view ?? m.view, date: over.day ?? m.day, appraiser: over.appraiser ?? m.appraiser });
  return `${BASE}?${p.toString()}`;
};

function weekdayName(i18n: Translator, day: string): string {
  return i18n.list('admin-appraisal.weekdays')[isoWeekday(day) - 1] ?? day;
}

function timeRange(s: SessionRow): Html {
  return html`<time datetime="${s.startsAt.toISOString()}">${vnTime(s.startsAt)}</time>–<time datetime="${s.endsAt.toISOString()}">${vnTime(s.endsAt)}</time>`;
}

function toolbar(m: CalendarModel, i18n: Translator): Html {
  const t = (k: string) => i18n.t(`admin-appraisal.calendar.${k}`);
  const step = m.view === 'week' ? 7 : 1;
  return html`<nav class="toolbar appraisal-nav" aria-label="${t('navLabel')}">
    <a class="btn" href="${query(m, { day: addDays(m.day, -step) })}" rel="prev">${t(m.view === 'week' ? 'prevWeek' : 'prevDay')}</a>
    <a class="btn" href="${query(m, { day: m.today })}">${t('today')}</a>
    <a class="btn" href="${query(m, { day: addDays(m.day, step) })}" rel="next">${t(m.view === 'week' ? 'nextWeek' : 'nextDay')}</a>
    <a class="btn${m.view === 'day' ? ' primary' : ''}" href="${query(m, { view: 'day' })}"${m.view === 'day' ? html` aria-current="true"` : ''}>${t('dayView')}</a>
    <a class="btn${m.view === 'week' ? ' primary' : ''}" href="${query(m, { view: 'week' })}"${m.view === 'week' ? html` aria-current="true"` : ''}>${t('weekView')}</a>
  </nav>
  <form method="get" action="${BASE}" class="toolbar appraisal-filter">
    <input type="hidden" name="view" value="${m.view}">
    <label for="cal-date">${t('date')}</label>
    <input id="cal-date" name="date" type="date" value="${m.day}">
    <label for="cal-appraiser">${t('appraiser')}</label>
    <select id="cal-appraiser" name="appraiser">
      <option value="all">${t('allAppraisers')}</option>
      ${m.appraisers.map((a) => html`<option value="${a.id}"${a.id === m.appraiser ? html` selected` : ''}>${a.name}</option>`)}
    </select>
    <button type="submit" class="btn">${t('show')}</button>
  </form>`;
}

function dayTable(m: CalendarModel, i18n: Translator): Html {
  const t = (k: string) => i18n.t(`admin-appraisal.calendar.${k}`);
  const day = m.days[0] ?? m.day;
  const caption = `${weekdayName(i18n, day)}, ${dayLabel(day)}`;
  if (m.sessions.length === 0) return html`<section class="card"><h2>${caption}</h2><p class="muted">${t('emptyDay')}</p></section>`;
  return html`<div class="table-wrap"><table class="data appraisal-day-table">
    <caption>${caption}</caption>
    <thead><tr>
      <th scope="col">${t('columns.time')}</th><th scope="col">${t('columns.business')}</th>
      <th scope="col">${t('columns.procedure')}</th><th scope="col">${t('columns.appraiser')}</th>
      <th scope="col">${t('columns.status')}</th><th scope="col">${t('columns.open')}</th>
    </tr></thead>
    <tbody>${m.sessions.map(
      (s) => html`<tr>
        <td class="nowrap">${timeRange(s)}</td>
        <td>${s.businessName}<br><small class="muted">${s.code}</small></td>
        <td>${s.procedureName}</td>
        <td>${s.appraiserName}</td>
        <td>${statusBadge(i18n, s.status, s.outcome)}</td>
        <td><a class="btn small" href="${sessionPath(s.id)}">${t('open')}</a></td>
      </tr>`,
    )}</tbody>
  </table></div>`;
}

function weekGrid(m: CalendarModel, i18n: Translator): Html {
  const t = (k: string) => i18n.t(`admin-appraisal.calendar.${k}`);
  const byDay = new Map<string, SessionRow[]>();
  for (const s of m.sessions) {
    const d = vnDay(s.startsAt);
    byDay.set(d, [...(byDay.get(d) ?? []), s]);
  }
  return html`<div class="appraisal-week">${m.days.map((day) => {
    const list = byDay.get(day) ?? [];
    const headingId = `day-${day}`;
    return html`<section class="appraisal-day${day === m.today ? ' today' : ''}" aria-labelledby="${headingId}">
      <h2 id="${headingId}"><a href="${query(m, { view: 'day', day })}">${weekdayName(i18n, day)} ${shortDayLabel(day)}</a>${
        day === m.today ? html` <span class="badge ok">${t('todayBadge')}</span>` : ''
      }</h2>
      ${
        list.length === 0
          ? html`<p class="muted small">${t('emptyShort')}</p>`
          : html`<ul class="appraisal-sessions">${list.map(
              (s) => html`<li class="appraisal-session status-${s.status}">
                <a href="${sessionPath(s.id)}">
                  <span class="appraisal-time">${timeRange(s)}</span>
                  <span class="appraisal-business">${s.businessName}</span>
                  <span class="appraisal-procedure small">${s.procedureName}</span>
                  ${m.appraiser === 'all' ? html`<span class="small muted">${s.appraiserName}</span>` : ''}
                </a>
                ${statusBadge(i18n, s.status, s.outcome)}
              </li>`,
            )}</ul>`
      }
    </section>`;
  })}</div>`;
}

export function calendarPage(m: CalendarModel, i18n: Translator, canManage: boolean): Html {
  const t = (k: string) => i18n.t(`admin-appraisal.calendar.${k}`);
  const first = m.days[0] ?? m.day;
  const last = m.days[m.days.length - 1] ?? m.day;
  return html`<p class="muted">${t('intro')}</p>
  ${canManage ? html`<p><a class="btn" href="${BASE}/availability">${i18n.t('admin-appraisal.availability.title')}</a></p>` : ''}
  ${toolbar(m, i18n)}
  <p class="lead" aria-live="polite">${
    m.view === 'week'
      ? i18n.t('admin-appraisal.calendar.weekOf', { from: dayLabel(first), to: dayLabel(last) })
      : `${weekdayName(i18n, first)}, ${dayLabel(first)}`
  } · ${i18n.t('admin-appraisal.calendar.count', { n: m.sessions.length })}</p>
  ${m.view === 'week' ? weekGrid(m, i18n) : dayTable(m, i18n)}`;
}
