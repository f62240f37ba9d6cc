/** The licence register's types: a stored licence and what it takes to write one. */
import type { tables } from '../db';

/** A row of the register. Dates are `YYYY-MM-DD` (calendar days in Vietnam). */
export type Licence = typeof tables.licences.$inferSelect;

export type LicenceSource = Licence['source'];

/** One licence to insert or replace (by number). */
export interface LicenceInput {
  /** Normalised with `normaliseLicenceNumber`. */
  number: string;
  procedureSlug: string;
  holderName: string;
  /** National 0… form, or null when unknown. */
  phone: string | null;
  /** Kept as stored when omitted (an import without the column does not erase it). */
  address?: string | null;
  ward?: string | null;
  issuedOn: string | null;
  expiresOn: string;
  source: LicenceSource;
  bookingId?: string | null;
}

/** Filters of the console's list and of `LicenceRepository.search`. */
export interface LicenceSearch {
  /** Matches the number, the holder's name (diacritics optional) or the phone. */
  query?: string;
  procedure?: string;
  /** Not yet expired and expiring within this many days of `today`. */
  expiringWithinDays?: number;
  /** Already expired before `today`. */
  expired?: boolean;
  /** 1-based. */
  page?: number;
  pageSize?: number;
  /** `YYYY-MM-DD` in Vietnam; defaults to the current Vietnam date. */
  today?: string;
}

export interface LicencePage {
  rows: Licence[];
  total: number;
  page: number;
  pageSize: number;
}
