/** The first administrator from configuration: created once on an empty database, never twice. */
import request from 'supertest';
import { describeEachDatabase } from '../../support/db';
import { tables } from '../../../src/db';
import { ensureFirstAdmin } from '../../../src/admin/auth';
import { createLogger } from '../../../src/logger';
import { createAdminTestApp, createOfficial, signIn } from './support';

describeEachDatabase('first admin', (getDb) => {
  const db = () => getDb().database.db;
  const logger = createLogger('silent');

  it('creates an admin from ADMIN_EMAIL/ADMIN_PASSWORD when no official exists, audited, and can sign in', async () => {
    expect(await ensureFirstAdmin({ db: db(), email: 'truong-bo-phan@mot-cua.test', password: 'mat-khau-khoi-tao', logger })).toBe(true);
    expect(await ensureFirstAdmin({ db: db(), email: 'khac@mot-cua.test', password: 'mat-khau-khoi-tao', logger })).toBe(false);
    const rows = await db().select().from(tables.officials);
    expect(rows).toEqual([expect.objectContaining({ email: 'truong-bo-phan@mot-cua.test', role: 'admin', active: true })]);
    const audit = await db().select().from(tables.auditLog);
    expect(audit).toEqual([expect.objectContaining({ action: 'official.create', officialId: null, entityId: rows[0]!.id })]);
    expect(JSON.stringify(audit)).not.toContain('argon2');
    const { app } = createAdminTestApp(db());
    const { agent } = await signIn(request.agent(app), 'truong-bo-phan@mot-cua.test', 'mat-khau-khoi-tao');
    expect((await agent.get('/admin/users')).status).toBe(200);
  });

  it('does nothing without both values, with a short password, or when an official exists', async () => {
    expect(await ensureFirstAdmin({ db: db(), email: 'a@mot-cua.test', password: undefined, logger })).toBe(false);
    expect(await ensureFirstAdmin({ db: db(), email: undefined, password: 'mat-khau-khoi-tao', logger })).toBe(false);
    expect(await ensureFirstAdmin({ db: db(), email: 'a@mot-cua.test', password: 'ngan', logger })).toBe(false);
    expect(await db().select().from(tables.officials)).toHaveLength(0);
    await createOfficial(db(), { role: 'viewer' });
    expect(await ensureFirstAdmin({ db: db(), email: 'a@mot-cua.test', password: 'mat-khau-khoi-tao', logger })).toBe(false);
    expect(await db().select().from(tables.officials)).toHaveLength(1);
  });
});
