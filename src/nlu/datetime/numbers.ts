/**
 * Small numbers written in words, as they come up in dates and times: "ba ngày nữa", "mười giờ
 * sáng", "mười lăm ngày nữa", "hai mươi ngày nữa". Only 1..39 — enough for hours, days of the
 * month and "N days from now"; larger amounts in words are money or counts, not dates.
 * Works on folded text; the forms (with diacritics) are exported for the diacritics check.
 */
import { foldVietnamese } from '../vietnamese/fold';

const UNITS: readonly { readonly form: string; readonly value: number }[] = [
  { form: 'một', value: 1 },
  { form: 'hai', value: 2 },
  { form: 'ba', value: 3 },
  { form: 'bốn', value: 4 },
  { form: 'tư', value: 4 }, // "hai mươi tư"
  { form: 'năm', value: 5 },
  { form: 'lăm', value: 5 }, // "mười lăm"
  { form: 'sáu', value: 6 },
  { form: 'bảy', value: 7 },
  { form: 'tám', value: 8 },
  { form: 'chín', value: 9 },
];
const TEN = 'mười';
const TENS = 'mươi';
/** "hai mươi mốt" is 21: "mốt" stands for 1 after a ten. */
const ONE_AFTER_TEN = 'mốt';

/** Forms a number in words may be built from (for the diacritics check). */
export const NUMBER_WORD_FORMS: readonly string[] = [...UNITS.map((u) => u.form), TEN, TENS, ONE_AFTER_TEN];

const fold = (forms: readonly string[]): string => forms.map(foldVietnamese).join('|');
// Folded, "mười" and "mươi" are both "muoi"; "tư"/"từ" both "tu" (the diacritics check sorts typed ones).
const UNIT_ALT = fold(['một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín']);
const AFTER_TEN_ALT = fold(['một', 'mốt', 'hai', 'ba', 'bốn', 'tư', 'năm', 'lăm', 'sáu', 'bảy', 'tám', 'chín']);

/**
 * Regex source (no groups) for a number 1..39 in digits or folded words; the longest spelling
 * first so "muoi lam" is not read as "muoi".
 */
export const NUMBER_WORDS_SRC =
  `(?:hai|ba)\\s+muoi(?:\\s+(?:${AFTER_TEN_ALT}))?|muoi(?:\\s+(?:${AFTER_TEN_ALT}))?|${UNIT_ALT}`;

export const NUMBER_SRC = `\\d{1,2}|${NUMBER_WORDS_SRC}`;

const unitValue = (folded: string): number | undefined =>
  folded === 'mot' ? 1 : UNITS.find((u) => foldVietnamese(u.form) === folded)?.value;

/** The value of a number matched by NUMBER_SRC (digits or folded words); undefined otherwise. */
export function numberValue(text: string): number | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  if (/^\d+$/.test(t)) return Number(t);
  const words = t.split(' ');
  const [first, second, third] = words;
  if (first === undefined) return undefined;
  if (first === 'muoi') return second === undefined ? 10 : addUnit(10, second);
  if (second === 'muoi') {
    const tens = unitValue(first);
    if (tens === undefined) return undefined;
    return third === undefined ? tens * 10 : addUnit(tens * 10, third);
  }
  return words.length === 1 ? unitValue(first) : undefined;
}

const addUnit = (tens: number, word: string): number | undefined => {
  const unit = unitValue(word);
  return unit === undefined ? undefined : tens + unit;
};
