/**
 * Every role against every main console page, on the fully assembled app (the same `mountAdmin` as
 * production): what each official may open, and that a stranger is sent to sign in.
 */
import request from 'supertest';
import type { Role } from '../../src/admin/kit';
import { describeEachDatabase } from '../support/db';
import { startApp, type RunningApp } from '../support/app';
import { createOfficial, signIn } from './auth/support';

/** Main pages and the roles allowed on each (admin passes every check). */
const PAGES: [string, Role[]][] = [
  ['/admin', ['admin', 'officer', 'appraiser', 'viewer']],
  ['/admin/account/password', ['admin', 'officer', 'appraiser', 'viewer']],
  ['/admin/procedures', ['admin', 'officer']],
  ['/admin/procedures/new', ['admin', 'officer']],
  ['/admin/procedures/khai-sinh', ['admin', 'officer']],
  ['/admin/procedures/khai-sinh/poster', ['admin', 'officer']],
  ['/admin/procedures/export.csv', ['admin', 'officer']],
  ['/admin/procedures/import', ['admin', 'officer']],
  ['/admin/offices', ['admin', 'officer']],
  ['/admin/inbox', ['admin', 'officer']],
  ['/admin/licences', ['admin', 'officer', 'viewer']],
  ['/admin/licences/import', ['admin', 'officer']],
  ['/admin/licences/export.csv', ['admin', 'officer']],
  ['/admin/appraisal', ['admin', 'officer', 'appraiser']],
  ['/admin/appraisal?view=day', ['admin', 'officer', 'appraiser']],
  ['/admin/appraisal/availability', ['admin', 'officer']],
  ['/admin/broadcasts', ['admin', 'officer']],
  ['/admin/broadcasts/new', ['admin', 'officer']],
  ['/admin/delivery-outcomes', ['admin', 'officer']],
  ['/admin/analytics', ['admin', 'officer', 'viewer']],
  ['/admin/analytics/unanswered', ['admin', 'officer', 'viewer']],
  ['/admin/analytics/export.csv?report=messages', ['admin', 'officer', 'viewer']],
  ['/admin/users', ['admin']],
  ['/admin/users/new', ['admin']],
  ['/admin/audit', ['admin']],
  ['/admin/privacy', ['admin']],
];
const ROLES: Role[] = ['admin', 'officer', 'appraiser', 'viewer'];

describeEachDatabase('console roles', (getDb) => {
  let app: RunningApp;
  // Started per test: the harness empties the tables before each test, and the app seeds them.
  beforeEach(async () => {
    app = await startApp(getDb().database);
  });
  afterEach(async () => {
    await app.close();
  });

  it('lets each role open exactly its pages, and sends strangers to sign in', async () => {
    const seen: string[] = [];
    for (const role of ROLES) {
      const official = await createOfficial(getDb().database.db, { role, email: `${role}@motcua.test` });
      const { agent } = await signIn(request.agent(app.baseUrl), official.email, official.password);
      for (const [path, allowed] of PAGES) {
        const res = await agent.get(path);
        seen.push(`${role} ${path} ${res.status}`);
        expect(`${role} ${path} ${res.status}`).toBe(`${role} ${path} ${allowed.includes(role) ? 200 : 403}`);
      }
    }
    for (const [path] of PAGES) {
      const res = await request(app.baseUrl).get(path);
      expect(`${path} ${res.status} ${res.headers.location ?? ''}`).toMatch(new RegExp(`^${path.replace(/[?.]/g, '\\$&')} 302 /admin/login\\?next=`));
    }
    expect(seen).toHaveLength(ROLES.length * PAGES.length);
  });
});
