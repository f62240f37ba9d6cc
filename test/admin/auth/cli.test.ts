/**
 * `npm run admin -- create|reset-password` on a fresh embedded database: the password comes from
 * stdin (never the arguments), the result is JSON, and the account signs in afterwards.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite } from '../../../src/db';
import { verifyPassword } from '../../../src/admin/auth/passwords';

const root = path.resolve(__dirname, '../../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

describe('admin command', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-admin-cli-'));
  const env = { ...process.env, DATA_DIR: dir, DATABASE_URL: '', SEED_SAMPLE_DATA: 'false', LOG_LEVEL: 'silent' };
  const admin = (args: string[], input: string) =>
    spawnSync(tsx, ['src/cli/admin.ts', ...args], { cwd: root, env, input, encoding: 'utf8' });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates an official with the password from stdin, refuses a duplicate, resets a password', async () => {
    const created = admin(['create', '--email', 'Lan@Mot-Cua.test', '--name', 'Nguyễn Thị Lan', '--role', 'admin'], 'mat-khau-tu-stdin\n');
    expect(created.stderr).toBe('');
    expect(created.status).toBe(0);
    const out = JSON.parse(created.stdout);
    expect(out).toEqual({ created: { id: expect.any(String), email: 'Lan@Mot-Cua.test', name: 'Nguyễn Thị Lan', role: 'admin', active: true } });
    expect(created.stdout).not.toContain('mat-khau-tu-stdin');

    const dup = admin(['create', '--email', 'lan@mot-cua.test', '--name', 'X', '--role', 'viewer'], 'mat-khau-tu-stdin\n');
    expect(dup.status).toBe(1);
    expect(JSON.parse(dup.stdout)).toEqual({ error: 'email already exists', email: 'lan@mot-cua.test' });

    const reset = admin(['reset-password', '--email', 'lan@mot-cua.test'], 'mat-khau-moi-hon\n');
    expect(reset.status).toBe(0);
    expect(JSON.parse(reset.stdout).passwordReset.id).toBe(out.created.id);

    const database = await openPglite(path.join(dir, 'pglite'));
    try {
      const [row] = await database.query<{ password_hash: string; role: string }>('select password_hash, role from officials');
      expect(row?.role).toBe('admin');
      expect(await verifyPassword(row!.password_hash, 'mat-khau-moi-hon')).toBe(true);
      const audit = await database.query<{ action: string }>('select action from audit_log order by id');
      expect(audit.map((a) => a.action)).toEqual(['official.create', 'official.password_reset']);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('explains its usage and refuses a short password or an unknown role before touching the database', () => {
    const usage = admin(['frobnicate'], '');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: npm run --silent admin -- create');
    const short = admin(['create', '--email', 'a@b.vn', '--name', 'A', '--role', 'viewer'], 'ngan\n');
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('at least 10 characters');
    const role = admin(['create', '--email', 'a@b.vn', '--name', 'A', '--role', 'root'], 'mat-khau-du-dai\n');
    expect(role.status).toBe(2);
    expect(role.stderr).toContain('--role must be one of admin, officer, appraiser, viewer');
  });
});
