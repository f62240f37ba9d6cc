/** Phone entities: typed forms of Vietnamese numbers, normalised to 0… */
import { extractPhones, normalizePhone } from '../../src/nlu';

describe('extractPhones', () => {
  it.each([
    ['0912345678', '0912345678', '0912345678'],
    ['sđt em: 0912 345 678 nhé', '0912345678', '0912 345 678'],
    ['0912.345.678', '0912345678', '0912.345.678'],
    ['0912-345-678', '0912345678', '0912-345-678'],
    ['+84912345678', '0912345678', '+84912345678'],
    ['84 912 345 678', '0912345678', '84 912 345 678'],
    ['+84 0912345678', '0912345678', '+84 0912345678'],
    ['gọi 0387 654 321 giúp em', '0387654321', '0387 654 321'],
    ['(+84) 24 3825 1234', '02438251234', '(+84) 24 3825 1234'], // Hà Nội landline
    ['024 3825 1234', '02438251234', '024 3825 1234'],
    ['0912345678 12', '0912345678', '0912345678'], // a number after it is not part of it
  ])('%j -> %s', (message, value, text) => {
    expect(extractPhones(message)).toEqual([{ type: 'phone', value, text }]);
  });

  it.each([
    'lệ phí 1.500.000 đồng',
    '15.000.000',
    '0123456789', // 01x prefixes were retired in 2018
    '091234567', // too short
    'cccd 001234567890',
    'mã hồ sơ 000.00.23.H12-221123-0001',
    'ngày 15/12/2026',
  ])('finds nothing in %j', (message) => {
    expect(extractPhones(message)).toEqual([]);
  });

  it('finds two numbers in order', () => {
    expect(extractPhones('số 0912345678 hoặc 0987654321').map((e) => e.value)).toEqual(['0912345678', '0987654321']);
  });

  it('normalises or rejects a typed number', () => {
    expect(normalizePhone('+84 912-345-678')).toBe('0912345678');
    expect(normalizePhone('12345')).toBeNull();
  });
});
