/**
 * A broadcast's page: the message, then the live part — status, pause / resume / cancel, counts
 * (not yet handed over, queued, waiting on a channel rule, sent, refused by policy, failed, opted
 * out, withdrawn), reasons grouped, and the recipients with problems first. The live part is also
 * served alone (`/live`) for progress.js to swap in every few seconds; without JavaScript the
 * "refresh" link does the same.
 */
import { reasonKey, type Broadcast, type BroadcastProgress, type RecipientResult } from '../../broadcasts';
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import { formatDateTime } from '../layout/format';
import { isLive, outcomeLabel, reasonCell, segmentLabel, statusBadge, tb, type ProcedureNames } from './labels';
import { previewBlock } from './compose-page';

export interface ProgressView {
  broadcast: Broadcast;
  progress: BroadcastProgress;
  results: RecipientResult[];
  names: ProcedureNames;
  csrfField: Html;
  now: Date;
}

const COUNT_ORDER = ['pending', 'queued', 'waiting', 'sent', 'refused', 'failed', 'optedOut', 'cancelled'] as const;

function actionForm(view: ProgressView, i18n: Translator, action: 'pause' | 'resume' | 'cancel'): Html {
  const id = view.broadcast.id;
  return html`<form method="post" action="${`/admin/broadcasts/${id}/${action}`}" class="inline-form">
    ${view.csrfField}
    ${action === 'cancel'
      ? html`<label class="confirm"><input type="checkbox" name="confirm" value="yes"> ${tb(i18n, 'progress.confirmCancel')}</label>`
      : ''}
    <button type="submit" class="${action === 'cancel' ? 'btn danger' : 'btn'}">${tb(i18n, `progress.actions.${action}`)}</button>
  </form>`;
}

function actions(view: ProgressView, i18n: Translator): Html {
  const s = view.broadcast.status;
  const forms: Html[] = [];
  if (s === 'scheduled' || s === 'sending') forms.push(actionForm(view, i18n, 'pause'));
  if (s === 'paused') forms.push(actionForm(view, i18n, 'resume'));
  if (s === 'scheduled' || s === 'sending' || s === 'paused') forms.push(actionForm(view, i18n, 'cancel'));
  return forms.length ? html`<div class="toolbar broadcast-actions">${forms}</div>` : html``;
}

function counts(view: ProgressView, i18n: Translator): Html {
  const p = view.progress;
  const value = (k: (typeof COUNT_ORDER)[number]) => (k === 'pending' ? p.pending : k === 'optedOut' ? p.optedOut : p.counts[k]);
  return html`<ul class="broadcast-counts">${COUNT_ORDER.map(
    (k) => html`<li data-count="${k}"><strong>${value(k)}</strong><span>${outcomeLabel(i18n, k)}</span></li>`,
  )}</ul>`;
}

function reasons(view: ProgressView, i18n: Translator): Html {
  const list = view.progress.reasons;
  if (list.length === 0) return html``;
  return html`<h3>${tb(i18n, 'progress.reasonsTitle')}</h3>
  <div class="table-wrap"><table class="data" id="broadcast-reasons">
    <thead><tr><th scope="col">${tb(i18n, 'progress.outcome')}</th><th scope="col">${tb(i18n, 'progress.reason')}</th><th scope="col">${tb(i18n, 'progress.count')}</th></tr></thead>
    <tbody>${list.map((r) => html`<tr data-kind="${r.kind}"><td>${outcomeLabel(i18n, r.kind)}</td><td>${reasonCell(i18n, r)}</td><td>${r.count}</td></tr>`)}</tbody>
  </table></div>`;
}

function results(view: ProgressView, i18n: Translator): Html {
  if (view.results.length === 0) return html``;
  return html`<h3>${tb(i18n, 'progress.resultsTitle', { shown: view.results.length, total: view.progress.total })}</h3>
  <div class="table-wrap"><table class="data" id="broadcast-results">
    <thead><tr><th scope="col">${tb(i18n, 'progress.channel')}</th><th scope="col">${tb(i18n, 'progress.person')}</th>
      <th scope="col">${tb(i18n, 'progress.outcome')}</th><th scope="col">${tb(i18n, 'progress.detail')}</th></tr></thead>
    <tbody>${view.results.map(
      (r) => html`<tr><td>${tb(i18n, `channels.${r.channel}`)}</td><td>${r.displayName ?? ''} <small class="muted">${r.channelUserId}</small></td>
        <td>${outcomeLabel(i18n, r.kind)}</td>
        <td>${r.sentAt ? html`${formatDateTime(r.sentAt)} · ${r.mode ?? ''}` : r.reason ? reasonCell(i18n, { reason: r.reason, key: reasonKey(r.reason) }) : ''}</td></tr>`,
    )}</tbody>
  </table></div>`;
}

function facts(view: ProgressView, i18n: Translator): Html {
  const b = view.broadcast;
  const at = (d: Date | null) => (d ? formatDateTime(d) : '—');
  return html`<dl class="broadcast-facts">
    <dt>${tb(i18n, 'progress.status')}</dt><dd>${statusBadge(i18n, b.status)}</dd>
    <dt>${tb(i18n, 'progress.segment')}</dt><dd>${segmentLabel(i18n, b.segment, view.names)}</dd>
    <dt>${tb(i18n, 'progress.recipients')}</dt><dd>${b.recipientCount ?? 0}</dd>
    <dt>${tb(i18n, 'progress.scheduledAt')}</dt><dd>${at(b.scheduledAt)}</dd>
    <dt>${tb(i18n, 'progress.startedAt')}</dt><dd>${at(b.startedAt)}</dd>
    <dt>${tb(i18n, 'progress.finishedAt')}</dt><dd>${at(b.finishedAt)}</dd>
  </dl>`;
}

/** The part that refreshes itself. */
export function liveSection(view: ProgressView, i18n: Translator): Html {
  const inFlight = view.progress.counts.queued + view.progress.counts.waiting;
  const live = isLive(view.broadcast, inFlight);
  return html`<div id="broadcast-live" data-live="${live ? '1' : '0'}" data-src="${`/admin/broadcasts/${view.broadcast.id}/live`}">
    ${facts(view, i18n)}
    ${actions(view, i18n)}
    ${counts(view, i18n)}
    ${reasons(view, i18n)}
    ${results(view, i18n)}
    <p class="muted small">${tb(i18n, 'progress.updatedAt', { at: formatDateTime(view.now) })}
      ${live ? html` · <a href="${`/admin/broadcasts/${view.broadcast.id}`}">${tb(i18n, 'progress.refresh')}</a>` : ''}</p>
  </div>`;
}

export function progressPage(view: ProgressView, i18n: Translator): Html {
  return html`<p><a href="/admin/broadcasts">${tb(i18n, 'progress.back')}</a></p>
  <div class="broadcast-columns">
    <section class="card">${liveSection(view, i18n)}</section>
    <section class="card"><h2>${tb(i18n, 'progress.message')}</h2>${previewBlock(i18n, view.broadcast.text)}</section>
  </div>`;
}
