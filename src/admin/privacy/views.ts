/**
 * The pages of `/admin/privacy`: the search form with the retention policy, the review of what we
 * hold (counts, chat accounts, licences, bookings) with the export and erase forms, and the result
 * of an erasure. Every form posts (never GET), so phone numbers stay out of URLs, browser history
 * and access logs.
 */
import type { Request } from 'express';
import type { Translator, Params } from '../../i18n';
import type { ErasureCounts, SubjectCounts, SubjectExport, SubjectLookup } from '../../privacy';
import { CHAT_CHANNELS, LOOKUP_KINDS, countExport } from '../../privacy';
import { html, type Html } from '../html';
import type { AdminKit, PageOptions } from '../kit';
import { formatDateTime } from '../layout/format';

export interface PrivacyViewDeps {
  kit: AdminKit;
  i18n: Translator;
  retention: { conversationDays: number; rawDays: number };
}

/** What the search form shows (as typed, or as normalised after a lookup). */
export interface SearchValues {
  kind: string;
  channel: string;
  value: string;
}

export const emptySearch: SearchValues = { kind: 'identity', channel: 'zalo', value: '' };

type T = (key: string, params?: Params) => string;
const section = (i18n: Translator): T => (key, params) => i18n.t(`admin-privacy.${key}`, params);

/** The form values that lead back to `lookup`. */
export function valuesOf(lookup: SubjectLookup): SearchValues {
  if (lookup.kind === 'identity') return { kind: 'identity', channel: lookup.channel, value: lookup.userId };
  return { kind: lookup.kind, channel: '', value: lookup.kind === 'phone' ? lookup.phone : lookup.number };
}

function page(req: Request, deps: PrivacyViewDeps, body: Html, extra: Partial<PageOptions> = {}): string {
  return deps.kit.page(req, { title: deps.i18n.t('admin-privacy.title'), active: 'privacy', body, ...extra });
}

const option = (value: string, label: string, selected: string) => html`<option value="${value}"${value === selected ? html` selected` : ''}>${label}</option>`;

function searchForm(req: Request, deps: PrivacyViewDeps, v: SearchValues, error?: string): Html {
  const t = section(deps.i18n);
  return html`<form method="post" action="/admin/privacy/search" class="card narrow" novalidate>
    <h2>${t('search.title')}</h2>
    ${deps.kit.csrfField(req)}
    <div class="form-row"><label for="f-kind">${t('search.kind')}</label>
      <select id="f-kind" name="kind">${LOOKUP_KINDS.map((k) => option(k, t(`search.kinds.${k}`), v.kind))}</select></div>
    <div class="form-row"><label for="f-channel">${t('search.channel')}</label>
      <select id="f-channel" name="channel">${CHAT_CHANNELS.map((c) => option(c, t(`search.channels.${c}`), v.channel))}</select></div>
    <div class="form-row${error ? ' has-error' : ''}"><label for="f-value">${t('search.value')}</label>
      <input id="f-value" name="value" type="text" value="${v.value}" autocomplete="off" required aria-describedby="f-value-hint${error ? ' f-value-error' : ''}"${error ? html` aria-invalid="true"` : ''}>
      <p class="muted hint" id="f-value-hint">${t('search.valueHint')}</p>
      ${error ? html`<p class="field-error" id="f-value-error">${error}</p>` : ''}</div>
    <div class="form-actions"><button type="submit" class="btn primary">${t('search.submit')}</button></div>
  </form>`;
}

function intro(deps: PrivacyViewDeps): Html {
  const t = section(deps.i18n);
  return html`<p class="lead">${t('intro')}</p><p class="muted">${t('retention', deps.retention)}</p>`;
}

/** `/admin/privacy`: the search form (with an error, or "nothing found"). */
export function searchPage(req: Request, deps: PrivacyViewDeps, v: SearchValues, error?: string, notFound = false): string {
  const flash = notFound ? { kind: 'error' as const, text: deps.i18n.t('admin-privacy.problems.notFound') } : undefined;
  return page(req, deps, html`${intro(deps)}${searchForm(req, deps, v, error)}`, { flash });
}

function countsTable(t: T, prefix: 'counts' | 'erased', counts: SubjectCounts | ErasureCounts): Html {
  return html`<div class="table-wrap"><table class="data">
    <thead><tr><th scope="col">${t('review.kind')}</th><th scope="col">${t('review.count')}</th></tr></thead>
    <tbody>${Object.entries(counts).map(([k, n]) => html`<tr><td>${t(`${prefix}.${k}`)}</td><td>${n}</td></tr>`)}</tbody>
  </table></div>`;
}

/** `YYYY-MM-DD` as dd/mm/yyyy. */
const day = (iso: string) => iso.split('-').reverse().join('/');

