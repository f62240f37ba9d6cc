/** Small pieces the licence pages share: dates as officials write them, expiry badges, type names. */
import { toDayFirst } from '../../licences/import';
import { html, type Html } from '../html';

/** `YYYY-MM-DD` -> `dd/mm/yyyy`; a dash for no date. */
export const day = (iso: string | null): string => (iso ? toDayFirst(iso) : '—');

/** Whole days from `today` to `iso` (negative when past). */
export function daysBetween(today: string, iso: string): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** The expiry as a badge: expired (error), soon (warn, within 30 days) or fine. */
export function expiryBadge(t: (k: string, p?: Record<string, string | number>) => string, today: string, expiresOn: string): Html {
  const left = daysBetween(today, expiresOn);
  if (left < 0) return html`<span class="badge error">${t('expiry.expired', { days: -left })}</span>`;
  if (left === 0) return html`<span class="badge warn">${t('expiry.today')}</span>`;
  return html`<span class="badge ${left <= 30 ? 'warn' : 'ok'}">${t('expiry.left', { days: left })}</span>`;
}

/** Procedure names by slug, with the slug itself for a type the knowledge base no longer has. */
export function typeName(names: ReadonlyMap<string, string>, slug: string): string {
  return names.get(slug) ?? slug;
}
