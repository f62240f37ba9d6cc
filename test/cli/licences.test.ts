/**
 * `npm run --silent licences -- import <file> [--dry-run]` (DESIGN.md §4.3b, contract) as an
 * acceptance check drives it: the JSON summary on stdout, exit 1 and nothing written when any row
 * is rejected, a dry run that writes nothing, XLSX as well as CSV. On the embedded database and,
 * when TEST_DATABASE_URL is set, on PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openTestDatabase, testDriverKinds } from '../support/db';
import { csv, HEADER, xlsx } from '../licences/support';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

describe.each(testDriverKinds())('licences command [%s]', (kind) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-licences-'));
  let env: NodeJS.ProcessEnv = {};
  let drop = async () => {};
  const run = (script: string, ...args: string[]) => spawnSync(tsx, [script, ...args], { cwd: root, env, encoding: 'utf8' });
  const licences = (...args: string[]) => run('src/cli/licences.ts', ...args);
  const file = (name: string, content: string | Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };
  /** The register's numbers, read back through the export command. */
  const stored = () =>
    licences('export')
      .stdout.split('\n')
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(',')[0]);

  beforeAll(async () => {
    const base = { ...process.env, SEED_SAMPLE_DATA: 'false', LOG_LEVEL: 'silent' };
    if (kind === 'postgres') {
      // The commands connect on their own; this handle only creates the database and drops it after.
      const database = await openTestDatabase('postgres');
      drop = database.drop;
      env = { ...base, DATABASE_URL: database.url, DATA_DIR: dir };
    } else {
      env = { ...base, DATABASE_URL: '', DATA_DIR: dir };
    }
    // The licence types are the knowledge base's procedures.
    const seeded = run('src/cli/kb.ts', 'import', path.join(root, 'data', 'seed', 'knowledge-base.json'));
    if (seeded.status !== 0) throw new Error(`seeding failed: ${seeded.stderr}`);
  }, 120_000);
  afterAll(async () => {
    await drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a file with a bad row (exit 1, nothing written), dry-runs, imports, then updates', () => {
    const bad = file('bad.csv', csv([HEADER, ['1/GP', 'attp', 'A', '0912345678', '01/01/2024', '31/12/2026'], ['2/GP', 'attp', 'B', '', '', '31/02/2027']]));
    const refused = licences('import', bad);
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toEqual({
      imported: 0,
      updated: 0,
      rejected: [{ line: 3, reason: 'Ngày hết hạn "31/02/2027" không có thật trên lịch.' }],
    });

    const good = file('good.csv', csv([HEADER, ['1/GP', 'attp', 'A', '0912345678', '01/01/2024', '31/12/2026'], ['2/GP', 'ho-kinh-doanh', 'B', '', '', '2027-02-28']]));
    const dry = licences('import', good, '--dry-run');
    expect(dry.status).toBe(0);
    // Both numbers still new: the refused file wrote nothing.
    expect(JSON.parse(dry.stdout)).toEqual({ imported: 2, updated: 0, rejected: [] });

    const ok = licences('import', good);
    expect(ok.status).toBe(0);
    // Still both new: the dry run wrote nothing.
    expect(JSON.parse(ok.stdout)).toEqual({ imported: 2, updated: 0, rejected: [] });
    expect(stored().sort()).toEqual(['1/GP', '2/GP']);

    const again = licences('import', good);
    expect(JSON.parse(again.stdout)).toEqual({ imported: 0, updated: 2, rejected: [] });
  }, 120_000);

  it('imports an XLSX register with date cells', async () => {
    const book = file(
      'register.xlsx',
      await xlsx([
        ['So giay phep', 'Loai', 'Ten co so', 'Ngay het han'],
        ['9/2024/GCN-ATTP', 'attp', 'Bếp ăn E', new Date(Date.UTC(2027, 5, 30))],
      ]),
    );
    const ok = licences('import', book);
    expect(ok.stderr).toBe('');
    expect(JSON.parse(ok.stdout)).toEqual({ imported: 1, updated: 0, rejected: [] });
    expect(licences('export').stdout).toContain('9/2024/GCN-ATTP,attp,Bếp ăn E,,,30/06/2027');
  }, 120_000);

  it('explains its usage', () => {
    const r = licences('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: npm run --silent licences -- import');
    const unknownFormat = licences('import', file('register.ods', 'x'));
    expect(unknownFormat.status).toBe(1);
    expect(unknownFormat.stderr).toContain('.csv or .xlsx');
  }, 60_000);
});
