/** Date/time entities, resolved against a fixed "now": Monday 2026-11-23 10:00 in Vietnam. */
import { extractDatetimes } from '../../src/nlu';
import { addDays, formatDate, isoWeekday, isValidDate, vietnamNow } from '../../src/nlu/datetime/local-date';

const NOW = new Date('2026-11-23T10:00:00+07:00'); // a Monday

/** [message, expected value, expected text] — one entity expected. */
const CASES: readonly (readonly [string, string, string])[] = [
  ['mai', '2026-11-24', 'mai'],
  ['ngày mai em qua', '2026-11-24', 'ngày mai'],
  ['ngay mai', '2026-11-24', 'ngay mai'],
  ['hôm nay có làm việc không', '2026-11-23', 'hôm nay'],
  ['hom nay', '2026-11-23', 'hom nay'],
  ['ngày kia', '2026-11-25', 'ngày kia'],
  ['để mốt em lên', '2026-11-25', 'mốt'],
  ['hẹn mot 9h', '2026-11-25T09:00', 'mot 9h'],
  ['thứ 2', '2026-11-30', 'thứ 2'], // today is Monday: the next Monday
  ['thứ 3', '2026-11-24', 'thứ 3'],
  ['t4 nhé', '2026-11-25', 't4'],
  ['thu 5', '2026-11-26', 'thu 5'],
  ['thứ sáu', '2026-11-27', 'thứ sáu'],
  ['t7', '2026-11-28', 't7'],
  ['chủ nhật', '2026-11-29', 'chủ nhật'],
  ['cn có mở cửa ko', '2026-11-29', 'cn'],
  ['thứ 3 tuần sau', '2026-12-01', 'thứ 3 tuần sau'],
  ['tuần tới vào thứ 5', '2026-12-03', 'tuần tới vào thứ 5'],
  ['thu 2 tuan toi', '2026-11-30', 'thu 2 tuan toi'],
  ['thứ 4 tuần này', '2026-11-25', 'thứ 4 tuần này'],
  ['15/12', '2026-12-15', '15/12'],
  ['ngày 15/12/2026', '2026-12-15', 'ngày 15/12/2026'],
  ['20/11', '2027-11-20', '20/11'], // already past this year
  ['23/11', '2026-11-23', '23/11'], // today is not past
  ['ngày 3 tháng 1', '2027-01-03', 'ngày 3 tháng 1'],
  ['ngay 3 thang 1', '2027-01-03', 'ngay 3 thang 1'],
  ['mùng 5 tháng 12 năm 2026', '2026-12-05', 'mùng 5 tháng 12 năm 2026'],
  ['ngày 15', '2026-12-15', 'ngày 15'], // the 15th of November has passed
  ['ngày 31', '2026-12-31', 'ngày 31'], // November has no 31st
  ['9h', '2026-11-24T09:00', '9h'], // 09:00 today has passed
  ['14h30', '2026-11-23T14:30', '14h30'],
  ['lúc 11 giờ', '2026-11-23T11:00', '11 giờ'],
  ['9h sáng', '2026-11-24T09:00', '9h sáng'],
  ['2 giờ chiều', '2026-11-23T14:00', '2 giờ chiều'],
  ['7h tối', '2026-11-23T19:00', '7h tối'],
  ['mai 9h sáng', '2026-11-24T09:00', 'mai 9h sáng'],
  ['mai 9h sang', '2026-11-24T09:00', 'mai 9h sang'],
  ['sáng mai lúc 8h30', '2026-11-24T08:30', 'sáng mai lúc 8h30'],
  ['2h chiều mai', '2026-11-24T14:00', '2h chiều mai'],
  ['chieu thu 6 2h', '2026-11-27T14:00', 'chieu thu 6 2h'],
  ['thứ 2 ngày 30/11 lúc 9h30', '2026-11-30T09:30', 'thứ 2 ngày 30/11 lúc 9h30'],
  ['thứ hai tuần sau lúc 10h', '2026-11-30T10:00', 'thứ hai tuần sau lúc 10h'],
  ['9h 15/12', '2026-12-15T09:00', '9h 15/12'],
  ['mai lúc 9:30', '2026-11-24T09:30', 'mai lúc 9:30'],
  ['9 giờ rưỡi sáng mai', '2026-11-24T09:30', '9 giờ rưỡi sáng mai'],
  ['9 giờ kém 15', '2026-11-24T08:45', '9 giờ kém 15'],
  ['12h đêm', '2026-11-24T00:00', '12h đêm'],
  ['tối nay', '2026-11-23', 'tối nay'],
  ['hôm qua em đã nộp', '2026-11-22', 'hôm qua'],
  ['mai 8h toi', '2026-11-24T20:00', 'mai 8h toi'],
  // Issue 5 list, with and without diacritics
  ['ngay kia', '2026-11-25', 'ngay kia'],
  ['mốt', '2026-11-25', 'mốt'],
  ['thứ 6 tuần sau', '2026-12-04', 'thứ 6 tuần sau'],
  ['thu 6 tuan sau', '2026-12-04', 'thu 6 tuan sau'],
  ['t6', '2026-11-27', 't6'],
  ['thứ sáu này', '2026-11-27', 'thứ sáu này'],
  ['thu sau nay', '2026-11-27', 'thu sau nay'],
  ['thứ 2 này', '2026-11-23', 'thứ 2 này'], // "này" includes today
  ['chủ nhật này', '2026-11-29', 'chủ nhật này'],
  ['chu nhat nay', '2026-11-29', 'chu nhat nay'],
  ['cn tuần sau', '2026-12-06', 'cn tuần sau'],
  ['cn tuan sau', '2026-12-06', 'cn tuan sau'],
  ['15-12', '2026-12-15', '15-12'],
  ['1/1/2027', '2027-01-01', '1/1/2027'],
  ['9h sáng thứ bảy', '2026-11-28T09:00', '9h sáng thứ bảy'],
  ['9h sang thu bay', '2026-11-28T09:00', '9h sang thu bay'],
  ['2 giờ chiều mai', '2026-11-24T14:00', '2 giờ chiều mai'],
  ['2 gio chieu mai', '2026-11-24T14:00', '2 gio chieu mai'],
  ['14:30', '2026-11-23T14:30', '14:30'],
  ['2h30 chiều', '2026-11-23T14:30', '2h30 chiều'],
  ['2h30 chieu', '2026-11-23T14:30', '2h30 chieu'],
  ['10 giờ rưỡi', '2026-11-23T10:30', '10 giờ rưỡi'],
  ['10 gio ruoi', '2026-11-23T10:30', '10 gio ruoi'],
  ['tối nay 7h', '2026-11-23T19:00', 'tối nay 7h'],
  ['toi nay 7h', '2026-11-23T19:00', 'toi nay 7h'],
  ['sáng mai', '2026-11-24', 'sáng mai'], // a part of the day alone is a day
  ['chiều thứ 5', '2026-11-26', 'chiều thứ 5'],
  ['chieu thu 5', '2026-11-26', 'chieu thu 5'],
  ['12 giờ trưa', '2026-11-23T12:00', '12 giờ trưa'],
  ['thứ 2 hôm nay', '2026-11-23', 'thứ 2 hôm nay'], // "hôm nay" says which Monday
  ['thứ 6 ngày 4/12', '2026-12-04', 'thứ 6 ngày 4/12'],
  // Numbers in words
  ['mười giờ sáng mai', '2026-11-24T10:00', 'mười giờ sáng mai'],
  ['muoi gio sang mai', '2026-11-24T10:00', 'muoi gio sang mai'],
  ['hai giờ chiều', '2026-11-23T14:00', 'hai giờ chiều'],
  ['ba giờ rưỡi chiều nay', '2026-11-23T15:30', 'ba giờ rưỡi chiều nay'],
  ['mười một giờ', '2026-11-23T11:00', 'mười một giờ'],
  // Stretches resolve to an anchor day (see src/nlu/datetime/spans.ts)
  ['3 ngày nữa', '2026-11-26', '3 ngày nữa'],
  ['3 ngay nua', '2026-11-26', '3 ngay nua'],
  ['ba ngày nữa', '2026-11-26', 'ba ngày nữa'],
  ['mười lăm ngày nữa', '2026-12-08', 'mười lăm ngày nữa'],
  ['2 tuần nữa', '2026-12-07', '2 tuần nữa'],
  ['tuần sau', '2026-11-30', 'tuần sau'], // next Monday
  ['tuan toi', '2026-11-30', 'tuan toi'],
  ['cuối tuần này', '2026-11-28', 'cuối tuần này'],
  ['cuoi tuan', '2026-11-28', 'cuoi tuan'],
  ['đầu tháng sau', '2026-12-01', 'đầu tháng sau'],
  ['dau thang sau', '2026-12-01', 'dau thang sau'],
  ['cuối tháng', '2026-11-30', 'cuối tháng'],
  ['giữa tháng sau', '2026-12-15', 'giữa tháng sau'],
  ['đầu tháng', '2026-12-01', 'đầu tháng'], // the 1st has passed: next month's
  ['tháng sau', '2026-12-01', 'tháng sau'],
  ['sáng thứ 2 tuần sau lúc 8h', '2026-11-30T08:00', 'sáng thứ 2 tuần sau lúc 8h'],
];

