/**
 * The analytics page: the period filter, the cards, and one section per chart. Each chart is drawn
 * by `public/analytics.js` from the JSON block `#analytics-data` (no inline script: the console runs
 * under `script-src 'self'`), and each has a table with the same numbers inside `<details>` for
 * screen readers, keyboard users and anyone who wants the figures.
 */
import type { Translator } from '../../i18n';
import { html, jsonForScript, type Html } from '../html';
import { REPORTS } from './export';
import { formatDay, formatDecimal, formatInteger, formatPercent, intentLabel } from './labels';
import { SESSION_GAP_MINUTES, type ChannelDayCount, type HandoffDay, type KeyCount, type Overview, type RatingWeek } from './queries';
import { CHANNELS, daysOf, type AnalyticsRange } from './range';

export interface DashboardData {
  range: AnalyticsRange;
  overview: Overview;
  perDay: ChannelDayCount[];
  intents: KeyCount[];
  procedures: KeyCount[];
  handoffs: HandoffDay[];
  ratings: RatingWeek[];
}

/** What the filter form shows: the values as typed (kept after an error). */
export interface FilterValues {
  from: string;
  to: string;
  channel: string;
}

const t = (i18n: Translator, key: string, params?: Record<string, string | number>) => i18n.t(`admin-analytics.${key}`, params);

/** Query string of a period, for links between the analytics pages and exports. */
export function rangeQuery(v: FilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ from: v.from, to: v.to, ...(v.channel ? { channel: v.channel } : {}), ...extra });
  return `?${params.toString()}`;
}

/** The period filter (GET, so a filtered page can be bookmarked and shared). */
export function filterForm(i18n: Translator, action: string, values: FilterValues, error: string | null): Html {
  return html`<form method="get" action="${action}" class="toolbar analytics-filter" novalidate>
    <div class="form-row"><label for="f-from">${t(i18n, 'filter.from')}</label>
      <input type="date" id="f-from" name="from" value="${values.from}" required${error ? html` aria-invalid="true" aria-describedby="f-error"` : ''}></div>
    <div class="form-row"><label for="f-to">${t(i18n, 'filter.to')}</label>
      <input type="date" id="f-to" name="to" value="${values.to}" required${error ? html` aria-invalid="true" aria-describedby="f-error"` : ''}></div>
    <div class="form-row"><label for="f-channel">${t(i18n, 'filter.channel')}</label>
      <select id="f-channel" name="channel">
        <option value="">${t(i18n, 'filter.allChannels')}</option>
        ${CHANNELS.map((ch) => html`<option value="${ch}"${values.channel === ch ? html` selected` : ''}>${t(i18n, `channels.${ch}`)}</option>`)}
      </select></div>
    <button type="submit" class="btn primary">${t(i18n, 'filter.apply')}</button>
    ${error ? html`<p class="field-error" id="f-error" role="alert">${error}</p>` : ''}
  </form>`;
}

function card(label: string, value: string, note: string | null): Html {
  return html`<div class="card stat"><p class="muted">${label}</p><p class="stat-value">${value}</p>${note ? html`<p class="muted">${note}</p>` : ''}</div>`;
}

function cards(i18n: Translator, o: Overview): Html {
  const none = t(i18n, 'noValue');
  return html`<div class="grid analytics-cards">
    ${card(t(i18n, 'cards.messagesIn'), formatInteger(o.messagesIn), null)}
    ${card(t(i18n, 'cards.conversations'), formatInteger(o.conversations), t(i18n, 'cards.conversationsNote', { minutes: SESSION_GAP_MINUTES }))}
    ${card(t(i18n, 'cards.people'), formatInteger(o.people), null)}
    ${card(
      t(i18n, 'cards.handoffs'),
      formatInteger(o.handoffs),
      o.handoffs === 0
        ? null
        : t(i18n, 'cards.handoffsNote', {
            answered: formatInteger(o.handoffsAnswered),
            median: o.medianReplyMinutes === null ? none : formatDecimal(o.medianReplyMinutes),
          }),
    )}
    ${card(
      t(i18n, 'cards.rating'),
      o.averageRating === null ? none : `${formatDecimal(o.averageRating)}/5`,
      t(i18n, 'cards.ratingNote', { count: formatInteger(o.ratings) }),
    )}
    ${card(
      t(i18n, 'cards.understood'),
      o.textsRead === 0 ? none : formatPercent(o.understood / o.textsRead),
      t(i18n, 'cards.understoodNote', { understood: formatInteger(o.understood), total: formatInteger(o.textsRead) }),
    )}
  </div>`;
}

type Row = readonly (string | number)[];

/** A chart section: canvas for sighted users, the same numbers in a table for everyone. */
function chartSection(i18n: Translator, id: string, title: string, header: readonly string[], data: readonly Row[]): Html {
  if (data.length === 0) {
    return html`<section class="card chart-card" aria-labelledby="h-${id}"><h2 id="h-${id}">${title}</h2><p class="muted">${t(i18n, 'empty')}</p></section>`;
  }
  return html`<section class="card chart-card" aria-labelledby="h-${id}">
    <h2 id="h-${id}">${title}</h2>
    <div class="chart-box"><canvas id="chart-${id}" role="img" aria-label="${t(i18n, 'chartAlt', { title })}"></canvas></div>
    <details><summary>${t(i18n, 'showTable')}</summary>
      <table class="data"><caption class="muted">${title}</caption>
        <thead><tr>${header.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
        <tbody>${data.map((row) => html`<tr>${row.map((v, i) => (i === 0 ? html`<th scope="row">${v}</th>` : html`<td>${v}</td>`))}</tr>`)}</tbody>
      </table>
    </details>
  </section>`;
}

