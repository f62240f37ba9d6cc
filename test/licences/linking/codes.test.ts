import { codeInText, codeMatches, generateCode, hashCode } from '../../../src/licences/linking/codes';

describe('one-time link codes', () => {
  it('are six digits, leading zeros kept, and vary', () => {
    const codes = Array.from({ length: 200 }, generateCode);
    for (const c of codes) expect(c).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });

  it('are stored as a salted hash that matches only the code', () => {
    const a = hashCode('004217');
    const b = hashCode('004217');
    expect(a).not.toContain('004217');
    expect(a).not.toBe(b); // per-code salt: equal codes give different hashes
    expect(codeMatches('004217', a)).toBe(true);
    expect(codeMatches('004218', a)).toBe(false);
    expect(codeMatches('004217', 'sha256$salt$nothex')).toBe(false);
    expect(codeMatches('004217', '004217')).toBe(false);
  });

  it('are found in what people type, but not in phone or licence numbers', () => {
    expect(codeInText('004217')).toBe('004217');
    expect(codeInText('mã là 004 217 ạ')).toBe('004217');
    expect(codeInText('0912345678')).toBeUndefined();
    expect(codeInText('123/2024/GCN-BVTV')).toBeUndefined();
    expect(codeInText('111111 hay 222222')).toBeUndefined();
  });
});
