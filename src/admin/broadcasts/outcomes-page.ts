/**
 * "Delivery outcomes" for officers: every outbox message created in a period of Vietnam days, by
 * purpose (reply, reminder, broadcast, appointment update…) and outcome, how the sent ones went out,
 * and the reasons behind failures, refusals and waits.
 */
import { z } from 'zod';
import { OUTCOME_KINDS, type DeliveryOutcomes } from '../../broadcasts';
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import { outcomeLabel, reasonCell, tb } from './labels';

const VN_OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;
export const DEFAULT_OUTCOME_DAYS = 7;
export const MAX_OUTCOME_DAYS = 366;

export interface OutcomeRange {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

/** A real calendar day. zod runs the refinement even when the pattern failed: it must not throw on any text. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  });

const vnDay = (at: Date) => new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
const vnMidnight = (d: string) => new Date(`${d}T00:00:00+07:00`);

/** The period asked for in the query string (default: the last 7 Vietnam days), or the error key. */
export function readOutcomeRange(query: Record<string, unknown>, now: Date): { range: OutcomeRange; error?: string } {
  const today = vnDay(now);
  const fallbackFrom = vnDay(new Date(now.getTime() - (DEFAULT_OUTCOME_DAYS - 1) * DAY_MS));
  const make = (from: string, to: string): OutcomeRange => ({ from, to, start: vnMidnight(from), end: new Date(vnMidnight(to).getTime() + DAY_MS) });
  const fallback = make(fallbackFrom, today);
  const rawFrom = typeof query.from === 'string' && query.from ? query.from : fallbackFrom;
  const rawTo = typeof query.to === 'string' && query.to ? query.to : today;
  if (!day.safeParse(rawFrom).success || !day.safeParse(rawTo).success) return { range: fallback, error: 'rangeInvalid' };
  if (rawFrom > rawTo) return { range: fallback, error: 'rangeOrder' };
  const range = make(rawFrom, rawTo);
  if (range.end.getTime() - range.start.getTime() > MAX_OUTCOME_DAYS * DAY_MS) return { range: fallback, error: 'rangeTooLong' };
  return { range };
}

const purposeLabel = (i18n: Translator, p: string) => (i18n.has(`admin-broadcasts.purposes.${p}`) ? tb(i18n, `purposes.${p}`) : p);

export function outcomesPage(data: DeliveryOutcomes, range: OutcomeRange, i18n: Translator): Html {
  const total = (p: string) => OUTCOME_KINDS.reduce((n, k) => n + (data.byPurpose[p]?.[k] ?? 0), 0);
  const byPurpose = html`<div class="table-wrap"><table class="data" id="outcomes-by-purpose">
    <thead><tr><th scope="col">${tb(i18n, 'outcomes.purpose')}</th>${OUTCOME_KINDS.map((k) => html`<th scope="col">${outcomeLabel(i18n, k)}</th>`)}<th scope="col">${tb(i18n, 'outcomes.total')}</th></tr></thead>
    <tbody>${data.purposes.map(
      (p) => html`<tr data-purpose="${p}"><th scope="row">${purposeLabel(i18n, p)}</th>${OUTCOME_KINDS.map((k) => html`<td data-kind="${k}">${data.byPurpose[p]?.[k] ?? 0}</td>`)}<td>${total(p)}</td></tr>`,
    )}</tbody>
  </table></div>`;
  const modes = data.purposes.flatMap((p) => Object.entries(data.sentByMode[p] ?? {}).map(([mode, n]) => ({ p, mode, n })));
  const byMode = html`<div class="table-wrap"><table class="data" id="outcomes-by-mode">
    <thead><tr><th scope="col">${tb(i18n, 'outcomes.purpose')}</th><th scope="col">${tb(i18n, 'outcomes.mode')}</th><th scope="col">${tb(i18n, 'outcomes.sent')}</th></tr></thead>
    <tbody>${modes.map((m) => html`<tr><td>${purposeLabel(i18n, m.p)}</td><td><code>${m.mode}</code></td><td>${m.n}</td></tr>`)}</tbody>
  </table></div>`;
  const reasons = html`<div class="table-wrap"><table class="data" id="outcomes-reasons">
    <thead><tr><th scope="col">${tb(i18n, 'outcomes.purpose')}</th><th scope="col">${tb(i18n, 'progress.outcome')}</th><th scope="col">${tb(i18n, 'progress.reason')}</th><th scope="col">${tb(i18n, 'progress.count')}</th></tr></thead>
    <tbody>${data.reasons.map(
      (r) => html`<tr data-kind="${r.kind}"><td>${purposeLabel(i18n, r.purpose)}</td><td>${outcomeLabel(i18n, r.kind)}</td><td>${reasonCell(i18n, r)}</td><td>${r.count}</td></tr>`,
    )}</tbody>
  </table></div>`;
  return html`<p class="muted">${tb(i18n, 'outcomes.intro')}</p>
  <form method="get" action="/admin/delivery-outcomes" class="toolbar">
    <label for="from">${tb(i18n, 'outcomes.from')}</label><input id="from" name="from" type="date" value="${range.from}">
    <label for="to">${tb(i18n, 'outcomes.to')}</label><input id="to" name="to" type="date" value="${range.to}">
    <button type="submit" class="btn">${tb(i18n, 'outcomes.show')}</button>
  </form>
  <section class="card"><h2>${tb(i18n, 'outcomes.byPurpose')}</h2>
    ${data.purposes.length ? byPurpose : html`<p class="muted">${tb(i18n, 'outcomes.empty')}</p>`}</section>
  ${modes.length ? html`<section class="card"><h2>${tb(i18n, 'outcomes.byMode')}</h2>${byMode}</section>` : ''}
  ${data.reasons.length ? html`<section class="card"><h2>${tb(i18n, 'outcomes.reasons')}</h2>${reasons}</section>` : ''}`;
}
