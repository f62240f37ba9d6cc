/**
 * Checks the sample knowledge base `data/seed/knowledge-base.json` (DESIGN.md §4.5) against the
 * schema in `src/procedures/model.ts` and the rules the schema cannot express: the contract slugs,
 * office references, sample marking, and aliases that must not point at two procedures.
 * KB_SEED_FILE may point the checks at another file (used to prove they fail on bad data).
 */
import fs from 'node:fs';
import path from 'node:path';
import { knowledgeBaseFileSchema, type KnowledgeBaseFile } from '../../src/procedures/model';

/** DESIGN.md §4.5 (contract): these slugs must exist. More may be added. */
const REQUIRED_SLUGS = [
  'khai-sinh',
  'ket-hon',
  'khai-tu',
  'chung-thuc-ban-sao',
  'ly-lich-tu-phap',
  'ho-kinh-doanh',
  'buon-ban-thuoc-bvtv',
  'attp',
  'xac-nhan-khuyet-tat',
  'tro-cap-xa-hoi',
  'thuong-tru',
  'cap-phep-xay-dung',
];

const SEED_FILE =
  process.env.KB_SEED_FILE ?? path.join(__dirname, '..', '..', 'data', 'seed', 'knowledge-base.json');

/** Lower-case, strip Vietnamese diacritics (NFD, drop combining marks, đ -> d), collapse spaces. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every string anywhere in a JSON value, with a path for messages. */
function allStrings(value: unknown, at = '$'): Array<{ at: string; text: string }> {
  if (typeof value === 'string') return [{ at, text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => allStrings(v, `${at}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => allStrings(v, `${at}.${k}`));
  }
  return [];
}

const rawBytes = fs.readFileSync(SEED_FILE);
const rawText = rawBytes.toString('utf8');
const json: unknown = JSON.parse(rawText);
const parsed = knowledgeBaseFileSchema.safeParse(json);
const kb: KnowledgeBaseFile = parsed.success
  ? parsed.data
  : { sample: false, offices: [], procedures: [] };

describe('data/seed/knowledge-base.json', () => {
  it('is valid UTF-8 and every string is NFC-normalized', () => {
    expect(Buffer.from(rawText, 'utf8').equals(rawBytes)).toBe(true);
    const notNfc = allStrings(json)
      .filter((s) => s.text !== s.text.normalize('NFC'))
      .map((s) => s.at);
    expect(notNfc).toEqual([]);
  });

  it('matches knowledgeBaseFileSchema', () => {
    const issues = parsed.success ? [] : parsed.error.issues;
    expect(issues).toEqual([]);
  });

  it('is marked as sample data at the top level', () => {
    expect(kb.sample).toBe(true);
  });

  it('has every contract slug of DESIGN.md §4.5, each once', () => {
    const slugs = kb.procedures.map((p) => p.slug);
    expect(REQUIRED_SLUGS.filter((s) => !slugs.includes(s))).toEqual([]);
    expect(slugs.filter((s, i) => slugs.indexOf(s) !== i)).toEqual([]);
  });

  it('has 3 to 4 offices with unique slugs, each marked as sample', () => {
    expect(kb.offices.length).toBeGreaterThanOrEqual(3);
    expect(kb.offices.length).toBeLessThanOrEqual(4);
    const slugs = kb.offices.map((o) => o.slug);
    expect(slugs.filter((s, i) => slugs.indexOf(s) !== i)).toEqual([]);
    const unmarked = kb.offices
      .filter((o) => !fold(`${o.name} ${o.note ?? ''}`).includes('du lieu mau'))
      .map((o) => o.slug);
    expect(unmarked).toEqual([]);
  });

  it("names an office of the file in every procedure's where.officeSlug", () => {
    const offices = new Set(kb.offices.map((o) => o.slug));
    const dangling = kb.procedures
      .filter((p) => !offices.has(p.where.officeSlug))
      .map((p) => `${p.slug} -> ${p.where.officeSlug}`);
    expect(dangling).toEqual([]);
  });

  it('marks every procedure as an active sample', () => {
    expect(kb.procedures.filter((p) => p.isSample !== true).map((p) => p.slug)).toEqual([]);
    expect(kb.procedures.filter((p) => p.status !== 'active').map((p) => p.slug)).toEqual([]);
  });

  it('gives each procedure 6–12 aliases and 4–6 steps', () => {
    const off = kb.procedures
      .filter((p) => p.aliases.length < 6 || p.aliases.length > 12 || p.steps.length < 4 || p.steps.length > 6)
      .map((p) => `${p.slug}: ${p.aliases.length} aliases, ${p.steps.length} steps`);
    expect(off).toEqual([]);
  });

  it('never lets one alias point at two procedures (case- and diacritic-insensitive)', () => {
    const owners = new Map<string, Set<string>>();
    for (const p of kb.procedures) {
      for (const alias of p.aliases) {
        const key = fold(alias);
        owners.set(key, (owners.get(key) ?? new Set()).add(p.slug));
      }
    }
    const shared = [...owners]
      .filter(([, slugs]) => slugs.size > 1)
      .map(([alias, slugs]) => `"${alias}": ${[...slugs].join(', ')}`);
    expect(shared).toEqual([]);
  });

  it('has no alias repeated within one procedure (case- and diacritic-insensitive)', () => {
    const repeats = kb.procedures.flatMap((p) => {
      const keys = p.aliases.map(fold);
      return keys.filter((k, i) => keys.indexOf(k) !== i).map((k) => `${p.slug}: "${k}"`);
    });
    expect(repeats).toEqual([]);
  });
});
