/**
 * The console layout and its HTTP hygiene: a Vietnamese HTML5 page with landmarks and role-based
 * navigation, everything escaped, no inline script or style (the CSP forbids them), security
 * headers on every /admin response, and the stylesheet served locally.
 */
import request from 'supertest';
import { Router } from 'express';
import { describeEachDatabase } from '../../support/db';
import { html } from '../../../src/admin/html';
import type { Role } from '../../../src/admin/kit';
import { createAdminTestApp, createOfficial, signIn } from './support';

const NAV_BY_ROLE: Record<Role, string[]> = {
  viewer: ['/admin', '/admin/licences', '/admin/analytics'],
  appraiser: ['/admin', '/admin/appraisal'],
  officer: [
    '/admin', '/admin/procedures', '/admin/offices', '/admin/inbox', '/admin/licences', '/admin/appraisal',
    '/admin/broadcasts', '/admin/delivery-outcomes', '/admin/analytics',
  ],
  admin: [
    '/admin', '/admin/procedures', '/admin/offices', '/admin/inbox', '/admin/licences', '/admin/appraisal',
    '/admin/broadcasts', '/admin/delivery-outcomes', '/admin/analytics', '/admin/users', '/admin/audit', '/admin/privacy',
  ],
};

/** A feature page built with the kit, as the other console parts do. */
const demoRouter = (kit: import('../../../src/admin/kit').AdminKit) => {
  const r = Router();
  r.get('/admin/demo', kit.requireRole(), (req, res) => {
    res.send(
      kit.page(req, {
        title: 'Thử <b>',
        active: 'analytics',
        flash: { kind: 'success', text: 'Đã lưu <i>x</i>' },
        body: html`<form method="post">${kit.csrfField(req)}<p>${'<img src=x onerror=alert(1)>'}</p></form>`,
        scripts: ['/admin/assets/analytics/charts.js', '/admin/assets/analytics/extra.css'],
      }),
    );
  });
  return [r];
};

describeEachDatabase('admin layout', (getDb) => {
  const db = () => getDb().database.db;

  it('renders a complete, escaped, CSP-clean page with navigation for the role', async () => {
    const { app } = createAdminTestApp(db(), { routers: demoRouter });
    for (const role of Object.keys(NAV_BY_ROLE) as Role[]) {
      const me = await createOfficial(db(), { role, name: `Tên <${role}>` });
      const { agent, csrfToken } = await signIn(request.agent(app), me.email, me.password);
      const res = await agent.get('/admin/demo');
      expect(res.status).toBe(200);
      const page = res.text;
      expect(page.startsWith('<!doctype html>\n<html lang="vi"')).toBe(true);
      expect(page).toContain('Trợ lý Một cửa — Bộ phận Một cửa');
      const nav = /<nav id="site-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(page)![1]!;
      expect([...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1])).toEqual(NAV_BY_ROLE[role]);
      expect(nav.includes('aria-current="page"')).toBe(role === 'viewer' || role === 'officer' || role === 'admin');
      expect(page).toContain(`Tên &lt;${role}&gt;`);
      expect(page).toContain('<h1 class="page-title">Thử &lt;b&gt;</h1>');
      expect(page).toContain('Đã lưu &lt;i&gt;x&lt;/i&gt;');
      expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(page).toContain(`<input type="hidden" name="_csrf" value="${csrfToken}">`);
      expect(page).toMatch(/<form method="post" action="\/admin\/logout"[\s\S]*?name="_csrf"/);
      expect(page).toContain('<script src="/admin/assets/analytics/charts.js" defer></script>');
      expect(page).toContain('<link rel="stylesheet" href="/admin/assets/analytics/extra.css">');
      for (const landmark of ['<header', '<nav', '<main id="main"', '<footer', 'class="skip-link" href="#main"']) expect(page).toContain(landmark);
    }
  });

  it('has no inline script, style attribute or event handler on any page of the auth component', async () => {
    const { app } = createAdminTestApp(db());
    const me = await createOfficial(db(), { role: 'admin' });
    const pages = ['/admin/login', '/admin/login?signedOut=1'].map((p) => request(app).get(p));
    const { agent } = await signIn(request.agent(app), me.email, me.password);
    const signedIn = ['/admin', '/admin/account/password', '/admin/users', '/admin/users/new', `/admin/users/${me.id}`, '/admin/audit', '/admin/nowhere'];
    const texts = [...(await Promise.all(pages)).map((r) => r.text), ...(await Promise.all(signedIn.map((p) => agent.get(p)))).map((r) => r.text)];
    expect(texts).toHaveLength(9);
    for (const text of texts) {
      expect(text).toMatch(/<html lang="vi"/);
      expect(text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(text).not.toMatch(/\sstyle=/);
      expect(text).not.toMatch(/\son[a-z]+=/);
      expect(text).not.toMatch(/https?:\/\//);
    }
  });

  it('sends the security headers on /admin responses and serves the stylesheet and script locally', async () => {
    const { app } = createAdminTestApp(db());
    for (const path of ['/admin/login', '/admin', '/admin/nowhere', '/admin/assets/admin.css']) {
      const res = await request(app).get(path);
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
      );
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      if (!path.startsWith('/admin/assets/')) expect(res.headers['cache-control']).toBe('no-store');
    }
    const css = await request(app).get('/admin/assets/admin.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/text\/css/);
    for (const cls of ['.card', '.grid', '.toolbar', 'table.data', '.btn.primary', '.btn.danger', '.badge.ok', '.badge.warn', '.badge.muted', '.form-row', '.field-error', '.muted', '.chat-log', '.bubble.in', '.bubble.out', '.bubble.official']) {
      expect([cls, css.text.includes(cls)]).toEqual([cls, true]);
    }
    const js = await request(app).get('/admin/assets/admin.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    const notFound = await request(app).get('/admin/nowhere');
    expect(notFound.status).toBe(404);
    expect(notFound.text).toContain('Không tìm thấy trang');
  });
});
