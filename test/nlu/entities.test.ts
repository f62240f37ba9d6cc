/** All entities together: licence numbers, phones and dates must not be taken for each other. */
import { locateAllEntities, locateEntities, locateLicenceNumbers, toEntity } from '../../src/nlu/entities';

const NOW = new Date('2026-11-23T10:00:00+07:00');
const all = (text: string): [string, string][] => locateAllEntities(text, NOW).map((e) => [e.type, e.value]);

describe('licence numbers', () => {
  it.each([
    ['GP số 123/2024/GCN-BVTV hết hạn khi nào', '123/2024/GCN-BVTV', '123/2024/GCN-BVTV'],
    ['giấy phép số 45/GP-UBND', '45/GP-UBND', '45/GP-UBND'],
    ['giay phep so 45/gp-ubnd con han ko', '45/GP-UBND', '45/gp-ubnd'],
    ['số 45 / GP - UBND', '45/GP-UBND', '45 / GP - UBND'],
    ['số 0012345', '0012345', '0012345'],
    ['so: 0012345', '0012345', '0012345'],
    ['giấy phép số 15/2024', '15/2024', '15/2024'],
    ['quyết định 12/QĐ-UBND', '12/QĐ-UBND', '12/QĐ-UBND'],
  ])('%j -> %s', (message, value, text) => {
    expect(locateLicenceNumbers(message).map(toEntity)).toEqual([{ type: 'licence_number', value, text }]);
  });

  it.each([
    'số 15', // a house number, not a licence
    'lệ phí 30.000/bản',
    '50k/ngày',
    '15/12',
    'ngày 15/12/2026',
    'số 0912345678', // a phone
    'cccd 001234567890',
    'mã hồ sơ 000.00.23.H12-221123-0001',
  ])('finds none in %j', (message) => {
    expect(locateLicenceNumbers(message)).toEqual([]);
  });
});

describe('locateAllEntities', () => {
  it('keeps a licence number, a phone and a date apart', () => {
    expect(all('gp số 12/2020/GCN-ATTP hết hạn 15/12, sđt 0912 345 678')).toEqual([
      ['licence_number', '12/2020/GCN-ATTP'],
      ['datetime', '2026-12-15'],
      ['phone', '0912345678'],
    ]);
  });

  it('reads no date inside a licence number', () => {
    expect(all('giấy phép số 15/12 cấp ngày 3/1/2020')).toEqual([
      ['licence_number', '15/12'],
      ['datetime', '2020-01-03'],
    ]);
  });

  it('reads no date or time inside a phone number', () => {
    expect(all('gọi 0912-345-678 lúc 9h')).toEqual([
      ['phone', '0912345678'],
      ['datetime', '2026-11-24T09:00'],
    ]);
  });

  it('leaves licence numbers out of the placeholder view (no placeholder word for them yet)', () => {
    expect(locateEntities('giấy phép số 45/GP-UBND hết hạn mai', NOW).map((e) => e.type)).toEqual(['datetime']);
  });
});
