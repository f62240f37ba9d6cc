/**
 * Checks the NLU training data in `intents/` (one `<intent>.json` per intent, DESIGN.md §4.4).
 * INTENTS_DIR may point the checks at another folder (used to prove they fail on bad data).
 */
import fs from 'node:fs';
import path from 'node:path';

/** DESIGN.md §4.4 (contract): each of these must have a training file. More may be added. */
const REQUIRED_INTENTS = [
  'greeting',
  'thanks',
  'goodbye',
  'none',
  'procedure.documents',
  'procedure.fee',
  'procedure.duration',
  'procedure.where',
  'procedure.online',
  'procedure.steps',
  'procedure.list',
  'appraisal.book',
  'appraisal.reschedule',
  'appraisal.cancel',
  'appraisal.status',
  'licence.expiry',
  'reminder.subscribe',
  'reminder.unsubscribe',
  'office.hours',
  'feedback.rate',
  'handoff.human',
];

const MIN_UTTERANCES = 40;
const MIN_WITHOUT_DIACRITICS = 0.3;

const INTENTS_DIR = process.env.INTENTS_DIR ?? path.join(__dirname, '..', '..', 'intents');

/** Lower-case, NFC, strip Vietnamese diacritics (đ -> d), collapse whitespace. */
function fold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFC')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/\s+/g, ' ')
    .trim();
}

function hasDiacritics(text: string): boolean {
  return /[\u0300-\u036f]/.test(text.normalize('NFD')) || /[đĐ]/.test(text);
}

interface IntentFile {
  file: string;
  name: string;
  data: unknown;
}

function loadFiles(): IntentFile[] {
  return fs
    .readdirSync(INTENTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      name: file.slice(0, -'.json'.length),
      data: JSON.parse(fs.readFileSync(path.join(INTENTS_DIR, file), 'utf8')) as unknown,
    }));
}

function utterancesOf(data: unknown): string[] {
  const u = (data as { utterances?: unknown }).utterances;
  return Array.isArray(u) ? u.filter((x): x is string => typeof x === 'string') : [];
}

const files = loadFiles();

describe('intents/ training data', () => {
  it('has a file for every intent of DESIGN.md §4.4', () => {
    const names = new Set(files.map((f) => f.name));
    expect(REQUIRED_INTENTS.filter((i) => !names.has(i))).toEqual([]);
  });

  describe.each(files.map((f) => [f.file, f] as const))('%s', (_file, { name, data }) => {
    it('has the format {intent, description, utterances}', () => {
      expect(data).toEqual({
        intent: expect.any(String),
        description: expect.any(String),
        utterances: expect.any(Array),
      });
      const d = data as { intent: string; description: string; utterances: unknown[] };
      expect(d.intent).toBe(name);
      expect(d.description.trim().length).toBeGreaterThan(10);
      expect(d.utterances.filter((u) => typeof u !== 'string' || u.trim() === '')).toEqual([]);
    });

    it(`has at least ${MIN_UTTERANCES} utterances`, () => {
      expect(utterancesOf(data).length).toBeGreaterThanOrEqual(MIN_UTTERANCES);
    });

    it('stores utterances NFC-normalized and trimmed', () => {
      const bad = utterancesOf(data).filter((u) => u !== u.normalize('NFC') || u !== u.trim());
      expect(bad).toEqual([]);
    });

    it('has no duplicate utterances (after folding)', () => {
      const seen = new Map<string, string>();
      const dups: string[] = [];
      for (const u of utterancesOf(data)) {
        const key = fold(u);
        const first = seen.get(key);
        if (first !== undefined) dups.push(`${JSON.stringify(u)} = ${JSON.stringify(first)}`);
        else seen.set(key, u);
      }
      expect(dups).toEqual([]);
    });

    it(`has at least ${MIN_WITHOUT_DIACRITICS * 100}% utterances without diacritics`, () => {
      const all = utterancesOf(data);
      const plain = all.filter((u) => !hasDiacritics(u)).length;
      expect(plain / Math.max(all.length, 1)).toBeGreaterThanOrEqual(MIN_WITHOUT_DIACRITICS);
    });
  });

  it('has no utterance in two intents (after folding)', () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const { name, data } of files) {
      for (const u of new Set(utterancesOf(data).map(fold))) {
        const other = owner.get(u);
        if (other !== undefined && other !== name) clashes.push(`${JSON.stringify(u)}: ${other} / ${name}`);
        else owner.set(u, name);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('folds diacritics, case and spaces the way the checks assume', () => {
    expect(fold('  Đăng  KÝ kết hôn ')).toBe('dang ky ket hon');
    expect(fold('Hủy lịch')).toBe(fold('huỷ lịch'));
    expect(hasDiacritics('dang ky ket hon')).toBe(false);
    expect(hasDiacritics('đk')).toBe(true);
    expect(hasDiacritics('thứ 7')).toBe(true);
  });
});
