/**
 * The pieces of the licence import that need no database: dates as offices type them, header
 * matching, and reading CSV files the way Excel writes them.
 */
import { parseDateCell } from '../../src/licences/import/dates';
import { columnOf, mapHeader } from '../../src/licences/import/headers';
import { readCsv } from '../../src/licences/import/sheet';
import { normaliseLicenceNumber } from '../../src/licences';

const date = (cell: Parameters<typeof parseDateCell>[0]) => {
  const r = parseDateCell(cell);
  return r.ok ? r.date : `error:${r.problem.key}`;
};

describe('licence import: dates', () => {
  it('reads day-first dates in the forms offices type them', () => {
    expect(date('31/12/2026')).toBe('2026-12-31');
    expect(date('1/2/2026')).toBe('2026-02-01');
    expect(date(' 05-03-2027 ')).toBe('2027-03-05');
    expect(date('05.03.2027')).toBe('2027-03-05');
    expect(date('2026-12-31')).toBe('2026-12-31');
    expect(date('2026-12-31T00:00:00.000Z')).toBe('2026-12-31');
    expect(date('ngày 31 tháng 12 năm 2026')).toBe('2026-12-31');
    expect(date('29/02/2028')).toBe('2028-02-29');
  });

  it('refuses days that do not exist, unreadable text, two-digit years and month-first dates', () => {
    expect(date('31/02/2026')).toBe('error:invalidDate');
    expect(date('29/02/2027')).toBe('error:invalidDate');
    expect(date('12/31/2026')).toBe('error:invalidDate');
    expect(date('2026-13-01')).toBe('error:invalidDate');
    expect(date('31/12/26')).toBe('error:twoDigitYear');
    expect(date('cuối năm')).toBe('error:unreadableDate');
    expect(date('31/12')).toBe('error:unreadableDate');
  });

  it('reads XLSX date cells and Excel serial numbers', () => {
    expect(date(new Date(Date.UTC(2026, 11, 31)))).toBe('2026-12-31');
    // A writer that stored a hair before midnight still means the day shown.
    expect(date(new Date(Date.UTC(2027, 0, 1) - 1))).toBe('2027-01-01');
    expect(date(new Date(Date.UTC(2026, 11, 31, 15, 30)))).toBe('2026-12-31');
    expect(date(46387)).toBe('2026-12-31');
    expect(date('46387')).toBe('2026-12-31');
    expect(date(46387.75)).toBe('2026-12-31');
    expect(date(12)).toBe('error:unreadableDate');
  });
});

describe('licence import: headers', () => {
  it('matches the contract names case- and diacritic-insensitively, and common variants', () => {
    expect(columnOf('Số giấy phép')).toBe('number');
    expect(columnOf('SO GIAY PHEP')).toBe('number');
    expect(columnOf('So GP')).toBe('number');
    expect(columnOf('Số GCN')).toBe('number');
    expect(columnOf('loai')).toBe('type');
    expect(columnOf('Ten co so')).toBe('holder');
    expect(columnOf('SĐT')).toBe('phone');
    expect(columnOf('Ngày cấp')).toBe('issuedOn');
    expect(columnOf('Ngày hết hạn (dd/mm/yyyy)')).toBe('expiresOn');
    expect(columnOf('Ngày hết hiệu lực')).toBe('expiresOn');
    expect(columnOf('Ghi chú')).toBeUndefined();
  });

  it('maps columns in any order and names what is missing or doubled', () => {
    const ok = mapHeader(['STT', 'Ngày hết hạn', 'Tên cơ sở', 'Ghi chú', 'Loại', 'Số giấy phép']);
    expect(ok).toEqual({ ok: true, columns: { expiresOn: 1, holder: 2, type: 4, number: 5 } });
    expect(mapHeader(['Số giấy phép', 'Tên cơ sở'])).toEqual({
      ok: false,
      problem: { key: 'missingColumns', params: { columns: 'Loại, Ngày hết hạn' } },
    });
    expect(mapHeader(['Số GP', 'Số giấy phép', 'Loại', 'Tên cơ sở', 'Ngày hết hạn'])).toEqual({
      ok: false,
      problem: { key: 'duplicateColumn', params: { column: 'Số giấy phép' } },
    });
  });
});

describe('licence import: CSV files', () => {
  it('reads a UTF-8 BOM, semicolons, quoted fields with separators, quotes and line breaks', () => {
    const text = '\uFEFFSố giấy phép;Tên cơ sở\r\n1/GP;"Quán ""Phở"" 24; chi nhánh"\r\n2/GP;"Dòng một\nDòng hai"\r\n3/GP;Bình thường\r\n';
    expect(readCsv(Buffer.from(text))).toEqual([
      { line: 1, cells: ['Số giấy phép', 'Tên cơ sở'] },
      { line: 2, cells: ['1/GP', 'Quán "Phở" 24; chi nhánh'] },
      { line: 3, cells: ['2/GP', 'Dòng một\nDòng hai'] },
      { line: 5, cells: ['3/GP', 'Bình thường'] },
    ]);
  });

  it('takes commas when the header has more commas, and restores cells our export neutralised', () => {
    const rows = readCsv('Số giấy phép,Tên cơ sở\n1/GP,"\'=Công ty; A"\n');
    expect(rows[1]?.cells).toEqual(['1/GP', '=Công ty; A']);
  });

  it('normalises licence numbers like the NLU does', () => {
    expect(normaliseLicenceNumber(' 45 / gp-ubnd ')).toBe('45/GP-UBND');
    expect(normaliseLicenceNumber('12/qđ-ubnd')).toBe('12/QĐ-UBND');
  });
});
