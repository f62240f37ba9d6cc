/**
 * `npm run --silent nlu -- parse [--now ISO]` (DESIGN.md §4.3): one JSON line per input line, same
 * order, exactly the contract fields, nothing else on stdout. Runs the real command (tsx), which
 * trains into or loads from data/nlu-cache like it does in use.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// Importing the CLI module does not run it: main() runs only when it is the entry point.
import { loadProcedureRefs } from '../../src/cli/nlu';
import { loadConfig } from '../../src/config';
import { migrateDatabase, openDatabase } from '../../src/db';
import { createLogger } from '../../src/logger';
import { parseNow } from '../../src/nlu';
import { ProcedureRepository } from '../../src/procedures';
import { testKnowledgeBase } from '../support/fixtures';

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(ROOT, 'src', 'cli', 'nlu.ts');

/** Each run on a database of its own, never the developer's `data/`. */
const DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-nlu-cli-'));
afterAll(() => fs.rmSync(DATA_DIR, { recursive: true, force: true }));

function run(args: string[], input: string): { status: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, DATA_DIR, DATABASE_URL: '', LOG_LEVEL: 'warn' };
  const r = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, input, env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('nlu parse CLI', () => {
  it('answers every line, in order, with exactly the contract fields', () => {
    const input = [
      'lệ phí đăng ký kết hôn bao nhiêu',
      '',
      'dat lich tham dinh mai 9h sang, sdt 0912 345 678',
      'hello ad',
      '   ',
      'dk thuong tru mat bao lau',
    ];
    const { status, stdout, stderr } = run(['parse', '--now', '2026-11-23T10:00:00+07:00'], `${input.join('\n')}\n`);
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe(''); // newline-terminated, nothing after
    expect(lines).toHaveLength(input.length);
    const out = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const o of out) expect(Object.keys(o)).toEqual(['text', 'intent', 'score', 'procedure', 'entities']);
    expect(out.map((o) => o.text)).toEqual(input);
    expect(out[0]).toMatchObject({ intent: 'procedure.fee', procedure: 'ket-hon', entities: [] });
    expect(out[1]).toEqual({ text: '', intent: 'none', score: 1, procedure: null, entities: [] });
    expect(out[2]).toMatchObject({
      intent: 'appraisal.book',
      entities: [
        { type: 'datetime', value: '2026-11-24T09:00', text: 'mai 9h sang' },
        { type: 'phone', value: '0912345678', text: '0912 345 678' },
      ],
    });
    expect(out[3]).toMatchObject({ intent: 'greeting', procedure: null });
    expect(out[5]).toMatchObject({ intent: 'procedure.duration', procedure: 'thuong-tru' });
    for (const o of out) {
      expect(typeof o.score).toBe('number');
      expect(o.score as number).toBeGreaterThanOrEqual(0);
      expect(o.score as number).toBeLessThanOrEqual(1);
    }
  });

  it('answers a last line that has no newline', () => {
    const { status, stdout } = run(['parse', '--now', '2026-11-23T10:00:00+07:00'], 'mai\nthứ 3');
    expect(status).toBe(0);
    const out = stdout.trim().split('\n').map((l) => JSON.parse(l) as { entities: { value: string }[] });
    expect(out.map((o) => o.entities.map((e) => e.value))).toEqual([['2026-11-24'], ['2026-11-24']]);
  });

  it.each([[[]], [['parse', '--now']], [['parse', '--now', 'tomorrow']], [['train']]])(
    'rejects bad arguments %j with usage on stderr and nothing on stdout',
    (args) => {
      const { status, stdout, stderr } = run(args, 'xin chào\n');
      expect(status).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/usage: nlu parse/);
    },
  );
});

describe('parseNow', () => {
  it.each([
    ['2026-11-23T10:00:00+07:00', '2026-11-23T03:00:00.000Z'],
    ['2026-11-23T03:00:00Z', '2026-11-23T03:00:00.000Z'],
    ['2026-11-23T10:00:00', '2026-11-23T03:00:00.000Z'], // no offset: Vietnam time
    ['2026-11-23T10:00', '2026-11-23T03:00:00.000Z'],
    ['2026-11-23', '2026-11-22T17:00:00.000Z'], // midnight in Vietnam
  ])('%s -> %s', (iso, utc) => {
    expect(parseNow(iso)?.toISOString()).toBe(utc);
  });

  it.each(['tomorrow', '2026-13-45T10:00:00Z', '23/11/2026', ''])('rejects %j', (iso) => {
    expect(parseNow(iso)).toBeNull();
  });
});

describe('loadProcedureRefs', () => {
  const logger = createLogger('silent');
  const configFor = (dir: string) => loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
  const SEED_SLUGS = [
    'attp', 'buon-ban-thuoc-bvtv', 'cap-phep-xay-dung', 'chung-thuc-ban-sao', 'ho-kinh-doanh', 'ket-hon',
    'khai-sinh', 'khai-tu', 'ly-lich-tu-phap', 'thuong-tru', 'tro-cap-xa-hoi', 'xac-nhan-khuyet-tat',
  ];

  it('uses the sample knowledge base (DESIGN.md §4.5) while the database is empty', async () => {
    const refs = await loadProcedureRefs(configFor(fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-refs-'))), logger);
    expect(refs.map((r) => r.slug).sort()).toEqual(SEED_SLUGS);
    for (const r of refs) expect(Object.keys(r)).toEqual(['slug', 'name', 'aliases', 'content']);
    expect(refs.find((r) => r.slug === 'ho-kinh-doanh')?.aliases).toContain('đkkd');
  });

  it('reads the active procedures of the database, and the sample while a service holds it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-refs-'));
    const config = configFor(dir);
    const database = await openDatabase(config);
    await migrateDatabase(database);
    await new ProcedureRepository(database.db).upsert(testKnowledgeBase());
    await database.close();
    expect((await loadProcedureRefs(config, logger)).map((r) => r.slug)).toEqual(['thu-a', 'thu-b']);
    // A live process (our parent) holds the embedded database: fall back rather than corrupt it.
    fs.writeFileSync(path.join(dir, 'pglite.pid'), String(process.ppid));
    expect((await loadProcedureRefs(config, logger)).map((r) => r.slug).sort()).toEqual(SEED_SLUGS);
  });
});
