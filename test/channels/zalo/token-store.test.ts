import { eq } from 'drizzle-orm';
import { createZaloTokenStore, REFRESH_MARGIN_MS } from '../../../src/channels/zalo';
import { SendError } from '../../../src/channels/types';
import { openPostgres, tables, type Db } from '../../../src/db';
import { createLogger } from '../../../src/logger';
import { startFakeZalo, type FakeZalo } from '../../fakes/zalo';
import { describeEachDatabase } from '../../support/db';
import { APP_ID, APP_SECRET, OA_ID, zaloConfig } from './helpers';

const logger = createLogger('silent');
const HOUR = 3_600_000;

describeEachDatabase('Zalo token store', (getDb) => {
  let fake: FakeZalo;
  beforeEach(async () => {
    fake = await startFakeZalo({ appId: APP_ID, appSecret: APP_SECRET, initialAccessToken: 'seed-access-token', initialRefreshToken: 'seed-refresh-token' });
  });
  afterEach(() => fake.close());

  const store = (db: Db = getDb().database.db, now?: () => Date) =>
    createZaloTokenStore({ config: zaloConfig(fake.baseUrl), db, logger, now });
  const row = async () => (await getDb().database.db.select().from(tables.zaloTokens).where(eq(tables.zaloTokens.oaId, OA_ID)))[0];

  it('seeds the first pair from configuration, expiry assumed 24 h, and uses it', async () => {
    const t0 = new Date('2026-05-01T02:00:00Z');
    const s = store(undefined, () => t0);
    expect(await s.getAccessToken()).toBe('seed-access-token');
    const r = await row();
    expect(r).toMatchObject({ accessToken: 'seed-access-token', refreshToken: 'seed-refresh-token', refreshExpiresAt: null });
    expect(r?.accessExpiresAt.getTime()).toBe(t0.getTime() + 24 * HOUR);
    expect(fake.refreshCalls).toEqual([]);
  });

  it('refreshes proactively within 10 minutes of expiry and stores the rotated pair first', async () => {
    let now = new Date('2026-05-01T02:00:00Z');
    const s = store(undefined, () => now);
    await s.getAccessToken();
    now = new Date(now.getTime() + 24 * HOUR - REFRESH_MARGIN_MS + 1000);
    const token = await s.getAccessToken();
    expect(token).not.toBe('seed-access-token');
    expect(fake.refreshCalls).toEqual([expect.objectContaining({ refreshToken: 'seed-refresh-token', ok: true })]);
    const r = await row();
    expect(r?.accessToken).toBe(token);
    expect(r?.refreshToken).not.toBe('seed-refresh-token');
    // expires_in "90000" is a string of seconds: 25 h.
    expect(r?.accessExpiresAt.getTime()).toBe(now.getTime() + 90000 * 1000);
    expect(r?.refreshExpiresAt?.getTime()).toBe(now.getTime() + 90 * 24 * HOUR);
    // Used again right after: no second refresh.
    expect(await s.getAccessToken()).toBe(token);
    expect(fake.refreshCalls).toHaveLength(1);
  });

  it('shares one refresh between concurrent callers of one process', async () => {
    const s = store();
    await s.getAccessToken();
    fake.setDelay(100, ['oauth']);
    const tokens = await Promise.all([1, 2, 3, 4].map(() => s.refreshAfterFailure('seed-access-token')));
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe('seed-access-token');
    expect(fake.refreshCalls).toHaveLength(1);
  });

  it('fails with auth and keeps the stored pair when Zalo refuses the refresh token', async () => {
    const s = createZaloTokenStore({ config: zaloConfig(fake.baseUrl, { refreshToken: 'revoked' }), db: getDb().database.db, logger });
    await s.getAccessToken();
    const err = await s.refreshAfterFailure('seed-access-token').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect(err).toMatchObject({ kind: 'auth', platformCode: -14014 });
    expect(await row()).toMatchObject({ accessToken: 'seed-access-token', refreshToken: 'revoked' });
  });

  it('fails with auth and a clear message when no token pair is configured or stored', async () => {
    const s = createZaloTokenStore({ config: zaloConfig(fake.baseUrl, { accessToken: undefined, refreshToken: undefined }), db: getDb().database.db, logger });
    await expect(s.getAccessToken()).rejects.toMatchObject({ kind: 'auth', message: expect.stringMatching(/ZALO_ACCESS_TOKEN/) });
  });

  it('two stores on separate connections racing to refresh spend the refresh token once and both end with the new pair', async () => {
    const { database, url } = getDb();
    // On PostgreSQL the second store gets its own pool, as a second process would; PGlite has a single
    // connection, so there both stores share it (its transactions run one at a time).
    const other = database.kind === 'postgres' && url ? await openPostgres(url, 2) : undefined;
    try {
      const a = store(database.db);
      const b = store(other?.db ?? database.db);
      expect(await a.getAccessToken()).toBe('seed-access-token');
      expect(await b.getAccessToken()).toBe('seed-access-token');
      fake.expireAccessToken('seed-access-token');
      // Hold the refresh open long enough for the other store to queue on the row lock.
      fake.setDelay(300, ['oauth']);
      const [ta, tb] = await Promise.all([a.refreshAfterFailure('seed-access-token'), b.refreshAfterFailure('seed-access-token')]);
      expect(fake.refreshCalls).toEqual([expect.objectContaining({ refreshToken: 'seed-refresh-token', ok: true })]);
      expect(ta).toBe(tb);
      expect(ta).not.toBe('seed-access-token');
      expect((await row())?.accessToken).toBe(ta);
      expect(await a.getAccessToken()).toBe(ta);
      expect(await b.getAccessToken()).toBe(ta);
    } finally {
      await other?.close();
    }
  });

  it('uses a pair another process already rotated instead of refreshing again', async () => {
    const a = store();
    const b = store();
    await a.getAccessToken();
    await b.getAccessToken();
    const rotated = await a.refreshAfterFailure('seed-access-token');
    // b still holds the old token in memory; Zalo refuses it; b picks up a's pair from the database.
    expect(await b.refreshAfterFailure('seed-access-token')).toBe(rotated);
    expect(fake.refreshCalls).toHaveLength(1);
  });
});