describe('extractDatetimes', () => {
  it.each(CASES)('%j -> %s', (message, value, text) => {
    expect(extractDatetimes(message, NOW)).toEqual([{ type: 'datetime', value, text }]);
  });

  it.each([
    'cho tôi một lịch hẹn', // "một" (one) is not "mốt"
    'mãi mãi', // "mãi" is not "mai"
    'mất 2h', // a duration
    'trong vòng 24h',
    'khoảng 2-3 ngày', // a range of days, not 2 March
    'lệ phí 2.5 triệu',
    'hết 15 ngày làm việc',
    '0912345678',
    'tháng 12', // a month is not a day
    '29/2', // no 29 February this year or next
    '31/11/2026',
    '25h',
    'trong tuần', // on weekdays: not a day
    'trong tuan co lam khong',
    'mùng 3 tết', // lunar: not converted, so not misread as 3 December
    'rằm 15/8 âm lịch',
    '31/2',
    '3 bản',
    'số 15',
    'hai bản sao',
    '50.000 đồng',
    'lệ phí 10-15 nghìn',
    'mất ba giờ', // a duration
    'tuần này', // the current week names no day
    'trong 3 tháng tới',
    '3 ngày sau khi nộp', // after an event, not after today
  ])('finds nothing in %j', (message) => {
    expect(extractDatetimes(message, NOW)).toEqual([]);
  });

  it('does not take "tôi" (I) or "đem" (bring) for a part of the day', () => {
    expect(extractDatetimes('9h tôi đến', NOW)).toEqual([{ type: 'datetime', value: '2026-11-24T09:00', text: '9h' }]);
    expect(extractDatetimes('9h toi den nop', NOW)).toEqual([{ type: 'datetime', value: '2026-11-24T09:00', text: '9h' }]);
    expect(extractDatetimes('10h dem ho so len', NOW)).toEqual([{ type: 'datetime', value: '2026-11-24T10:00', text: '10h' }]);
  });

  it('does not take "sang" (over, to) for "sáng" (morning)', () => {
    expect(extractDatetimes('doi sang thu 3', NOW)).toEqual([{ type: 'datetime', value: '2026-11-24', text: 'thu 3' }]);
    expect(extractDatetimes('chuyen sang 2h chieu', NOW)).toEqual([
      { type: 'datetime', value: '2026-11-23T14:00', text: '2h chieu' },
    ]);
  });

  it('finds several expressions in text order', () => {
    expect(extractDatetimes('đổi từ thứ 3 sang 15/12 lúc 14h', NOW)).toEqual([
      { type: 'datetime', value: '2026-11-24', text: 'thứ 3' },
      { type: 'datetime', value: '2026-12-15T14:00', text: '15/12 lúc 14h' },
    ]);
  });

  it('resolves against Vietnam time, not UTC', () => {
    // 2026-11-23T18:30Z is already Tuesday 24th, 01:30 in Vietnam.
    const lateUtc = new Date('2026-11-23T18:30:00Z');
    expect(extractDatetimes('mai', lateUtc)).toEqual([{ type: 'datetime', value: '2026-11-25', text: 'mai' }]);
    expect(extractDatetimes('hôm nay 9h', lateUtc)[0]?.value).toBe('2026-11-24T09:00');
  });

  it('reports the text as typed, decomposed (NFD) input included', () => {
    const typed = 'Chiều mai 3 giờ'.normalize('NFD');
    expect(extractDatetimes(typed, NOW)).toEqual([{ type: 'datetime', value: '2026-11-24T15:00', text: typed }]);
  });
});

