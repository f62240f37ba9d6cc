/** The calendar file format (RFC 5545): time zone, escaping, folding, cancellation. */
import { escapeText, foldLine, renderIcs, type IcsEvent } from '../../src/appraisal/ics';
import { vn } from './support';

const event = (overrides: Partial<IcsEvent> = {}): IcsEvent => ({
  uid: 'appraisal-1@motcua.example.gov.vn',
  stamp: new Date('2026-11-20T01:02:03.456Z'),
  start: vn('2026-11-23T09:00'),
  end: vn('2026-11-23T09:45'),
  summary: 'Thẩm định từ xa: Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật (TĐ-7K3M9Q)',
  description: 'Cơ sở: Đại lý Minh Phát; địa chỉ: thôn 2, xã Hòa An\nMang theo giấy tờ',
  location: 'Gọi video trực tuyến',
  cancelled: false,
  sequence: 0,
  ...overrides,
});

describe('renderIcs', () => {
  it('writes a 09:00 Vietnam session as 02:00 UTC, with every required property', () => {
    const ics = renderIcs(event());
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded.split('\r\n')).toEqual([
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//Tro ly Mot cua//Tham dinh tu xa//VI',
      'CALSCALE:GREGORIAN',
      'METHOD:PUBLISH',
      'BEGIN:VEVENT',
      'UID:appraisal-1@motcua.example.gov.vn',
      'DTSTAMP:20261120T010203Z',
      'DTSTART:20261123T020000Z',
      'DTEND:20261123T024500Z',
      'SEQUENCE:0',
      'SUMMARY:Thẩm định từ xa: Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật (TĐ-7K3M9Q)',
      'DESCRIPTION:Cơ sở: Đại lý Minh Phát\\; địa chỉ: thôn 2\\, xã Hòa An\\nMang theo giấy tờ',
      'LOCATION:Gọi video trực tuyến',
      'STATUS:CONFIRMED',
      'TRANSP:OPAQUE',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'DESCRIPTION:Thẩm định từ xa: Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật (TĐ-7K3M9Q)',
      'TRIGGER:-PT1H',
      'END:VALARM',
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ]);
  });

  it('folds long lines at 75 octets without splitting a UTF-8 character', () => {
    const ics = renderIcs(event());
    const lines = ics.split('\r\n');
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    const long = 'DESCRIPTION:' + 'đ'.repeat(100);
    const folded = foldLine(long);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    expect(folded).not.toContain('\uFFFD');
  });

  it('escapes TEXT values', () => {
    expect(escapeText('a\\b;c,d\r\ne\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('publishes a cancelled booking as STATUS:CANCELLED with a higher sequence and no alarm', () => {
    const ics = renderIcs(event({ cancelled: true, sequence: 1 }));
    expect(ics).toContain('\r\nSTATUS:CANCELLED\r\n');
    expect(ics).toContain('\r\nSEQUENCE:1\r\n');
    expect(ics).not.toContain('VALARM');
  });
});
