/**
 * `npm run kb -- import|export` as an official runs it, on a fresh embedded database: a file with one
 * bad row is refused whole with the line and reason; a good file is imported; export reads it back.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { proceduresToCsv } from '../../src/procedures';
import { testKnowledgeBase, testProcedure } from '../support/fixtures';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

describe('kb command', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-kb-'));
  const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '', SEED_SAMPLE_DATA: 'false', LOG_LEVEL: 'silent' };
  const kb = (...args: string[]) => spawnSync(tsx, ['src/cli/kb.ts', ...args], { cwd: root, env, encoding: 'utf8' });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a file with a bad row, imports a good one, and exports it back', () => {
    const good = path.join(dir, 'good.json');
    fs.writeFileSync(good, JSON.stringify(testKnowledgeBase(), null, 2));
    const bad = path.join(dir, 'bad.csv');
    const csv = proceduresToCsv([testProcedure('thu-a'), testProcedure('thu-b', { level: 'xa' })]).replace(',xa,', ',quoc-gia,');
    fs.writeFileSync(bad, csv);

    const refused = kb('import', bad);
    expect(refused.status).toBe(1);
    const summary = JSON.parse(refused.stdout);
    expect(summary).toMatchObject({ imported: 0, updated: 0 });
    expect(summary.rejected).toEqual([
      { line: 2, reason: expect.stringMatching(/^level:/) },
      { line: expect.any(Number), reason: expect.stringMatching(/where\.officeSlug: no office/) },
    ]);

    const dry = kb('import', good, '--dry-run');
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ imported: 2, rejected: [] });
    expect(JSON.parse(kb('export').stdout).procedures).toEqual([]);

    const ok = kb('import', good);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ imported: 2, updated: 0, offices: 1, rejected: [] });

    const out = path.join(dir, 'out.csv');
    expect(kb('export', out).status).toBe(0);
    const again = kb('import', out);
    expect(JSON.parse(again.stdout)).toEqual({ imported: 0, updated: 2, offices: 0, rejected: [] });
  }, 120_000);

  it('explains its usage', () => {
    const r = kb('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('usage: npm run kb -- import');
  });
});
