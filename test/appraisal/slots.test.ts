/** Slot generation is pure: every rule on a table of cases (times in Vietnam, UTC+7). */
import { generateSlots, openSlots, type BusyRange, type SlotAppraiser, type SlotQuery } from '../../src/appraisal/slots';

const MON_FRI = [1, 2, 3, 4, 5];
const officeHours = [
  { days: MON_FRI, start: '07:30', end: '11:30' },
  { days: MON_FRI, start: '13:30', end: '17:00' },
];
const vn = (local: string) => new Date(`${local}:00+07:00`);
/** Vietnam wall-clock times of the slots, "YYYY-MM-DD HH:mm@appraiser". */
const show = (q: SlotQuery) =>
  generateSlots(q).map((s) => {
    const l = new Date(s.start.getTime() + 7 * 3_600_000).toISOString();
    return `${l.slice(0, 10)} ${l.slice(11, 16)}@${s.appraiserId}`;
  });

const minh: SlotAppraiser = { id: 'A', workingHours: officeHours, dailyCapacity: 10, daysOff: new Set() };
const lan: SlotAppraiser = {
  id: 'B',
  workingHours: [...officeHours, { days: [6], start: '07:30', end: '11:30' }],
  dailyCapacity: 10,
  daysOff: new Set(),
};
const busy = (appraiserId: string, start: string, end: string): BusyRange => ({ appraiserId, start: vn(start), blockedUntil: vn(end) });

function query(overrides: Partial<SlotQuery>): SlotQuery {
  return {
    days: ['2026-11-23'], // a Monday
    sessionMinutes: 45,
    bufferMinutes: 15,
    appraisers: [minh],
    holidays: new Set(),
    busy: [],
    notBefore: vn('2026-11-20T08:00'),
    ...overrides,
  };
}

const MONDAY_GRID = ['07:30', '08:30', '09:30', '10:30', '13:30', '14:30', '15:30'].map((t) => `2026-11-23 ${t}@A`);

describe('generateSlots', () => {
  const cases: [string, Partial<SlotQuery>, string[]][] = [
    ['cuts each working period into session + buffer steps; the last session must end in the period', {}, MONDAY_GRID],
    [
      'a shorter session with a longer buffer gives another grid',
      { sessionMinutes: 40, bufferMinutes: 20 },
      MONDAY_GRID,
    ],
    [
      'no buffer: 45-minute steps; 10:30 ends 11:15 (fits), 16:30 would end 17:15 (does not)',
      { bufferMinutes: 0 },
      ['07:30', '08:15', '09:00', '09:45', '10:30', '13:30', '14:15', '15:00', '15:45'].map((t) => `2026-11-23 ${t}@A`),
    ],
    ['Sunday: nobody works', { days: ['2026-11-29'] }, []],
    ['Saturday: only the appraiser with Saturday mornings', { days: ['2026-11-28'], appraisers: [minh, lan] }, ['07:30', '08:30', '09:30', '10:30'].map((t) => `2026-11-28 ${t}@B`)],
    ['a public holiday closes every appraiser', { holidays: new Set(['2026-11-23']), appraisers: [minh, lan] }, []],
    [
      'personal leave closes only that appraiser',
      { appraisers: [{ ...minh, daysOff: new Set(['2026-11-23']) }, { ...lan, workingHours: [{ days: MON_FRI, start: '07:30', end: '09:00' }] }] },
      ['2026-11-23 07:30@B'],
    ],
    [
      'minimum notice: nothing before notBefore (now 08:40 + 2 hours = 10:40)',
      { notBefore: vn('2026-11-23T10:40') },
      ['13:30', '14:30', '15:30'].map((t) => `2026-11-23 ${t}@A`),
    ],
    ['a slot starting exactly at notBefore is offered', { notBefore: vn('2026-11-23T15:30') }, ['2026-11-23 15:30@A']],
    ['the past is never offered', { notBefore: vn('2026-11-24T00:00') }, []],
    [
      'an existing session removes the slots it overlaps, buffer included',
      { busy: [busy('A', '2026-11-23T08:30', '2026-11-23T09:30')] },
      MONDAY_GRID.filter((s) => !s.includes('08:30')),
    ],
    [
      'an off-grid session (another type) blocks every slot whose range touches it',
      { busy: [busy('A', '2026-11-23T09:00', '2026-11-23T10:00')] },
      MONDAY_GRID.filter((s) => !s.includes('08:30') && !s.includes('09:30')),
    ],
    [
      "ranges are half-open: a session whose buffer ends at 09:30 leaves 09:30 free",
      { busy: [busy('A', '2026-11-23T08:45', '2026-11-23T09:30')] },
      MONDAY_GRID.filter((s) => !s.includes('08:30')),
    ],
    [
      "another appraiser's session does not block this one",
      { busy: [busy('B', '2026-11-23T07:30', '2026-11-23T17:00')] },
      MONDAY_GRID,
    ],
    [
      'daily capacity reached: no more slots that day',
      {
        appraisers: [{ ...minh, dailyCapacity: 2 }],
        busy: [busy('A', '2026-11-23T07:30', '2026-11-23T08:30'), busy('A', '2026-11-23T13:30', '2026-11-23T14:30')],
        days: ['2026-11-23', '2026-11-24'],
      },
      MONDAY_GRID.map((s) => s.replace('2026-11-23', '2026-11-24')),
    ],
    [
      'capacity counts Vietnam days: a 07:30 session (00:30 UTC) counts for its own day',
      { appraisers: [{ ...minh, dailyCapacity: 1 }], busy: [busy('A', '2026-11-24T07:30', '2026-11-24T08:30')], days: ['2026-11-23', '2026-11-24'] },
      MONDAY_GRID,
    ],
    [
      'several days, several appraisers: earliest first, then by appraiser',
      { days: ['2026-11-23'], appraisers: [lan, minh], notBefore: vn('2026-11-23T15:00') },
      ['2026-11-23 15:30@A', '2026-11-23 15:30@B'],
    ],
  ];

  it.each(cases)('%s', (_name, overrides, expected) => {
    expect(show(query(overrides))).toEqual(expected);
  });

  it('gives UTC instants: 07:30 in Vietnam is 00:30Z, sessions end after sessionMinutes', () => {
    const [first] = generateSlots(query({}));
    expect(first?.start.toISOString()).toBe('2026-11-23T00:30:00.000Z');
    expect(first?.end.toISOString()).toBe('2026-11-23T01:15:00.000Z');
  });

  it('openSlots ignores bookings and capacity (the time exists), generateSlots does not', () => {
    const q = query({ busy: [busy('A', '2026-11-23T07:30', '2026-11-23T17:00')] });
    expect(openSlots(q)).toHaveLength(7);
    expect(generateSlots(q)).toHaveLength(0);
  });
});
