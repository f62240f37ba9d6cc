/**
 * The users admin as an administrator uses it: create, edit, deactivate, reset a password — each
 * change audited with before/after and never a password hash — and the validation messages.
 */
import request from 'supertest';
import { eq } from 'drizzle-orm';
import { describeEachDatabase } from '../../support/db';
import { tables } from '../../../src/db';
import { createAdminTestApp, createOfficial, signIn } from './support';

describeEachDatabase('admin users', (getDb) => {
  const db = () => getDb().database.db;

  async function asAdmin() {
    const t = createAdminTestApp(db());
    const admin = await createOfficial(db(), { role: 'admin', name: 'Quản trị Hà' });
    return { ...t, admin, ...(await signIn(request.agent(t.app), admin.email, admin.password)) };
  }

  it('creates an account that can sign in, audited without the hash', async () => {
    const { app, agent, csrfToken, admin } = await asAdmin();
    const res = await agent.post('/admin/users/new').type('form').send({
      _csrf: csrfToken,
      name: '  Lê Văn Bình ',
      email: 'binh@mot-cua.test',
      role: 'officer',
      password: 'mat-khau-ban-dau-1',
      confirm: 'mat-khau-ban-dau-1',
    });
    expect(res.status).toBe(303);
    const page = await agent.get(res.headers.location!);
    expect(page.text).toContain('Đã tạo tài khoản.');
    expect(page.text).toContain('value="Lê Văn Bình"');
    const list = await agent.get('/admin/users');
    expect(list.text).toContain('binh@mot-cua.test');
    expect(list.text).toContain('Cán bộ một cửa');

    const [row] = await db().select().from(tables.officials).where(eq(tables.officials.email, 'binh@mot-cua.test'));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    const audit = await db().select().from(tables.auditLog);
    expect(audit).toEqual([
      expect.objectContaining({
        officialId: admin.id,
        action: 'official.create',
        entity: 'official',
        entityId: row!.id,
        before: null,
        after: { id: row!.id, email: 'binh@mot-cua.test', name: 'Lê Văn Bình', role: 'officer', active: true },
      }),
    ]);
    expect(JSON.stringify(audit)).not.toContain(row!.passwordHash);
    await signIn(request.agent(app), 'binh@mot-cua.test', 'mat-khau-ban-dau-1');
  });

  it('shows Vietnamese validation messages, keeps the values, answers 400 and writes nothing', async () => {
    const { agent, csrfToken } = await asAdmin();
    const taken = await createOfficial(db(), { role: 'viewer', email: 'da-co@mot-cua.test' });
    const post = (body: Record<string, string>) => agent.post('/admin/users/new').type('form').send({ _csrf: csrfToken, ...body });
    const bad = await post({ name: '', email: 'khong-phai-email', role: 'superuser', password: 'ngan', confirm: 'khac' });
    expect(bad.status).toBe(400);
    for (const msg of ['Vui lòng nhập họ và tên.', 'Email không hợp lệ.', 'Vui lòng chọn một vai trò trong danh sách.', 'Mật khẩu phải có ít nhất 10 ký tự.']) {
      expect(bad.text).toContain(msg);
    }
    expect(bad.text).toContain('value="khong-phai-email"');
    expect(bad.text).not.toContain('value="ngan"');
    const dup = await post({ name: 'Trùng', email: taken.email.toUpperCase(), role: 'viewer', password: 'mat-khau-du-dai', confirm: 'mat-khau-du-dai' });
    expect(dup.status).toBe(400);
    expect(dup.text).toContain('Email này đã được dùng cho một tài khoản khác.');
    const mismatch = await post({ name: 'A', email: 'a@mot-cua.test', role: 'viewer', password: 'mat-khau-du-dai', confirm: 'mat-khau-du-dai-2' });
    expect(mismatch.text).toContain('Hai lần nhập mật khẩu mới không khớp.');
    expect(await db().select().from(tables.officials)).toHaveLength(2);
    expect(await db().select().from(tables.auditLog)).toHaveLength(0);
  });

  it('edits name, role and active with before/after in the audit log', async () => {
    const { agent, csrfToken, admin } = await asAdmin();
    const o = await createOfficial(db(), { role: 'viewer', name: 'Phạm Thu' });
    const res = await agent
      .post(`/admin/users/${o.id}`)
      .type('form')
      .send({ _csrf: csrfToken, intent: 'update', name: 'Phạm Thị Thu', role: 'officer' });
    expect(res.status).toBe(303);
    expect((await agent.get(res.headers.location!)).text).toContain('Đã lưu thay đổi.');
    const [entry] = await db().select().from(tables.auditLog);
    expect(entry).toMatchObject({
      officialId: admin.id,
      action: 'official.update',
      entityId: o.id,
      before: { id: o.id, email: o.email, name: 'Phạm Thu', role: 'viewer', active: true },
      after: { id: o.id, email: o.email, name: 'Phạm Thị Thu', role: 'officer', active: false },
    });
    expect((await agent.get('/admin/users')).text).toContain('Đã ngừng');
  });

  it('resets a password: the old one stops working, sessions end, the audit has no hash', async () => {
    const { app, agent, csrfToken } = await asAdmin();
    const o = await createOfficial(db(), { role: 'officer' });
    const theirs = await signIn(request.agent(app), o.email, o.password);
    const short = await agent.post(`/admin/users/${o.id}`).type('form').send({ _csrf: csrfToken, intent: 'reset-password', password: 'abc', confirm: 'abc' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('Mật khẩu phải có ít nhất 10 ký tự.');
    const res = await agent
      .post(`/admin/users/${o.id}`)
      .type('form')
      .send({ _csrf: csrfToken, intent: 'reset-password', password: 'mat-khau-cap-lai', confirm: 'mat-khau-cap-lai' });
    expect(res.status).toBe(303);
    expect((await theirs.agent.get('/admin')).status).toBe(302);
    await expect(signIn(request.agent(app), o.email, o.password)).rejects.toThrow('401');
    await signIn(request.agent(app), o.email, 'mat-khau-cap-lai');
    const audit = await db().select().from(tables.auditLog);
    expect(audit.map((a) => a.action)).toEqual(['official.password_reset']);
    const [row] = await db().select().from(tables.officials).where(eq(tables.officials.id, o.id));
    const text = JSON.stringify(audit);
    expect(text).not.toContain(row!.passwordHash);
    expect(text).not.toMatch(/argon2|mat-khau-cap-lai/);
  });

  it('will not let an admin demote or deactivate themselves; unknown ids are 404', async () => {
    const { agent, csrfToken, admin } = await asAdmin();
    const res = await agent
      .post(`/admin/users/${admin.id}`)
      .type('form')
      .send({ _csrf: csrfToken, intent: 'update', name: admin.name, role: 'viewer', active: 'on' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('không thể tự ngừng hoặc hạ quyền');
    expect((await agent.get('/admin/users')).status).toBe(200);
    expect((await agent.get('/admin/users/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await agent.get('/admin/users/not-a-uuid')).status).toBe(404);
    const odd = await agent.post(`/admin/users/${admin.id}`).type('form').send({ _csrf: csrfToken, intent: 'delete' });
    expect(odd.status).toBe(400);
    expect(await db().select().from(tables.auditLog)).toHaveLength(0);
  });
});
