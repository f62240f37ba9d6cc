import fs from 'node:fs';
import path from 'node:path';
import { leafKeys, loadLocaleTree, loadTranslator } from '../../src/i18n';

const root = path.resolve(__dirname, '../..');
const read = (f: string) => loadLocaleTree(path.join(root, 'locales'), f === 'vi.json' ? 'vi' : 'en');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('locales', () => {
  it('vi and en have the same keys', () => {
    expect(leafKeys(read('en.json')).sort()).toEqual(leafKeys(read('vi.json')).sort());
  });

  it('has every key the code asks for with a literal key', () => {
    const i18n = loadTranslator(path.join(root, 'locales'));
    const used = new Set<string>();
    for (const file of sourceFiles(path.join(root, 'src'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/i18n\.(?:t|list|section)\('([\w.-]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(20);
    const missing = [...used].filter((k) => !i18n.has(k) || !i18n.has(k, 'en'));
    expect(missing).toEqual([]);
  });

  it('fills placeholders and refuses a missing one', () => {
    const i18n = loadTranslator(path.join(root, 'locales'));
    expect(i18n.t('feedback.askComment', { n: 4 })).toContain('4/5');
    expect(() => i18n.t('feedback.askComment')).toThrow(/missing parameter "n"/);
    expect(() => i18n.t('no.such.key')).toThrow(/no string/);
  });

  it('Vietnamese strings are NFC', () => {
    const text = JSON.stringify(read('vi.json'));
    expect(text).toBe(text.normalize('NFC'));
  });
});
