/**
 * The "not understood" page: one row per question (all its spellings merged), how often and when
 * it was last asked, and — for officials who may change the bot — two small forms: add it as a
 * training example of an intent, or as another name of a procedure. The text is editable before
 * adding (a question often carries a greeting or a name worth trimming).
 */
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import { formatDateTime, formatInteger, intentLabel } from './labels';
import { MAX_DISTINCT_TEXTS, type UnansweredGroup, type UnansweredPage } from './unanswered';
import { filterForm, rangeQuery, type FilterValues } from './views';

/** A rejected action form, shown again on its row with what was typed. */
export interface FormState {
  kind: 'train' | 'alias';
  key: string;
  text: string;
  choice: string;
  error: string;
}

export interface UnansweredView {
  values: FilterValues;
  page: UnansweredPage;
  /** Officers and admins get the action forms; viewers read only. */
  canEdit: boolean;
  csrfField: Html;
  intents: readonly string[];
  procedures: readonly { slug: string; name: string }[];
  /** Grouping key -> what it already is: an example of an intent, or a procedure's name/alias. */
  known: ReadonlyMap<string, { kind: 'intent' | 'procedure'; label: string }>;
  form?: FormState;
}

const t = (i18n: Translator, key: string, params?: Record<string, string | number>) => i18n.t(`admin-analytics.${key}`, params);

function actionForm(i18n: Translator, v: UnansweredView, g: UnansweredGroup, row: number, kind: 'train' | 'alias'): Html {
  const state = v.form && v.form.kind === kind && v.form.key === g.key ? v.form : undefined;
  const id = `${kind}-${row}`;
  const options =
    kind === 'train'
      ? v.intents.map((i) => ({ value: i, label: intentLabel(i18n, i) }))
      : v.procedures.map((p) => ({ value: p.slug, label: p.name }));
  // By the label the official reads, in Vietnamese alphabetical order.
  options.sort((a, b) => a.label.localeCompare(b.label, 'vi'));
  const back = rangeQuery(v.values, { page: String(v.page.page) });
  return html`<form method="post" action="/admin/analytics/unanswered/${kind}" class="inline-form ${kind}-form">
    ${v.csrfField}
    <input type="hidden" name="key" value="${g.key}">
    <input type="hidden" name="back" value="${back}">
    <label for="${id}-text" class="muted">${t(i18n, `unanswered.${kind}.text`)}</label>
    <input type="text" id="${id}-text" name="text" value="${state?.text ?? g.text}" maxlength="300" required>
    <label for="${id}-choice" class="muted">${t(i18n, `unanswered.${kind}.choice`)}</label>
    <select id="${id}-choice" name="${kind === 'train' ? 'intent' : 'procedure'}" required${state ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
      <option value="">${t(i18n, `unanswered.${kind}.placeholder`)}</option>
      ${options.map((o) => html`<option value="${o.value}"${state?.choice === o.value ? html` selected` : ''}>${o.label}</option>`)}
    </select>
    <button type="submit" class="btn small${kind === 'train' ? ' primary' : ''}">${t(i18n, `unanswered.${kind}.submit`)}</button>
    ${state ? html`<p class="field-error" id="${id}-error" role="alert">${state.error}</p>` : ''}
  </form>`;
}

function pager(i18n: Translator, v: UnansweredView): Html | '' {
  const { page, pages } = v.page;
  if (pages <= 1) return '';
  const link = (p: number) => `/admin/analytics/unanswered${rangeQuery(v.values, { page: String(p) })}`;
  return html`<nav class="toolbar pager" aria-label="${t(i18n, 'unanswered.pages')}">
    ${page > 1 ? html`<a class="btn" href="${link(page - 1)}" rel="prev">${t(i18n, 'unanswered.previous')}</a>` : ''}
    <span>${t(i18n, 'unanswered.pageOf', { page, pages })}</span>
    ${page < pages ? html`<a class="btn" href="${link(page + 1)}" rel="next">${t(i18n, 'unanswered.next')}</a>` : ''}
  </nav>`;
}

/** The page body (without the layout). */
export function unansweredBody(i18n: Translator, v: UnansweredView): Html {
  const { groups, total, truncated } = v.page;
  const list =
    groups.length === 0
      ? html`<p class="muted">${t(i18n, 'unanswered.empty')}</p>`
      : html`<table class="data unanswered">
          <thead><tr>
            <th scope="col">${t(i18n, 'unanswered.question')}</th>
            <th scope="col">${t(i18n, 'unanswered.count')}</th>
            <th scope="col">${t(i18n, 'unanswered.lastSeen')}</th>
            ${v.canEdit ? html`<th scope="col">${t(i18n, 'unanswered.actions')}</th>` : ''}
          </tr></thead>
          <tbody>${groups.map((g, row) => {
            const known = v.known.get(g.key);
            return html`<tr>
              <th scope="row">${g.text}
                ${g.variants > 1 ? html`<br><span class="muted">${t(i18n, 'unanswered.variants', { n: g.variants })}</span>` : ''}
                ${known ? html`<br><span class="badge ok">${t(i18n, `unanswered.known.${known.kind}`, { name: known.label })}</span>` : ''}
              </th>
              <td>${formatInteger(g.count)}</td>
              <td>${formatDateTime(g.lastSeen)}</td>
              ${v.canEdit ? html`<td class="actions">${actionForm(i18n, v, g, row, 'train')}${actionForm(i18n, v, g, row, 'alias')}</td>` : ''}
            </tr>`;
          })}</tbody>
        </table>`;
  return html`${filterForm(i18n, '/admin/analytics/unanswered', v.values, null)}
    <p class="toolbar">
      <a class="btn" href="/admin/analytics${rangeQuery(v.values)}">${t(i18n, 'unanswered.back')}</a>
      <a class="btn" href="/admin/analytics/export.csv${rangeQuery(v.values, { report: 'unanswered' })}" download>${t(i18n, 'export.unanswered')}</a>
    </p>
    <p class="muted">${t(i18n, 'unanswered.intro', { total: formatInteger(total) })}</p>
    ${truncated ? html`<p class="badge warn">${t(i18n, 'unanswered.truncated', { max: formatInteger(MAX_DISTINCT_TEXTS) })}</p>` : ''}
    ${v.canEdit ? html`<p class="muted">${t(i18n, 'unanswered.help')}</p>` : ''}
    ${list}
    ${pager(i18n, v)}`;
}
