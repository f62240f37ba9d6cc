/**
 * The pieces a date/time expression is built from, and the regex helpers the recognisers share
 * (./recognizers.ts for days, clock times and parts of the day; ./spans.ts for "3 ngày nữa",
 * "tuần sau", "cuối tuần").
 */
import { foldVietnamese } from '../vietnamese/fold';
import type { LocalDate, LocalTime } from './local-date';
import type { Period } from './lexicon';

export type PartValue =
  | {
      readonly kind: 'day';
      readonly date: LocalDate;
      /**
       * Set for a bare weekday ("thứ 2"), whose date is only our guess of which one: a nearby
       * explicit day falling on that weekday ("thứ 2 hôm nay", "thứ 6 ngày 4/12") overrides it.
       */
      readonly weekday?: number;
    }
  | { readonly kind: 'time'; readonly time: LocalTime }
  | { readonly kind: 'period'; readonly period: Period; readonly date?: LocalDate };

/** A recognised piece, with its span in the folded text. */
export interface Part {
  readonly value: PartValue;
  readonly start: number;
  readonly end: number;
  /** Lexicon words it was built from (with diacritics), for the diacritics check. */
  readonly forms: readonly string[];
  /** True for words that are usually something else when typed without diacritics. */
  readonly weakIfBare: boolean;
}

/** What a recogniser knows about "now". */
export interface Today {
  readonly date: LocalDate;
}

export interface Recognizer {
  readonly pattern: RegExp;
  readonly forms: readonly string[];
  readonly weakIfBare?: boolean;
  resolve(m: RegExpExecArray, today: Today, folded: string): PartValue | null;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A folded lexicon form as a regex source: spaces match any run of spaces. */
export const src = (form: string): string => escape(foldVietnamese(form)).replace(/ /g, '\\s+');
/** Alternation of forms, longest first so "tuần sau nữa" wins over "tuần sau". */
export const alt = (forms: readonly string[]): string =>
  [...forms].sort((a, b) => b.length - a.length).map(src).join('|');
export const word = (body: string): RegExp =>
  new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'gu');

/**
 * Lunar-calendar markers after a day ("mùng 3 tết", "15/8 âm lịch", "rằm tháng giêng"): we do
 * not convert lunar dates, and reading them as solar ones would book the wrong day.
 */
const LUNAR_AFTER = /^\s*(?:tet|am\s+lich|\(?al\)?|thang\s+(?:gieng|chap))(?![\p{L}\p{N}])/u;
export const lunarFollows = (folded: string, end: number): boolean => LUNAR_AFTER.test(folded.slice(end));
