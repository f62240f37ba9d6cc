/**
 * Forged form posts: every state-changing route of the auth component refuses a missing, wrong or
 * foreign CSRF token with a 403 page and changes nothing; the right token (field or header) passes.
 * The sign-in form is protected too, by its pre-session double-submit cookie.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/db';
import { tables } from '../../../src/db';
import { createAdminTestApp, createOfficial, csrfFromHtml, signIn, type TestOfficial } from './support';

describeEachDatabase('admin CSRF', (getDb) => {
  const db = () => getDb().database.db;

  /** Each POST route with a body that would succeed given the right token. */
  const routes = (admin: TestOfficial, target: TestOfficial): [string, Record<string, string>][] => [
    ['/admin/logout', {}],
    ['/admin/account/password', { current: admin.password, password: 'mot-cum-tu-moi-dai', confirm: 'mot-cum-tu-moi-dai' }],
    ['/admin/users/new', { name: 'Trần Văn Giả', email: 'gia@mot-cua.test', role: 'admin', password: 'mat-khau-gia-mao', confirm: 'mat-khau-gia-mao' }],
    [`/admin/users/${target.id}`, { intent: 'update', name: 'Đổi tên', role: 'admin', active: 'on' }],
    [`/admin/users/${target.id}`, { intent: 'reset-password', password: 'mat-khau-gia-mao', confirm: 'mat-khau-gia-mao' }],
  ];

  it('refuses every POST without the session token, with a wrong one, or with another session’s, and changes nothing', async () => {
    const { app } = createAdminTestApp(db());
    const admin = await createOfficial(db(), { role: 'admin' });
    const target = await createOfficial(db(), { role: 'viewer' });
    const mine = await signIn(request.agent(app), admin.email, admin.password);
    const other = await signIn(request.agent(app), target.email, target.password);
    const before = {
      officials: await db().select().from(tables.officials),
      sessions: (await db().select().from(tables.adminSessions)).length,
    };
    for (const [path, body] of routes(admin, target)) {
      for (const token of [undefined, '', 'x'.repeat(43), other.csrfToken, `${mine.csrfToken}x`]) {
        const res = await mine.agent.post(path).type('form').send(token === undefined ? body : { ...body, _csrf: token });
        expect([path, token, res.status]).toEqual([path, token, 403]);
        expect(res.text).toContain('Yêu cầu không hợp lệ');
        expect(res.text).toContain('<html lang="vi"');
      }
      const header = await mine.agent.post(path).set('X-CSRF-Token', other.csrfToken).type('form').send(body);
      expect(header.status).toBe(403);
      const json = await mine.agent.post(path).set('Accept', 'application/json').send(body);
      expect(json.status).toBe(403);
      expect(json.body).toEqual({ error: 'invalid or missing CSRF token' });
    }
    expect(await db().select().from(tables.officials)).toEqual(before.officials);
    expect(await db().select().from(tables.adminSessions)).toHaveLength(before.sessions);
    expect(await db().select().from(tables.auditLog)).toHaveLength(0);
  });

  it('accepts the right token as the `_csrf` field or the X-CSRF-Token header', async () => {
    const { app } = createAdminTestApp(db());
    const admin = await createOfficial(db(), { role: 'admin' });
    const target = await createOfficial(db(), { role: 'viewer' });
    const mine = await signIn(request.agent(app), admin.email, admin.password);
    const [, update] = routes(admin, target)[3]!;
    const viaHeader = await mine.agent.post(`/admin/users/${target.id}`).set('X-CSRF-Token', mine.csrfToken).type('form').send(update);
    expect(viaHeader.status).toBe(303);
    const viaField = await mine.agent.post('/admin/logout').type('form').send({ _csrf: mine.csrfToken });
    expect(viaField.status).toBe(303);
  });

  it('refuses POSTs without any session (no token to match)', async () => {
    const { app } = createAdminTestApp(db());
    const res = await request(app).post('/admin/users/new').type('form').send({ _csrf: '' });
    expect(res.status).toBe(403);
  });

  it('refuses a forged sign-in: without the pre-session cookie, or with a token that does not match it', async () => {
    const { app } = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'officer' });
    // The attacker fetched a form (and token) of their own; the victim's browser has no matching cookie.
    const attackerForm = await request(app).get('/admin/login');
    const forged = await request(app)
      .post('/admin/login')
      .type('form')
      .send({ _csrf: csrfFromHtml(attackerForm.text), email: me.email, password: me.password });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('Yêu cầu không hợp lệ');

    const victim = request.agent(app);
    await victim.get('/admin/login');
    for (const token of [undefined, csrfFromHtml(attackerForm.text)]) {
      const res = await victim.post('/admin/login').type('form').send({ ...(token ? { _csrf: token } : {}), email: me.email, password: me.password });
      expect(res.status).toBe(403);
    }
    expect(await db().select().from(tables.adminSessions)).toHaveLength(0);
    expect(await db().select().from(tables.loginAttempts)).toHaveLength(0);
  });

  it('does not check GET requests or paths outside /admin', async () => {
    const { app } = createAdminTestApp(db());
    expect((await request(app).get('/admin/login')).status).toBe(200);
    expect((await request(app).post('/api/elsewhere').send({})).status).toBe(404);
  });
});