describe('extractDatetimes at other moments', () => {
  const LATE = new Date('2026-11-23T22:30:00+07:00'); // Monday, late evening
  const YEAR_END = new Date('2026-12-30T10:00:00+07:00'); // Wednesday, end of the year

  it.each([
    [LATE, '9h', '2026-11-24T09:00'],
    [LATE, 'tối nay', '2026-11-23'],
    [LATE, '12h đêm', '2026-11-24T00:00'],
    [LATE, 'mai 7h tối', '2026-11-24T19:00'],
    [LATE, '23h', '2026-11-23T23:00'],
    [YEAR_END, '15/1', '2027-01-15'],
    [YEAR_END, '1/1', '2027-01-01'],
    [YEAR_END, '25/12', '2027-12-25'],
    [YEAR_END, 'ngày 3 tháng 1', '2027-01-03'],
    [YEAR_END, 'thứ 6 tuần sau', '2027-01-08'],
    [YEAR_END, 'mốt', '2027-01-01'],
    [YEAR_END, '3 ngày nữa', '2027-01-02'],
    [YEAR_END, 'đầu tháng sau', '2027-01-01'],
    [YEAR_END, 'cuối tuần', '2027-01-02'],
    [YEAR_END, 'ngày 31', '2026-12-31'],
  ] as const)('at %s: %j -> %s', (now, message, value) => {
    expect(extractDatetimes(message, now).map((e) => e.value)).toEqual([value]);
  });

  it('takes Sunday itself as "cuối tuần"', () => {
    const sunday = new Date('2026-11-29T09:00:00+07:00');
    expect(extractDatetimes('cuối tuần', sunday).map((e) => e.value)).toEqual(['2026-11-29']);
  });
});

describe('local-date', () => {
  it('knows Vietnam dates, weekdays and the calendar', () => {
    expect(vietnamNow(NOW)).toEqual({ date: { year: 2026, month: 11, day: 23 }, time: { hour: 10, minute: 0 } });
    expect(isoWeekday({ year: 2026, month: 11, day: 23 })).toBe(1);
    expect(isoWeekday({ year: 2026, month: 11, day: 29 })).toBe(7);
    expect(formatDate(addDays({ year: 2026, month: 12, day: 31 }, 1))).toBe('2027-01-01');
    expect(isValidDate(2028, 2, 29)).toBe(true);
    expect(isValidDate(2026, 2, 29)).toBe(false);
  });
});
