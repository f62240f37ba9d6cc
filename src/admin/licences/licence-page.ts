/** One licence: its details, the chat identities linked to it, and every reminder planned for it. */
import type { Request } from 'express';
import type { Licence } from '../../licences';
import { html, type Html } from '../html';
import { formatDateTime } from '../layout/format';
import { sectionT, type LicencesConsoleDeps } from './deps';
import type { LinkedIdentity, ReminderEntry } from './store';
import { day, expiryBadge, typeName } from './views';

export interface LicencePageData {
  licence: Licence;
  links: LinkedIdentity[];
  reminders: ReminderEntry[];
  today: string;
  types: ReadonlyMap<string, string>;
}

type T = ReturnType<typeof sectionT>;

/** "60 days before", "on the day", "1 day after". */
function stepLabel(t: T, step: number): string {
  if (step === 0) return t('reminders.onTheDay');
  return step > 0 ? t('reminders.before', { days: step }) : t('reminders.after', { days: -step });
}

const KNOWN_STATUSES = new Set(['pending', 'sending', 'sent', 'failed']);

function deliveryCell(t: T, r: ReminderEntry): Html {
  if (r.deliveries.length === 0) return html`<span class="muted">—</span>`;
  return html`<ul class="plain">${r.deliveries.map((d) => {
    const m = d.message;
    const status = m && KNOWN_STATUSES.has(m.status) ? t(`outbox.${m.status}`) : t('outbox.missing');
    const detail = m?.failureReason ?? m?.waitingReason ?? (m?.sentAt ? formatDateTime(m.sentAt) : '');
    return html`<li><strong>${d.channel}</strong>${m?.mode ? html` (${m.mode})` : ''}: ${status}${detail ? html` — <span class="muted">${detail}</span>` : ''}</li>`;
  })}</ul>`;
}

function remindersTable(t: T, reminders: ReminderEntry[]): Html {
  if (reminders.length === 0) return html`<p class="muted">${t('reminders.none')}</p>`;
  return html`<div class="table-wrap"><table class="data">
    <thead><tr>
      <th scope="col">${t('reminders.dueOn')}</th><th scope="col">${t('reminders.step')}</th><th scope="col">${t('reminders.status')}</th>
      <th scope="col">${t('reminders.messages')}</th><th scope="col">${t('reminders.note')}</th>
    </tr></thead>
    <tbody>${reminders.map(
      (r) => html`<tr>
        <td class="nowrap">${day(r.dueOn)}</td>
        <td>${stepLabel(t, r.step)}${r.expiresOn ? html`<br><span class="muted small">${t('reminders.forExpiry', { date: day(r.expiresOn) })}</span>` : ''}</td>
        <td>${t(`reminders.statuses.${r.status === 'queued' || r.status === 'no_channel' || r.status === 'skipped' ? r.status : 'other'}`)}</td>
        <td>${deliveryCell(t, r)}</td>
        <td>${r.note ?? ''}</td>
      </tr>`,
    )}</tbody></table></div>`;
}

function linksTable(t: T, links: LinkedIdentity[]): Html {
  if (links.length === 0) return html`<p class="muted">${t('links.none')}</p>`;
  return html`<div class="table-wrap"><table class="data">
    <thead><tr><th scope="col">${t('links.channel')}</th><th scope="col">${t('links.user')}</th><th scope="col">${t('links.verifiedBy')}</th>
      <th scope="col">${t('links.verifiedAt')}</th><th scope="col">${t('links.state')}</th></tr></thead>
    <tbody>${links.map(
      (l) => html`<tr>
        <td>${l.channel}</td><td><code>${l.channelUserId}</code></td>
        <td>${t(`links.by.${l.verifiedBy}`)}</td>
        <td class="nowrap">${formatDateTime(l.verifiedAt)}</td>
        <td>${l.unsubscribedAt
          ? html`<span class="badge muted">${t('links.unsubscribed', { at: formatDateTime(l.unsubscribedAt) })}</span>`
          : html`<span class="badge ok">${t('links.active')}</span>`}</td>
      </tr>`,
    )}</tbody></table></div>`;
}

export function licencePage(req: Request, deps: LicencesConsoleDeps, d: LicencePageData): string {
  const t = sectionT(deps.i18n);
  const l = d.licence;
  const facts: [string, Html | string][] = [
    [t('field.number'), html`<code>${l.number}</code>`],
    [t('field.holder'), l.holderName],
    [t('field.type'), typeName(d.types, l.procedureSlug)],
    [t('field.phone'), l.phone ?? '—'],
    [t('field.address'), l.address ?? '—'],
    [t('field.ward'), l.ward ?? '—'],
    [t('field.issuedOn'), day(l.issuedOn)],
    [t('field.expiresOn'), html`${day(l.expiresOn)} ${expiryBadge(t, d.today, l.expiresOn)}`],
    [t('field.source'), t(`source.${l.source}`)],
    [t('field.updatedAt'), formatDateTime(l.updatedAt)],
  ];
  const body = html`<div class="toolbar"><a class="btn" href="/admin/licences">${t('detail.back')}</a></div>
    <section class="card"><dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></section>
    <section class="card"><h2>${t('links.title')}</h2>${linksTable(t, d.links)}</section>
    <section class="card"><h2>${t('reminders.title')}</h2>${remindersTable(t, d.reminders)}</section>`;
  return deps.kit.page(req, { title: t('detail.title', { number: l.number }), body, active: 'licences' });
}