function table(t: T, headings: string[], rows: Html[]): Html {
  if (rows.length === 0) return html`<p class="muted">${t('review.none')}</p>`;
  return html`<div class="table-wrap"><table class="data">
    <thead><tr>${headings.map((h) => html`<th scope="col">${t(h)}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

function heldData(t: T, data: SubjectExport): Html {
  const identities = data.identities.map((i) => {
    const contact = i.contact as { displayName?: string | null; phone?: string | null } | null;
    const channel = CHAT_CHANNELS.find((c) => c === i.channel);
    return html`<tr><td>${channel ? t(`search.channels.${channel}`) : i.channel}</td><td><code>${i.userId}</code></td><td>${contact?.displayName ?? '—'}</td><td>${contact?.phone ?? '—'}</td></tr>`;
  });
  const licences = data.licences.map((l) => html`<tr><td><code>${l.number}</code></td><td>${l.holderName}</td><td>${l.phone ?? '—'}</td><td class="nowrap">${day(l.expiresOn)}</td></tr>`);
  const bookings = data.bookings.map(
    (b) => html`<tr><td><code>${b.code}</code></td><td class="nowrap">${formatDateTime(b.startsAt)}</td><td>${t(`statuses.${b.status}`)}</td><td>${b.businessName}</td><td>${b.phone}</td></tr>`,
  );
  return html`<section class="card"><h2>${t('review.counts')}</h2>${countsTable(t, 'counts', countExport(data))}</section>
    <section class="card"><h2>${t('review.identities')}</h2>${table(t, ['review.channel', 'review.userId', 'review.name', 'review.phone'], identities)}</section>
    <section class="card"><h2>${t('review.licences')}</h2>${table(t, ['review.number', 'review.holder', 'review.phone', 'review.expiresOn'], licences)}</section>
    <section class="card"><h2>${t('review.bookings')}</h2>${table(t, ['review.code', 'review.startsAt', 'review.status', 'review.business', 'review.phone'], bookings)}</section>`;
}

/** The lookup as hidden fields: the export and erase forms act on exactly what was reviewed. */
function lookupFields(v: SearchValues): Html {
  return html`<input type="hidden" name="kind" value="${v.kind}"><input type="hidden" name="channel" value="${v.channel}"><input type="hidden" name="value" value="${v.value}">`;
}

function requestRefRow(t: T, id: string, value: string, error?: string): Html {
  return html`<div class="form-row${error ? ' has-error' : ''}"><label for="${id}">${t('requestRef.label')}</label>
    <input id="${id}" name="requestRef" type="text" maxlength="60" value="${value}" autocomplete="off" aria-describedby="${id}-hint"${error ? html` aria-invalid="true"` : ''}>
    <p class="muted hint" id="${id}-hint">${t('requestRef.hint')}</p>
    ${error ? html`<p class="field-error">${error}</p>` : ''}</div>`;
}

export interface ReviewState {
  data: SubjectExport;
  fingerprint: string;
  requestRef?: string;
  errors?: { requestRef?: string; confirm?: string };
  flash?: PageOptions['flash'];
}

/** The review of what we hold, with the export and erase forms. */
export function reviewPage(req: Request, deps: PrivacyViewDeps, s: ReviewState): string {
  const t = section(deps.i18n);
  const v = valuesOf(s.data.lookup);
  const word = t('erase.confirmWord');
  const errors = s.errors ?? {};
  const body = html`${searchForm(req, deps, v)}
    <h2>${t('review.title')}</h2>
    ${heldData(t, s.data)}
    <div class="grid">
      <form method="post" action="/admin/privacy/export" class="card" novalidate>
        <h2>${t('export.title')}</h2>
        <p class="muted">${t('export.hint')}</p>
        ${deps.kit.csrfField(req)}${lookupFields(v)}
        ${requestRefRow(t, 'f-export-ref', s.requestRef ?? '')}
        <div class="form-actions"><button type="submit" class="btn primary">${t('export.submit')}</button></div>
      </form>
      <form method="post" action="/admin/privacy/erase" class="card" novalidate>
        <h2>${t('erase.title')}</h2>
        <p>${t('erase.doesTitle')}</p><ul>${deps.i18n.list('admin-privacy.erase.does').map((line) => html`<li>${line}</li>`)}</ul>
        <p>${t('erase.keepsTitle')}</p><ul>${deps.i18n.list('admin-privacy.erase.keeps').map((line) => html`<li>${line}</li>`)}</ul>
        ${deps.kit.csrfField(req)}${lookupFields(v)}<input type="hidden" name="fingerprint" value="${s.fingerprint}">
        ${requestRefRow(t, 'f-erase-ref', s.requestRef ?? '', errors.requestRef)}
        <div class="form-row${errors.confirm ? ' has-error' : ''}"><label for="f-confirm">${t('erase.confirmLabel', { word })}</label>
          <input id="f-confirm" name="confirm" type="text" autocomplete="off" required aria-describedby="f-confirm-hint"${errors.confirm ? html` aria-invalid="true"` : ''}>
          <p class="muted hint" id="f-confirm-hint">${t('erase.confirmHint')}</p>
          ${errors.confirm ? html`<p class="field-error">${errors.confirm}</p>` : ''}</div>
        <div class="form-actions"><button type="submit" class="btn danger">${t('erase.submit')}</button></div>
      </form>
    </div>`;
  return page(req, deps, body, { flash: s.flash });
}

/** After an erasure: what changed, what was kept on purpose. */
export function erasedPage(req: Request, deps: PrivacyViewDeps, counts: ErasureCounts, kept: { licences: number; bookings: number }): string {
  const t = section(deps.i18n);
  const body = html`<section class="card"><p>${t('erase.kept', kept)}</p>
      <h2>${t('erase.changes')}</h2>${countsTable(t, 'erased', counts)}</section>
    <p><a class="btn" href="/admin/privacy">${t('erase.again')}</a></p>`;
  return page(req, deps, body, { title: t('erase.resultTitle'), flash: { kind: 'success', text: t('erase.done') } });
}
