/**
 * Sign-in as an official and as an attacker would try it: right and wrong passwords, the generic
 * error, lock-out after 5 failures, the per-address limit, `next` redirects, cookie flags, logout.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/db';
import { tables } from '../../../src/db';
import { createAdminTestApp, createOfficial, csrfFromHtml, setCookies, signIn } from './support';

const GENERIC = 'Email hoặc mật khẩu không đúng';

describeEachDatabase('admin sign-in', (getDb) => {
  const db = () => getDb().database.db;

  /** Posts the login form with a fresh pre-session token; returns the response. */
  async function attempt(agent: ReturnType<typeof request.agent>, email: string, password: string, extra: Record<string, string> = {}) {
    const form = await agent.get('/admin/login');
    return agent.post('/admin/login').type('form').send({ _csrf: csrfFromHtml(form.text), email, password, ...extra });
  }

  it('signs in with the right password and lands on the dashboard', async () => {
    const { app } = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'officer', name: 'Nguyễn Thị Lan' });
    const agent = request.agent(app);
    const res = await attempt(agent, me.email.toUpperCase(), me.password);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/admin');
    const home = await agent.get('/admin');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Nguyễn Thị Lan');
    const rows = await db().select().from(tables.loginAttempts);
    expect(rows).toEqual([expect.objectContaining({ email: me.email, ok: true })]);
  });

  it('answers the same generic error for a wrong password, an unknown email and an inactive account', async () => {
    const { app } = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'viewer' });
    const gone = await createOfficial(db(), { role: 'viewer' });
    await db().update(tables.officials).set({ active: false });
    const agent = request.agent(app);
    for (const [email, password] of [
      [me.email, 'sai-mat-khau-roi'],
      ['khong-ton-tai@mot-cua.test', 'sai-mat-khau-roi'],
      [gone.email, gone.password],
    ] as const) {
      const res = await attempt(agent, email, password);
      expect(res.status).toBe(401);
      expect(res.text).toContain(GENERIC);
      expect(setCookies(res).join(';')).not.toMatch(/tlmc_admin=[^;]/);
      expect(res.text).toContain(`value="${email}"`);
    }
    expect((await agent.get('/admin')).status).toBe(302);
  });

  it('locks an email for 15 minutes after 5 failures, even with the right password, then lets it in', async () => {
    const t = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'officer' });
    const agent = request.agent(t.app);
    for (let i = 1; i <= 4; i++) expect((await attempt(agent, me.email, `sai-lan-thu-${i}-abc`)).status).toBe(401);
    const fifth = await attempt(agent, me.email, 'sai-lan-thu-5-abc');
    expect(fifth.status).toBe(429);
    expect(fifth.text).toContain('tạm thời bị khóa 15 phút');
    const right = await attempt(agent, me.email, me.password);
    expect(right.status).toBe(429);
    const [row] = await db().select().from(tables.officials);
    expect(row?.lockedUntil).toBeInstanceOf(Date);

    t.advance(14 * 60 * 1000);
    expect((await attempt(agent, me.email, me.password)).status).toBe(429);
    t.advance(2 * 60 * 1000);
    expect((await attempt(agent, me.email, me.password)).status).toBe(303);
  });

  it('locks unknown emails the same way, so a lock does not reveal that an account exists', async () => {
    const { app } = createAdminTestApp(db());
    const agent = request.agent(app);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt(agent, 'ai-do@mot-cua.test', 'mat-khau-doan-bua')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('refuses an address after 20 failures in 15 minutes, whatever the email; other addresses still sign in', async () => {
    const t = createAdminTestApp(db(), { trustProxy: true });
    const me = await createOfficial(db(), { role: 'officer' });
    const attacker = request.agent(t.app);
    const from = (ip: string) => ({ 'X-Forwarded-For': ip });
    for (let i = 0; i < 20; i++) {
      const form = await attacker.get('/admin/login');
      const res = await attacker
        .post('/admin/login')
        .set(from('203.0.113.9'))
        .type('form')
        .send({ _csrf: csrfFromHtml(form.text), email: `nguoi${i}@mot-cua.test`, password: 'doan-mo-1234' });
      expect(res.status).toBe(401);
    }
    const form = await attacker.get('/admin/login');
    const refused = await attacker
      .post('/admin/login')
      .set(from('203.0.113.9'))
      .type('form')
      .send({ _csrf: csrfFromHtml(form.text), email: me.email, password: me.password });
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('quá nhiều lần đăng nhập không thành công từ địa chỉ này');
    const refusedRows = await db().select().from(tables.loginAttempts);
    expect(refusedRows).toHaveLength(21);
    expect(refusedRows.filter((r) => r.ip === '203.0.113.9' && !r.ok)).toHaveLength(21);

    const colleague = request.agent(t.app);
    const f2 = await colleague.get('/admin/login');
    const ok = await colleague
      .post('/admin/login')
      .set(from('198.51.100.7'))
      .type('form')
      .send({ _csrf: csrfFromHtml(f2.text), email: me.email, password: me.password });
    expect(ok.status).toBe(303);
  });

  it('follows a local `next` and refuses open redirects', async () => {
    const { app } = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'admin' });
    const cases: [string, string][] = [
      ['/admin/users?x=1', '/admin/users?x=1'],
      ['https://evil.example/admin', '/admin'],
      ['//evil.example/admin', '/admin'],
      ['/admin//evil.example', '/admin'],
      ['/\\evil.example', '/admin'],
      ['/admin@evil.example', '/admin'],
      ['/administrator', '/admin'],
      ['/admin/login', '/admin'],
      ['javascript:alert(1)', '/admin'],
    ];
    for (const [next, expected] of cases) {
      const agent = request.agent(app);
      const res = await attempt(agent, me.email, me.password, { next });
      expect([next, res.headers.location]).toEqual([next, expected]);
    }
    // The form carries a safe `next` through, and drops an unsafe one.
    const agent = request.agent(app);
    expect((await agent.get('/admin/login?next=%2Fadmin%2Faudit')).text).toContain('name="next" value="/admin/audit"');
    expect((await agent.get('/admin/login?next=https%3A%2F%2Fevil.example')).text).not.toContain('name="next"');
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/admin, and Secure when configured', async () => {
    for (const secure of [false, true]) {
      const { app } = createAdminTestApp(db(), { secureCookies: secure });
      const me = await createOfficial(db(), { role: 'viewer' });
      const agent = request.agent(app);
      const form = await agent.get('/admin/login');
      const loginCookie = setCookies(form).find((c) => c.startsWith('tlmc_admin_login='));
      expect(loginCookie).toMatch(/; Path=\/admin\/login/);
      expect(loginCookie).toMatch(/HttpOnly/);
      expect(loginCookie).toMatch(/SameSite=Strict/);
      const res = await agent
        .post('/admin/login')
        .set('Cookie', loginCookie!.split(';')[0]!)
        .type('form')
        .send({ _csrf: csrfFromHtml(form.text), email: me.email, password: me.password });
      expect(res.status).toBe(303);
      const session = setCookies(res).find((c) => /^tlmc_admin=[^;]/.test(c));
      expect(session).toMatch(/; Path=\/admin;/);
      expect(session).toMatch(/; HttpOnly/);
      expect(session).toMatch(/; SameSite=Strict/);
      expect(/; Secure/.test(session!)).toBe(secure);
      // The token is stored only as its SHA-256.
      const token = /^tlmc_admin=([^;]+)/.exec(session!)![1]!;
      const rows = await db().select().from(tables.adminSessions);
      expect(rows.some((r) => r.tokenHash === token)).toBe(false);
      expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.tokenHash))).toBe(true);
    }
  });

  it('logout deletes the session: the old cookie no longer works', async () => {
    const { app } = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'officer' });
    const { agent, csrfToken, cookie } = await signIn(request.agent(app), me.email, me.password);
    const out = await agent.post('/admin/logout').type('form').send({ _csrf: csrfToken });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/admin/login?signedOut=1');
    expect(await db().select().from(tables.adminSessions)).toHaveLength(0);
    const replay = await request(app).get('/admin').set('Cookie', cookie);
    expect(replay.status).toBe(302);
    expect(replay.headers.location).toBe('/admin/login?next=%2Fadmin');
    expect((await agent.get('/admin/login?signedOut=1')).text).toContain('Anh/chị đã đăng xuất.');
  });

  it('sends a signed-in official on from the sign-in page; a sign-in form left open elsewhere no longer posts', async () => {
    const { app } = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'officer' });
    const agent = request.agent(app);
    const staleForm = await agent.get('/admin/login');
    await signIn(agent, me.email, me.password);
    const visit = await agent.get('/admin/login?next=%2Fadmin%2Faccount%2Fpassword');
    expect(visit.status).toBe(303);
    expect(visit.headers.location).toBe('/admin/account/password');
    // Sign-in cleared the pre-session cookie, so the other tab's token is spent.
    const res = await agent.post('/admin/login').type('form').send({ _csrf: csrfFromHtml(staleForm.text), email: me.email, password: me.password });
    expect(res.status).toBe(403);
    expect(await db().select().from(tables.adminSessions)).toHaveLength(1);
  });
});
