/** The pure parts of analytics: periods in Vietnam days, CSV cells, grouping keys, file layout. */
import { parseRange, vietnamDay, daysOf } from '../../../src/admin/analytics/range';
import { neutralise, toCsv } from '../../../src/admin/analytics/csv';
import { restoreCell } from '../../../src/spreadsheet-safety';
import { groupingKey, groupTexts } from '../../../src/admin/analytics/unanswered';
import { formatLike } from '../../../src/admin/analytics/training';

describe('analytics periods', () => {
  const now = new Date('2026-03-19T17:30:00Z'); // 00:30 on 20/03 in Vietnam

  it('takes today from the Vietnam calendar', () => {
    expect(vietnamDay(now)).toBe('2026-03-20');
    const r = parseRange({}, now);
    expect(r.ok && [r.range.from, r.range.to]).toEqual(['2026-02-19', '2026-03-20']);
  });

  it('turns days into UTC instants at Vietnam midnight', () => {
    const r = parseRange({ from: '2026-03-01', to: '2026-03-01', channel: 'zalo' }, now);
    expect(r.ok && [r.range.start.toISOString(), r.range.end.toISOString(), r.range.channel]).toEqual([
      '2026-02-28T17:00:00.000Z',
      '2026-03-01T17:00:00.000Z',
      'zalo',
    ]);
    expect(daysOf({ from: '2026-02-27', to: '2026-03-02' })).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
  });

  it('names what is wrong', () => {
    const problem = (q: object) => {
      const r = parseRange(q, now);
      return r.ok ? 'ok' : r.error;
    };
    expect(problem({ from: '2026-02-29', to: '2026-03-01' })).toBe('badDate'); // 2026 is not a leap year
    expect(problem({ from: '2028-02-29', to: '2028-03-01' })).toBe('ok');
    expect(problem({ from: ['2026-03-01'], to: '2026-03-02' })).toBe('badDate');
    expect(problem({ from: '2026-03-02', to: '2026-03-01' })).toBe('fromAfterTo');
    expect(problem({ from: '2025-01-01', to: '2026-01-01' })).toBe('ok'); // 366 days
    expect(problem({ from: '2025-01-01', to: '2026-01-02' })).toBe('tooLong');
    expect(problem({ from: '2026-03-01', to: '2026-03-02', channel: 'ZALO' })).toBe('badChannel');
    expect(problem({ from: 'garbage' })).toBe('badDate');
  });
});

describe('analytics CSV', () => {
  it('neutralises every formula start, and only text', () => {
    expect(['=1+1', '+1', '-2', '@x', '\tx', '\rx', 'ok', "'ok"].map(neutralise)).toEqual(["'=1+1", "'+1", "'-2", "'@x", "'\tx", "'\rx", 'ok', "''ok"]);
    // A text that already began with a quote gets one more, so the import can restore it unchanged.
    expect(["'=1", "'ok", '=1', 'ok'].map((t) => restoreCell(neutralise(t)))).toEqual(["'=1", "'ok", '=1', 'ok']);
    expect(toCsv(['a', 'b'], [[-1, '-1'], ['x,"y"', null]])).toBe('\uFEFFa,b\r\n-1,\'-1\r\n"x,""y""",\r\n');
  });
});

describe('grouping not-understood texts', () => {
  it('folds diacritics, case, spacing and punctuation', () => {
    expect(groupingKey('Làm  GIẤY khai sinh?')).toBe('lam giay khai sinh');
    expect(groupingKey('làm giấy khai sinh'.normalize('NFD'))).toBe('lam giay khai sinh');
    expect(groupingKey('???')).toBe('???');
  });

  it('shows the most frequent spelling, preferring diacritics on a tie', () => {
    const at = (d: number) => new Date(Date.UTC(2026, 2, d));
    const [g] = groupTexts([
      { text: 'lam giay khai sinh', count: 2, lastSeen: at(5) },
      { text: 'làm giấy khai sinh', count: 2, lastSeen: at(1) },
    ]);
    expect(g).toEqual({ key: 'lam giay khai sinh', text: 'làm giấy khai sinh', count: 4, lastSeen: at(5), variants: 2 });
  });
});

describe('intent file layout', () => {
  it('keeps indentation, line ends and the final newline', () => {
    const v = { intent: 'x', utterances: ['a', 'b'] };
    expect(formatLike('{\n    "intent": "x"\n}', v)).toBe('{\n    "intent": "x",\n    "utterances": [\n        "a",\n        "b"\n    ]\n}');
    expect(formatLike('{\r\n  "intent": "x"\r\n}\r\n', v)).toBe('{\r\n  "intent": "x",\r\n  "utterances": [\r\n    "a",\r\n    "b"\r\n  ]\r\n}\r\n');
  });
});
