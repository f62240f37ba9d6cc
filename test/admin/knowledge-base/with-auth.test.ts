/**
 * The knowledge-base router behind the real console stack (sessions, CSRF, roles, audit, layout),
 * mounted the way the lead mounts it: a signed-in officer edits a procedure; forged posts and other
 * roles are refused.
 */
import request from 'supertest';
import { eq } from 'drizzle-orm';
import { tables } from '../../../src/db';
import { ProcedureRepository } from '../../../src/procedures';
import { knowledgeBaseRouter } from '../../../src/admin/knowledge-base';
import { describeEachDatabase } from '../../support/db';
import { testOffice, testProcedure } from '../../support/fixtures';
import { createAdminTestApp, createOfficial, signIn } from '../auth/support';
import { encode, procedureFields } from './forms';

describeEachDatabase('admin knowledge base with the real auth stack', (getDb) => {
  const db = () => getDb().database.db;

  function app() {
    return createAdminTestApp(db(), {
      routers: (kit, i18n) => [knowledgeBaseRouter({ db: db(), kit, i18n, appBaseUrl: 'http://localhost:3000' })],
    }).app;
  }

  it('lets a signed-in officer save with the session CSRF token, and refuses a forged post', async () => {
    const p = testProcedure('ket-hon', { name: 'Đăng ký kết hôn' });
    await new ProcedureRepository(db()).upsert({ offices: [testOffice], procedures: [p] });
    const officer = await createOfficial(db(), { role: 'officer' });
    const server = app();
    const { agent, csrfToken } = await signIn(request.agent(server), officer.email, officer.password);
    const page = await agent.get('/admin/procedures/ket-hon').expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain(`name="_csrf" value="${csrfToken}"`);
    expect(page.text).toContain('src="/admin/assets/knowledge-base/repeat-rows.js"');

    const forged = await agent.post('/admin/procedures/ket-hon').type('form').send(encode({ ...procedureFields(p, { name: 'Giả mạo' }), _csrf: 'forged' }));
    expect(forged.status).toBe(403);
    expect((await new ProcedureRepository(db()).get('ket-hon'))?.name).toBe('Đăng ký kết hôn');

    const saved = await agent.post('/admin/procedures/ket-hon').type('form').send(encode({ ...procedureFields(p, { name: 'Đăng ký kết hôn mới' }), _csrf: csrfToken }));
    expect(saved.status).toBe(303);
    expect((await new ProcedureRepository(db()).get('ket-hon'))?.name).toBe('Đăng ký kết hôn mới');
    const [entry] = await db().select().from(tables.auditLog).where(eq(tables.auditLog.action, 'procedure.update'));
    expect(entry?.officialId).toBe(officer.id);
  });

  it('shows viewers and appraisers a 403 page and sends strangers to sign in', async () => {
    const server = app();
    for (const role of ['viewer', 'appraiser'] as const) {
      const who = await createOfficial(db(), { role });
      const { agent } = await signIn(request.agent(server), who.email, who.password);
      await agent.get('/admin/procedures').expect(403);
    }
    const anonymous = await request(server).get('/admin/procedures');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/admin\/login/);
  });
});
