/**
 * Who may reach `/admin/privacy`: admins only, for every page and action; strangers are sent to
 * sign in; every POST needs the session's CSRF token, and a refused request changes nothing and
 * writes no audit row.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/db';
import { dumpPersonalTables, seedPerson } from '../../privacy/support';
import { fingerprintFrom, privacyApp, privacyAudit, signedIn } from './support';

describeEachDatabase('admin privacy: access', (getDb) => {
  const db = () => getDb().database.db;

  it('lets only admins in, to every page and action', async () => {
    const person = await seedPerson(db(), { userId: 'zalo6001', phone: '0966000001', at: new Date() });
    const app = privacyApp(db());
    const form = { kind: 'phone', value: person.phone, confirm: 'XÓA', fingerprint: '0'.repeat(64) };
    const expected = {
      admin: { page: 200, search: 200, export: 200, erase: 409 },
      officer: { page: 403, search: 403, export: 403, erase: 403 },
      appraiser: { page: 403, search: 403, export: 403, erase: 403 },
      viewer: { page: 403, search: 403, export: 403, erase: 403 },
    };
    for (const [role, want] of Object.entries(expected)) {
      const { agent, csrfToken } = await signedIn(db(), app, role as never);
      const post = (path: string) => agent.post(path).type('form').send({ ...form, _csrf: csrfToken });
      const got = {
        page: (await agent.get('/admin/privacy')).status,
        search: (await post('/admin/privacy/search')).status,
        export: (await post('/admin/privacy/export')).status,
        // A made-up fingerprint is never what the official reviewed: refused, nothing erased.
        erase: (await post('/admin/privacy/erase')).status,
      };
      expect({ role, ...got }).toEqual({ role, ...want });
    }
    // Only the admin's lookup and export were recorded.
    expect((await privacyAudit(db())).map((a) => a.action).sort()).toEqual(['personal_data.export', 'personal_data.lookup']);

    const stranger = await request(app).get('/admin/privacy');
    expect(stranger.status).toBe(302);
    expect(stranger.headers.location).toBe('/admin/login?next=%2Fadmin%2Fprivacy');
  });

  it('shows the page in the navigation of admins only', async () => {
    const app = privacyApp(db());
    const admin = await signedIn(db(), app, 'admin');
    expect((await admin.agent.get('/admin')).text).toContain('href="/admin/privacy"');
    const officer = await signedIn(db(), app, 'officer');
    expect((await officer.agent.get('/admin')).text).not.toContain('href="/admin/privacy"');
  });

  it('refuses every POST without the CSRF token, changing nothing', async () => {
    const person = await seedPerson(db(), { userId: 'zalo6002', phone: '0966000002', at: new Date() });
    const app = privacyApp(db());
    const { agent, csrfToken } = await signedIn(db(), app, 'admin');
    const review = await agent.post('/admin/privacy/search').type('form').send({ _csrf: csrfToken, kind: 'phone', value: person.phone });
    const fingerprint = fingerprintFrom(review.text);
    const before = await dumpPersonalTables(db());
    const auditBefore = (await privacyAudit(db())).length;

    const form = { kind: 'phone', value: person.phone, confirm: 'XÓA', fingerprint };
    for (const path of ['/admin/privacy/search', '/admin/privacy/export', '/admin/privacy/erase']) {
      expect((await agent.post(path).type('form').send(form)).status).toBe(403);
      expect((await agent.post(path).type('form').send({ ...form, _csrf: 'not-the-token' })).status).toBe(403);
    }
    expect(await dumpPersonalTables(db())).toBe(before);
    expect(await privacyAudit(db())).toHaveLength(auditBefore);
  });
});
