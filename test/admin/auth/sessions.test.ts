/**
 * Session lifetime and revocation: 8 hours idle, 7 days absolute, a password change ends the
 * official's other sessions, deactivation ends all of them, a role change applies at once.
 */
import request from 'supertest';
import { eq } from 'drizzle-orm';
import { describeEachDatabase } from '../../support/db';
import { tables } from '../../../src/db';
import { createAdminTestApp, createOfficial, setCookies, signIn } from './support';

const HOUR = 60 * 60 * 1000;

describeEachDatabase('admin sessions', (getDb) => {
  const db = () => getDb().database.db;

  it('expires after 8 hours without a request, and clears the cookie', async () => {
    const t = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'viewer' });
    const { agent } = await signIn(request.agent(t.app), me.email, me.password);
    t.advance(7 * HOUR + 50 * 60 * 1000);
    expect((await agent.get('/admin')).status).toBe(200);
    t.advance(7 * HOUR + 50 * 60 * 1000);
    expect((await agent.get('/admin')).status).toBe(200);
    t.advance(8 * HOUR + 1000);
    const res = await agent.get('/admin/account/password');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/admin/login?next=%2Fadmin%2Faccount%2Fpassword');
    expect(setCookies(res).join(';')).toMatch(/tlmc_admin=;/);
    expect(await db().select().from(tables.adminSessions)).toHaveLength(0);
  });

  it('expires 7 days after sign-in however active the official is', async () => {
    const t = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'viewer' });
    const { agent } = await signIn(request.agent(t.app), me.email, me.password);
    for (let h = 0; h < 7 * 24 - 7; h += 7) {
      t.advance(7 * HOUR);
      expect((await agent.get('/admin')).status).toBe(200);
    }
    t.advance(7 * HOUR);
    expect((await agent.get('/admin')).status).toBe(302);
  });

  it('changing the password ends the other sessions and keeps this one; the new password works', async () => {
    const { app } = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'officer' });
    const laptop = await signIn(request.agent(app), me.email, me.password);
    const tablet = await signIn(request.agent(app), me.email, me.password);
    const res = await laptop.agent
      .post('/admin/account/password')
      .type('form')
      .send({ _csrf: laptop.csrfToken, current: me.password, password: 'mot-cum-tu-moi-dai', confirm: 'mot-cum-tu-moi-dai' });
    expect(res.status).toBe(303);
    expect((await laptop.agent.get(res.headers.location!)).text).toContain('Đã đổi mật khẩu');
    expect((await tablet.agent.get('/admin')).status).toBe(302);
    expect(await db().select().from(tables.adminSessions)).toHaveLength(1);
    await expect(signIn(request.agent(app), me.email, me.password)).rejects.toThrow('401');
    await signIn(request.agent(app), me.email, 'mot-cum-tu-moi-dai');
    const audit = await db().select().from(tables.auditLog);
    expect(audit).toEqual([expect.objectContaining({ action: 'official.password_change', entityId: me.id, officialId: me.id })]);
    expect(JSON.stringify(audit)).not.toMatch(/argon2|mot-cum-tu-moi-dai/);
  });

  it('refuses a wrong current password, a short or mismatched new one, with messages next to the fields', async () => {
    const { app } = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'officer' });
    const { agent, csrfToken } = await signIn(request.agent(app), me.email, me.password);
    const post = (body: Record<string, string>) => agent.post('/admin/account/password').type('form').send({ _csrf: csrfToken, ...body });
    const wrong = await post({ current: 'khong-phai-mat-khau', password: 'mot-cum-tu-moi-dai', confirm: 'mot-cum-tu-moi-dai' });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain('Mật khẩu hiện tại không đúng.');
    const short = await post({ current: me.password, password: 'ngan', confirm: 'ngan' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Mật khẩu phải có ít nhất 10 ký tự.');
    const mismatch = await post({ current: me.password, password: 'mot-cum-tu-moi-dai', confirm: 'mot-cum-tu-khac-dai' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('Hai lần nhập mật khẩu mới không khớp.');
    expect(await db().select().from(tables.auditLog)).toHaveLength(0);
    const [row] = await db().select().from(tables.loginAttempts).where(eq(tables.loginAttempts.ok, false));
    expect(row?.email).toBe(me.email);
  });

  it('deactivating an official ends their sessions at once; a role change applies on the next request', async () => {
    const { app } = createAdminTestApp(db());
    const admin = await createOfficial(db(), { role: 'admin' });
    const officer = await createOfficial(db(), { role: 'officer' });
    const boss = await signIn(request.agent(app), admin.email, admin.password);
    const them = await signIn(request.agent(app), officer.email, officer.password);
    expect((await them.agent.get('/admin/users')).status).toBe(403);

    const promote = await boss.agent
      .post(`/admin/users/${officer.id}`)
      .type('form')
      .send({ _csrf: boss.csrfToken, intent: 'update', name: officer.name, role: 'admin', active: 'on' });
    expect(promote.status).toBe(303);
    expect((await them.agent.get('/admin/users')).status).toBe(200);

    const deactivate = await boss.agent
      .post(`/admin/users/${officer.id}`)
      .type('form')
      .send({ _csrf: boss.csrfToken, intent: 'update', name: officer.name, role: 'officer' });
    expect(deactivate.status).toBe(303);
    expect((await them.agent.get('/admin')).status).toBe(302);
    await expect(signIn(request.agent(app), officer.email, officer.password)).rejects.toThrow('401');
  });
});
