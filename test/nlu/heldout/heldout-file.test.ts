/**
 * The held-out NLU test file (`messages.tsv`, issue 5) is well-formed: a header, 3 tab-separated
 * columns, known intents and knowledge-base slugs, enough rows, every intent represented, about
 * half written without diacritics, no duplicate messages.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INTENTS } from '../../../src/nlu/types';

const FILE = path.join(__dirname, 'messages.tsv');
const KB = path.join(__dirname, '..', '..', '..', 'data', 'seed', 'knowledge-base.json');

const lines = readFileSync(FILE, 'utf8')
  .split('\n')
  .filter((l, i, all) => !(i === all.length - 1 && l === ''));
const [header, ...rows] = lines;
const cells = rows.map((l) => l.split('\t'));
const slugs = new Set(
  (JSON.parse(readFileSync(KB, 'utf8')) as { procedures: { slug: string }[] }).procedures.map((p) => p.slug),
);

/** Lower-case, without diacritics (đ -> d): two messages equal under this are duplicates. */
const fold = (s: string): string =>
  s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/\s+/g, ' ').trim();

describe('test/nlu/heldout/messages.tsv', () => {
  it('has the header and exactly 3 tab-separated, non-blank-text columns per row', () => {
    expect(header).toBe('text\tintent\tprocedure');
    const bad = cells.map((c, i) => ({ line: i + 2, c })).filter(({ c }) => c.length !== 3 || (c[0] ?? '').trim() === '');
    expect(bad).toEqual([]);
  });

  it('has at least 320 messages', () => {
    expect(rows.length).toBeGreaterThanOrEqual(320);
  });

  it('uses only known intents and knowledge-base slugs', () => {
    const known = new Set<string>(INTENTS);
    expect(cells.filter((c) => !known.has(c[1] ?? '')).map((c) => c[1])).toEqual([]);
    expect(cells.filter((c) => (c[2] ?? '') !== '' && !slugs.has(c[2] ?? '')).map((c) => c[2])).toEqual([]);
  });

  it('has every intent at least 8 times and every procedure.* intent at least 25 times (except the list)', () => {
    const count = (intent: string): number => cells.filter((c) => c[1] === intent).length;
    for (const intent of INTENTS) {
      expect({ intent, n: count(intent) >= 8 }).toEqual({ intent, n: true });
      if (intent.startsWith('procedure.') && intent !== 'procedure.list') {
        expect({ intent, n: count(intent) >= 25 }).toEqual({ intent, n: true });
      }
    }
  });

  it('has about 15 % out-of-scope messages', () => {
    const share = cells.filter((c) => c[1] === 'none').length / cells.length;
    expect(share).toBeGreaterThanOrEqual(0.12);
    expect(share).toBeLessThanOrEqual(0.2);
  });

  it('has at least 40 % of messages without diacritics', () => {
    const plain = cells.filter((c) => {
      const text = c[0] ?? '';
      return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd') === text.normalize('NFD');
    });
    expect(plain.length / cells.length).toBeGreaterThanOrEqual(0.4);
  });

  it('has no duplicate messages (ignoring case, spacing and diacritics)', () => {
    const seen = new Map<string, number>();
    const dups: string[] = [];
    cells.forEach((c, i) => {
      const key = fold(c[0] ?? '');
      if (seen.has(key)) dups.push(`line ${i + 2} repeats line ${(seen.get(key) ?? 0) + 2}: ${c[0] ?? ''}`);
      else seen.set(key, i);
    });
    expect(dups).toEqual([]);
  });
});