const fmt = (n: number | null, none: string) => (n === null ? none : formatDecimal(n));

/** The page body (without the layout). */
export function dashboardBody(i18n: Translator, d: DashboardData): Html {
  const values: FilterValues = { from: d.range.from, to: d.range.to, channel: d.range.channel ?? '' };
  const none = t(i18n, 'noValue');
  const days = daysOf(d.range);
  const perDay = new Map(d.perDay.map((r) => [`${r.day}|${r.channel}`, r.count]));
  const channels = d.range.channel ? [d.range.channel] : [...CHANNELS];
  const dayCounts = days.map((day) => channels.map((ch) => perDay.get(`${day}|${ch}`) ?? 0));
  const handoffByDay = new Map(d.handoffs.map((r) => [r.day, r]));
  const handoffDays = days.map((day) => handoffByDay.get(day) ?? { day, requested: 0, answered: 0, medianMinutes: null, p90Minutes: null });
  const channelNames = channels.map((ch) => t(i18n, `channels.${ch}`));
  const intentNames = d.intents.map((r) => intentLabel(i18n, r.key));
  const procedureNames = d.procedures.map((r) => r.label ?? r.key);

  const chartData = {
    messages: { labels: days.map(formatDay), series: channels.map((ch, i) => ({ key: ch, label: channelNames[i], data: dayCounts.map((c) => c[i]) })) },
    intents: { labels: intentNames, label: t(i18n, 'table.messages'), data: d.intents.map((r) => r.count) },
    procedures: { labels: procedureNames, label: t(i18n, 'table.messages'), data: d.procedures.map((r) => r.count) },
    handoffs: {
      labels: days.map(formatDay),
      requested: { label: t(i18n, 'table.requested'), data: handoffDays.map((r) => r.requested) },
      median: { label: t(i18n, 'table.medianMinutes'), data: handoffDays.map((r) => r.medianMinutes) },
      p90: { label: t(i18n, 'table.p90Minutes'), data: handoffDays.map((r) => r.p90Minutes) },
    },
    ratings: {
      labels: d.ratings.map((r) => formatDay(r.week)),
      average: { label: t(i18n, 'table.average'), data: d.ratings.map((r) => r.average) },
      count: { label: t(i18n, 'table.ratings'), data: d.ratings.map((r) => r.count) },
    },
  };
  const anyMessages = d.perDay.length > 0;
  const anyHandoffs = d.handoffs.length > 0;

  return html`${filterForm(i18n, '/admin/analytics', values, null)}
  <p class="toolbar">
    <a class="btn" href="/admin/analytics/unanswered${rangeQuery(values)}">${t(i18n, 'unanswered.link')}</a>
    <span class="muted">${t(i18n, 'export.label')}</span>
    ${REPORTS.map((r) => html`<a class="btn" href="/admin/analytics/export.csv${rangeQuery(values, { report: r })}" download>${t(i18n, `export.${r}`)}</a> `)}
  </p>
  ${cards(i18n, d.overview)}
  <script type="application/json" id="analytics-data">${jsonForScript(chartData)}</script>
  <div class="grid analytics-charts">
    ${chartSection(
      i18n,
      'messages',
      t(i18n, 'charts.messages'),
      [t(i18n, 'table.day'), ...channelNames, t(i18n, 'table.total')],
      anyMessages ? days.map((day, i) => [formatDay(day), ...(dayCounts[i] ?? []).map(formatInteger), formatInteger((dayCounts[i] ?? []).reduce((a, b) => a + b, 0))]) : [],
    )}
    ${chartSection(i18n, 'intents', t(i18n, 'charts.intents'), [t(i18n, 'table.intent'), t(i18n, 'table.messages')], d.intents.map((r, i) => [intentNames[i] ?? r.key, formatInteger(r.count)]))}
    ${chartSection(i18n, 'procedures', t(i18n, 'charts.procedures'), [t(i18n, 'table.procedure'), t(i18n, 'table.messages')], d.procedures.map((r, i) => [procedureNames[i] ?? r.key, formatInteger(r.count)]))}
    ${chartSection(
      i18n,
      'handoffs',
      t(i18n, 'charts.handoffs'),
      [t(i18n, 'table.day'), t(i18n, 'table.requested'), t(i18n, 'table.answered'), t(i18n, 'table.medianMinutes'), t(i18n, 'table.p90Minutes')],
      anyHandoffs ? handoffDays.map((r) => [formatDay(r.day), formatInteger(r.requested), formatInteger(r.answered), fmt(r.medianMinutes, none), fmt(r.p90Minutes, none)]) : [],
    )}
    ${chartSection(
      i18n,
      'ratings',
      t(i18n, 'charts.ratings'),
      [t(i18n, 'table.week'), t(i18n, 'table.average'), t(i18n, 'table.ratings')],
      d.ratings.map((r) => [formatDay(r.week), formatDecimal(r.average), formatInteger(r.count)]),
    )}
  </div>`;
}
