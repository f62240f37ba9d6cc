/**
 * Each role tried against each protected route of the auth component (DESIGN: admin passes every
 * check): anonymous GETs go to sign-in with `next`, a signed-in official without the role gets the
 * 403 page, and `requireRole` answers 401 JSON to a non-GET without a session.
 */
import express from 'express';
import request from 'supertest';
import { describeEachDatabase } from '../../support/db';
import type { Role } from '../../../src/admin/kit';
import { tables } from '../../../src/db';
import { createAdminTestApp, createOfficial, signIn, testI18n } from './support';
import { createAdminKit } from '../../../src/admin/auth';
import { createLogger } from '../../../src/logger';

type Who = 'anonymous' | Role;
const WHO: Who[] = ['anonymous', 'viewer', 'appraiser', 'officer', 'admin'];

/** Expected status per route and role (302 = sign-in redirect, 403 = forbidden page). */
const GET_TABLE: [string, Record<Who, number>][] = [
  ['/admin', { anonymous: 302, viewer: 200, appraiser: 200, officer: 200, admin: 200 }],
  ['/admin/account/password', { anonymous: 302, viewer: 200, appraiser: 200, officer: 200, admin: 200 }],
  ['/admin/users', { anonymous: 302, viewer: 403, appraiser: 403, officer: 403, admin: 200 }],
  ['/admin/users/new', { anonymous: 302, viewer: 403, appraiser: 403, officer: 403, admin: 200 }],
  ['/admin/users/:target', { anonymous: 302, viewer: 403, appraiser: 403, officer: 403, admin: 200 }],
  ['/admin/audit', { anonymous: 302, viewer: 403, appraiser: 403, officer: 403, admin: 200 }],
];

describeEachDatabase('admin RBAC', (getDb) => {
  const db = () => getDb().database.db;

  it('answers each role on each GET route as the table says', async () => {
    const { app } = createAdminTestApp(db());
    const target = await createOfficial(db(), { role: 'viewer', name: 'Người được sửa' });
    const agents = new Map<Who, request.Agent>();
    for (const who of WHO) {
      if (who === 'anonymous') agents.set(who, request.agent(app));
      else {
        const o = await createOfficial(db(), { role: who });
        agents.set(who, (await signIn(request.agent(app), o.email, o.password)).agent);
      }
    }
    const seen: string[] = [];
    const expected: string[] = [];
    for (const [route, byRole] of GET_TABLE) {
      const path = route.replace(':target', target.id);
      for (const who of WHO) {
        const res = await agents.get(who)!.get(path);
        seen.push(`${route} ${who} ${res.status}`);
        expected.push(`${route} ${who} ${byRole[who]}`);
        if (res.status === 302) expect(res.headers.location).toBe(`/admin/login?next=${encodeURIComponent(path)}`);
        if (res.status === 403) expect(res.text).toContain('Anh/chị không có quyền truy cập trang này');
      }
    }
    expect(seen).toEqual(expected);
  });

  it('refuses state changes on the users pages to every role but admin', async () => {
    const { app } = createAdminTestApp(db());
    const target = await createOfficial(db(), { role: 'viewer' });
    for (const role of ['viewer', 'appraiser', 'officer'] as const) {
      const o = await createOfficial(db(), { role });
      const { agent, csrfToken } = await signIn(request.agent(app), o.email, o.password);
      const create = await agent
        .post('/admin/users/new')
        .type('form')
        .send({ _csrf: csrfToken, name: 'Leo quyền', email: `leo-${role}@mot-cua.test`, role: 'admin', password: 'mat-khau-leo-quyen', confirm: 'mat-khau-leo-quyen' });
      expect(create.status).toBe(403);
      const promote = await agent
        .post(`/admin/users/${o.id}`)
        .type('form')
        .send({ _csrf: csrfToken, intent: 'update', name: o.name, role: 'admin', active: 'on' });
      expect(promote.status).toBe(403);
      const reset = await agent
        .post(`/admin/users/${target.id}`)
        .type('form')
        .send({ _csrf: csrfToken, intent: 'reset-password', password: 'mat-khau-leo-quyen', confirm: 'mat-khau-leo-quyen' });
      expect(reset.status).toBe(403);
    }
    const rows = await db().select().from(tables.officials);
    expect(rows.filter((r) => r.role === 'admin')).toHaveLength(0);
  });

  it('requireRole: 401 JSON for a non-GET without a session; admin passes a check for any role', async () => {
    const kit = createAdminKit({ db: db(), i18n: testI18n, logger: createLogger('silent'), secureCookies: false });
    const app = express();
    app.use((req, _res, next) => {
      const role = req.get('x-test-role') as Role | undefined;
      if (role) req.official = { id: '00000000-0000-4000-8000-000000000000', email: 'x@y.z', name: 'X', role };
      next();
    });
    app.all('/admin/appraisals', kit.requireRole('appraiser'), (_req, res) => void res.send('ok'));
    expect((await request(app).post('/admin/appraisals')).status).toBe(401);
    expect((await request(app).post('/admin/appraisals')).body).toEqual({ error: 'sign in required' });
    expect((await request(app).get('/admin/appraisals')).headers.location).toBe('/admin/login?next=%2Fadmin%2Fappraisals');
    expect((await request(app).get('/admin/appraisals').set('x-test-role', 'appraiser')).status).toBe(200);
    expect((await request(app).get('/admin/appraisals').set('x-test-role', 'admin')).status).toBe(200);
    expect((await request(app).get('/admin/appraisals').set('x-test-role', 'officer')).status).toBe(403);
    expect((await request(app).post('/admin/appraisals').set('x-test-role', 'viewer')).status).toBe(403);
  });
});
