/**
 * `npm run --silent reminders -- run --now <ISO-8601>` as the acceptance checks drive it (DESIGN.md
 * §4.3b): a child process against the configured database and the fake Zalo platform. A tick at
 * 23:00 plans and queues but sends nothing; the 06:00 tick delivers (CS and the ZNS template with the
 * contract's parameters); running a tick again sends nothing twice.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openPglite, type Database } from '../../src/db';
import { startFakeZalo, type FakeZalo } from '../fakes/zalo';
import { openTestDatabase, testDriverKinds } from '../support/db';
import { TEMPLATE_ENV } from '../support/db-env';
import { addLicence, linkIdentity } from '../licences/reminders/support';

const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without blocking this process (the fake platform answers from it). */
function reminders(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(tsx, ['src/cli/reminders.ts', ...args], { cwd: root, env, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** A database the child process can open: the PostgreSQL test database, or PGlite in a data dir. */
async function openForChild(kind: 'pglite' | 'postgres', dataDir: string): Promise<{ database: Database; env: Record<string, string>; drop(): Promise<void> }> {
  if (kind === 'postgres') {
    const test = await openTestDatabase('postgres');
    return { database: test.database, env: { DATABASE_URL: test.url ?? '' }, drop: () => test.drop() };
  }
  const dump = fs.readFileSync(process.env[TEMPLATE_ENV.pgliteDump] ?? '');
  const database = await openPglite(path.join(dataDir, 'pglite'), new Blob([dump]));
  return { database, env: { DATABASE_URL: '' }, drop: () => database.close() };
}

describe.each(testDriverKinds())('reminders command [%s]', (kind) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-reminders-'));
  let fake: FakeZalo;
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('plans at 23:00, delivers at 06:00 through the channel policy, and never twice', async () => {
    fake = await startFakeZalo({ appId: 'app-1', appSecret: 'app-secret', initialAccessToken: 'at-1', initialRefreshToken: 'rt-1' });
    let target = await openForChild(kind, dataDir);
    const db = target.database.db;
    const chat = await addLicence(db, { expiresOn: '2026-12-08' });
    await linkIdentity(db, chat.id, { channel: 'zalo', userId: 'zalo-cli', lastInboundAt: new Date('2026-11-30T10:00:00+07:00') });
    const phone = await addLicence(db, { expiresOn: '2026-12-31', phone: '0912345678', holderName: 'Hộ kinh doanh Trần Thị Bích', number: '45/2025/GCN-BVTV' });
    const nobody = await addLicence(db, { expiresOn: '2026-12-02' });
    if (kind === 'pglite') await target.database.close(); // PGlite allows one process: hand it to the CLI
    const env = {
      ...process.env,
      ...target.env,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      SEED_SAMPLE_DATA: 'false',
      ZALO_APP_ID: 'app-1',
      ZALO_APP_SECRET: 'app-secret',
      ZALO_ACCESS_TOKEN: 'at-1',
      ZALO_REFRESH_TOKEN: 'rt-1',
      ZALO_API_BASE_URL: fake.baseUrl,
      ZALO_OAUTH_BASE_URL: fake.baseUrl,
      ZALO_ZNS_BASE_URL: fake.baseUrl,
      ZNS_TEMPLATE_LICENCE_EXPIRY: 'tpl-42',
      REMINDER_LADDER_DAYS: '30,7,1,-1',
    };
    try {
      const night = await reminders(env, 'run', '--now', '2026-12-01T23:00:00+07:00');
      expect(night.stderr).toBe('');
      expect(night.code).toBe(0);
      // chat: 7 days (30 skipped); phone: 30 days; nobody: 1 day, no channel (7 and 30 skipped).
      expect(JSON.parse(night.stdout)).toMatchObject({ today: '2026-12-01', planned: 6, queued: 2, noChannel: 1, skipped: 3, sent: 0, failed: 0, waiting: 2 });
      expect(fake.received).toHaveLength(0);

      const morning = await reminders(env, 'run', '--now', '2026-12-02T06:00');
      expect(morning.code).toBe(0);
      // The next day: nobody's -1 step is not due until 12-03; nothing new for the others.
      expect(JSON.parse(morning.stdout)).toMatchObject({ today: '2026-12-02', planned: 0, sent: 2, waiting: 0 });
      const cs = fake.received.filter((r) => r.kind === 'cs');
      expect(cs.map((r) => r.body.recipient.user_id)).toEqual(['zalo-cli']);
      expect(cs[0]?.body.message.text).toContain('còn 7 ngày');
      const zns = fake.received.filter((r) => r.kind === 'zns');
      expect(zns.map((r) => [r.body.phone, r.body.template_id, r.body.template_data])).toEqual([
        [
          '84912345678',
          'tpl-42',
          { customer_name: 'Hộ kinh doanh Trần Thị Bích', licence_number: '45/2025/GCN-BVTV', licence_type: 'buon-ban-thuoc-bvtv', expiry_date: '31/12/2026', days_left: '30' },
        ],
      ]);

      const again = await reminders(env, 'run', '--now', '2026-12-02T06:30');
      expect(JSON.parse(again.stdout)).toMatchObject({ planned: 0, sent: 0 });
      expect(fake.received).toHaveLength(2);

      if (kind === 'pglite') {
        const reopened = await openPglite(path.join(dataDir, 'pglite'));
        target = { ...target, database: reopened, drop: () => reopened.close() };
      }
      const rows = await target.database.query<{ status: string; step: number }>('select status, step from licence_reminders where licence_id = $1 order by step desc', [nobody.id]);
      expect(rows).toEqual([
        { status: 'skipped', step: 30 },
        { status: 'skipped', step: 7 },
        { status: 'no_channel', step: 1 },
      ]);
    } finally {
      await target.drop();
      await fake.close();
    }
  }, 180_000);

  it('explains its usage and refuses a bad --now', async () => {
    const env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' };
    const usage = await reminders(env, 'frobnicate');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run --silent reminders -- run');
    const bad = await reminders(env, 'run', '--now', '31/12/2026');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not an ISO-8601');
  });
});
