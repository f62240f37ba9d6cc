/** Booking codes: short, unambiguous, and found however people type them. */
import { CODE_ALPHABET, newBookingCode, normalizeBookingCode } from '../../src/appraisal/codes';
import { isExclusionViolation, isUniqueViolation } from '../../src/appraisal';

describe('booking codes', () => {
  it('are "TĐ-" and 6 characters without look-alikes', () => {
    expect(CODE_ALPHABET).not.toMatch(/[01OIL]/);
    const codes = new Set(Array.from({ length: 500 }, () => newBookingCode()));
    for (const code of codes) expect(code).toMatch(/^TĐ-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(codes.size).toBeGreaterThan(495);
  });

  it.each([
    ['TĐ-7K3M9Q', 'TĐ-7K3M9Q'],
    ['tđ-7k3m9q', 'TĐ-7K3M9Q'],
    ['TD 7K3M9Q', 'TĐ-7K3M9Q'],
    ['td7k3m9q', 'TĐ-7K3M9Q'],
    [' 7k3m9q ', 'TĐ-7K3M9Q'],
    ['TĐ-7K3M9', null],
    ['TĐ-7K3M0Q', null],
    ['XX-7K3M9Q', null],
    ['', null],
  ])('normalizeBookingCode(%j) = %j', (typed, expected) => {
    expect(normalizeBookingCode(typed)).toBe(expected);
  });

  it('recognises the database refusals through drizzle’s wrapping', () => {
    const wrapped = (code: string) => Object.assign(new Error('Failed query'), { cause: Object.assign(new Error('x'), { code }) });
    expect(isExclusionViolation(wrapped('23P01'))).toBe(true);
    expect(isExclusionViolation(wrapped('23505'))).toBe(false);
    expect(isUniqueViolation(wrapped('23505'))).toBe(true);
    expect(isExclusionViolation(new Error('plain'))).toBe(false);
    expect(isExclusionViolation(undefined)).toBe(false);
  });
});
