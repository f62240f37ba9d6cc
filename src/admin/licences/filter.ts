/** The list's filter as it travels in the query string, validated (anything odd means "no filter"). */
import { z } from 'zod';
import type { LicenceSearch } from '../../licences';

export const EXPIRY_CHOICES = ['30', '60', '90', 'expired'] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number] | '';

// `.catch` also covers an absent key and a repeated one (`?q=a&q=b` arrives as an array).
const filterSchema = z.object({
  q: z.string().trim().max(200).catch(''),
  type: z.string().regex(/^[a-z0-9-]{1,80}$/).catch(''),
  expiry: z.union([z.enum(EXPIRY_CHOICES), z.literal('')]).catch(''),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export interface ListFilter {
  q: string;
  type: string;
  expiry: ExpiryChoice;
  page: number;
}

export function readListFilter(query: unknown): ListFilter {
  return filterSchema.parse(typeof query === 'object' && query !== null ? query : {});
}

/** The repository search for a filter (without paging when `page` is left out). */
export function toSearch(f: ListFilter, today: string): LicenceSearch {
  return {
    query: f.q || undefined,
    procedure: f.type || undefined,
    expired: f.expiry === 'expired' || undefined,
    expiringWithinDays: f.expiry && f.expiry !== 'expired' ? Number(f.expiry) : undefined,
    page: f.page,
    today,
  };
}

/** The query string of a filter, for pagination and export links. */
export function filterQuery(f: ListFilter, overrides: Partial<ListFilter> = {}): string {
  const merged = { ...f, ...overrides };
  const params = new URLSearchParams();
  if (merged.q) params.set('q', merged.q);
  if (merged.type) params.set('type', merged.type);
  if (merged.expiry) params.set('expiry', merged.expiry);
  if (merged.page > 1) params.set('page', String(merged.page));
  const s = params.toString();
  return s ? `?${s}` : '';
}
