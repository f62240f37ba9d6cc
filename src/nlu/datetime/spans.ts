/**
 * Expressions that name a stretch of time rather than one day — "3 ngày nữa", "2 tuần nữa",
 * "tuần sau", "cuối tuần này", "đầu tháng sau" — resolved to one anchor day, because the contract
 * has no ranges and the conversation needs a day to start from (it proposes slots from there).
 * Anchors: a week is its Monday ("tuần sau" = next Monday), "giữa tuần" its Wednesday,
 * "cuối tuần" its Saturday; a month its 1st, "giữa tháng" its 15th, "cuối tháng" its last day.
 * With an explicit "này" the anchor is taken as said even if past ("đầu tháng này" on the 23rd is
 * the 1st); with no qualifier ("cuối tuần", "đầu tháng") a past anchor rolls to the next week or
 * month, and an anchor inside the current weekend is today. "tuần này"/"tháng này" alone and
 * "trong tuần" (on weekdays) name no day and are left alone.
 */
import { addDays, compareDates, isoWeekday, type LocalDate } from './local-date';
import { NUMBER_SRC, NUMBER_WORD_FORMS, NUMBER_WORDS_SRC, numberValue } from './numbers';
import { word, type PartValue, type Recognizer } from './parts';

type Edge = 'dau' | 'giua' | 'cuoi';
type Unit = 'tuan' | 'thang';

/** Weeks or months from the current one, by the folded qualifier. */
const QUALIFIER_STEPS: Readonly<Record<string, number>> = { nay: 0, sau: 1, toi: 1, 'sau nua': 2 };
const QUALIFIER_FORMS = ['này', 'sau', 'tới', 'nữa'];

const mondayOf = (date: LocalDate): LocalDate => addDays(date, 1 - isoWeekday(date));

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function monthAnchor(today: LocalDate, steps: number, edge: Edge | undefined): LocalDate {
  const index = today.month - 1 + steps;
  const year = today.year + Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = edge === 'cuoi' ? lastDayOfMonth(year, month) : edge === 'giua' ? 15 : 1;
  return { year, month, day };
}

function weekAnchor(today: LocalDate, steps: number, edge: Edge | undefined): LocalDate {
  const offset = edge === 'cuoi' ? 5 : edge === 'giua' ? 2 : 0;
  return addDays(mondayOf(today), 7 * steps + offset);
}

function anchor(today: LocalDate, unit: Unit, edge: Edge | undefined, qualifier: string | undefined): LocalDate | null {
  const at = unit === 'tuan' ? weekAnchor : monthAnchor;
  if (qualifier !== undefined) {
    const steps = QUALIFIER_STEPS[qualifier.replace(/\s+/g, ' ')];
    return steps === undefined ? null : at(today, steps, edge);
  }
  const first = at(today, 0, edge);
  if (compareDates(first, today) >= 0) return first;
  // Sunday is still "cuối tuần": the weekend has begun, so it is today, not next Saturday.
  if (unit === 'tuan' && edge === 'cuoi' && isoWeekday(today) === 7) return today;
  return at(today, 1, edge);
}

const day = (date: LocalDate | null): PartValue | null => date && { kind: 'day', date };

export const SPAN_RECOGNIZERS: readonly Recognizer[] = [
  {
    // "3 ngày nữa", "ba ngày nữa", "2 tuần nữa", "10 ngày sau" — not "3 ngày sau khi nộp"
    // (after an event, not after today)
    pattern: word(`(${NUMBER_SRC})\\s+(ngay|tuan)\\s+(?:nua|sau(?!\\s+(?:khi|ke\\s+tu|tinh\\s+tu)(?![\\p{L}\\p{N}])))`),
    forms: [...NUMBER_WORD_FORMS, 'ngày', 'tuần', 'nữa', 'sau'],
    resolve: (m, today) => {
      const n = numberValue(m[1] ?? '');
      if (n === undefined || n === 0) return null;
      return day(addDays(today.date, m[2] === 'tuan' ? 7 * n : n));
    },
  },
  {
    // "đầu tháng sau", "cuối tuần này", "giữa tháng", "cuối tuần"
    pattern: word(`(dau|giua|cuoi)\\s+(tuan|thang)(?:\\s+(nay|sau\\s+nua|sau|toi))?`),
    forms: ['đầu', 'giữa', 'cuối', 'tuần', 'tháng', ...QUALIFIER_FORMS],
    resolve: (m, today) => day(anchor(today.date, m[2] as Unit, m[1] as Edge, m[3])),
  },
  {
    // "tuần sau", "tháng tới" — but "3 tháng tới" is a duration ("within the next 3 months")
    pattern: new RegExp(`(?<![\\p{L}\\p{N}]|(?:\\d|${NUMBER_WORDS_SRC})\\s*)(tuan|thang)\\s+(sau\\s+nua|sau|toi)(?![\\p{L}\\p{N}])`, 'gu'),
    forms: ['tuần', 'tháng', ...QUALIFIER_FORMS],
    resolve: (m, today) => day(anchor(today.date, m[1] as Unit, undefined, m[2])),
  },
];
