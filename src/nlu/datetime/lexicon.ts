/**
 * The words of Vietnamese date and time expressions, as data. Forms are written with diacritics;
 * the recognisers fold them, so they match with or without diacritics — but when a word IS typed
 * with diacritics they must be these ones ("mai" is tomorrow, "mãi" is forever).
 * A later issue deepens the parser with a library; new expressions should land here first.
 */

/** Days relative to today. */
export const RELATIVE_DAYS: readonly { readonly form: string; readonly offset: number }[] = [
  { form: 'hôm nay', offset: 0 },
  { form: 'bữa nay', offset: 0 },
  { form: 'ngày mai', offset: 1 },
  { form: 'mai', offset: 1 },
  { form: 'ngày kia', offset: 2 },
  { form: 'ngày mốt', offset: 2 },
  { form: 'hôm qua', offset: -1 },
  // In the north "hôm kia" is the day before yesterday (while "ngày kia" is after tomorrow).
  { form: 'hôm kia', offset: -2 },
];

/**
 * Relative-day words that, typed without diacritics, are other everyday words: "mot" is far more
 * often "một" (one) than "mốt". Bare, they count only at the end of a sentence or right before
 * another part of a date ("hẹn mot 9h").
 */
export const WEAK_RELATIVE_DAYS: readonly { readonly form: string; readonly offset: number }[] = [
  { form: 'mốt', offset: 2 },
];

/** Weekday names -> ISO weekday (1 = Monday). "Thứ hai" is Monday: Sunday is day one. */
export const WEEKDAY_NAMES: readonly { readonly form: string; readonly weekday: number }[] = [
  { form: 'thứ hai', weekday: 1 },
  { form: 'thứ ba', weekday: 2 },
  { form: 'thứ tư', weekday: 3 },
  { form: 'thứ năm', weekday: 4 },
  { form: 'thứ sáu', weekday: 5 },
  { form: 'thứ bảy', weekday: 6 },
  { form: 'chủ nhật', weekday: 7 },
  // "cn" is the usual chat spelling of Sunday ("t7 cn có làm ko").
  { form: 'cn', weekday: 7 },
];

/** "thứ 2" … "thứ 7", "t2" … "t7": the digit is the weekday's number, Monday being 2. */
export const WEEKDAY_DIGIT_OFFSET = 1;

/** Week qualifiers of a weekday, in weeks from the current (Monday-based) week. */
export const WEEK_QUALIFIERS: readonly { readonly form: string; readonly weeks: number }[] = [
  { form: 'tuần này', weeks: 0 },
  { form: 'tuần sau nữa', weeks: 2 },
  { form: 'tuần sau', weeks: 1 },
  { form: 'tuần tới', weeks: 1 },
];

/** Parts of the day and how they turn a 12-hour clock reading into 0..23 (and maybe the next day). */
export interface Period {
  readonly form: string;
  /** Hour as said (0..23) -> hour of the day, plus 1 in `nextDay` for "12 giờ đêm". */
  readonly adjust: (hour: number) => { hour: number; nextDay: number };
  /**
   * Typed without diacritics the word is often something else ("toi" = tôi "I", "dem" = đem
   * "bring", "sang" = "over"): then it counts only right after a clock time ("9h toi").
   */
  readonly weakWithoutDiacritics?: boolean;
}

const same = (hour: number) => ({ hour, nextDay: 0 });
const pm = (from: number, to: number) => (hour: number) => ({
  hour: hour >= from && hour <= to ? hour + 12 : hour,
  nextDay: 0,
});

export const PERIODS: readonly Period[] = [
  // "12 giờ sáng" is rare and means noon as often as midnight: left as said. Bare "sang" is also
  // "to, over" ("chuyển sang thứ 3").
  { form: 'sáng', adjust: same, weakWithoutDiacritics: true },
  // "1 giờ trưa" is 13:00; "11 giờ trưa", "12 giờ trưa" stay.
  { form: 'trưa', adjust: pm(1, 4) },
  { form: 'chiều', adjust: pm(1, 11) },
  { form: 'tối', adjust: pm(1, 11), weakWithoutDiacritics: true },
  {
    form: 'đêm',
    // "10 giờ đêm" is 22:00, "2 giờ đêm" is 02:00, "12 giờ đêm" is midnight, i.e. 00:00 next day.
    adjust: (hour) => (hour === 12 ? { hour: 0, nextDay: 1 } : pm(7, 11)(hour)),
    weakWithoutDiacritics: true,
  },
];

/** Words for "o'clock": "9h", "9 giờ", "9g". */
export const HOUR_WORDS: readonly string[] = ['giờ', 'h', 'g'];
/** Words for minutes: "30 phút", "30p". */
export const MINUTE_WORDS: readonly string[] = ['phút', 'p'];
/** "9 giờ rưỡi" = 9:30. */
export const HALF_PAST = 'rưỡi';
/** "9 giờ kém 15" = 8:45. */
export const MINUS = 'kém';
/** Day and month words: "ngày 3 tháng 1", "mùng 3" (the first ten days of a month). */
export const DAY_WORDS: readonly string[] = ['ngày', 'mùng', 'mồng'];
export const MONTH_WORDS: readonly string[] = ['tháng', 'thg'];
export const YEAR_WORD = 'năm';

/**
 * Words that may stand between the parts of one expression: "mai LÚC 9h", "thứ 2 VÀO LÚC 14h",
 * "sáng mai KHOẢNG 9h", "mai (em) ĐẾN 9h".
 */
export const FILLER_WORDS: readonly string[] = ['lúc', 'vào', 'khoảng', 'tầm', 'buổi', 'hôm', 'đến'];

/**
 * Words before a number of hours that make it a duration, not a time of day: "mất 2h",
 * "trong 24h", "hết 3 tiếng".
 */
export const DURATION_WORDS: readonly string[] = ['mất', 'trong', 'trong vòng', 'hết', 'tốn', 'chờ', 'đợi'];
