/** `GET /admin`: the landing page — who is signed in, and a card for each section their role opens. */
import { Router } from 'express';
import type { Translator } from '../../i18n';
import { html } from '../html';
import type { AdminKit } from '../kit';
import { navFor, roleLabel } from '../layout/nav';

function descriptions(i18n: Translator): Record<string, string> {
  return {
    procedures: i18n.t('admin-auth.dashboard.procedures'),
    offices: i18n.t('admin-auth.dashboard.offices'),
    inbox: i18n.t('admin-auth.dashboard.inbox'),
    analytics: i18n.t('admin-auth.dashboard.analytics'),
    users: i18n.t('admin-auth.dashboard.users'),
    audit: i18n.t('admin-auth.dashboard.audit'),
  };
}

export function dashboardRouter(deps: { kit: AdminKit; i18n: Translator }): Router {
  const { kit, i18n } = deps;
  const router = Router();
  router.get('/admin', kit.requireRole(), (req, res) => {
    const me = req.official!;
    const text = descriptions(i18n);
    const sections = navFor(i18n, me.role).filter((item) => item.key !== 'dashboard');
    const body = html`<p class="lead">${i18n.t('admin-auth.dashboard.greeting', { name: me.name })}
        <span class="badge">${roleLabel(i18n, me.role)}</span></p>
      <p class="muted">${i18n.t('admin-auth.dashboard.signedInAs', { email: me.email })}</p>
      ${sections.length === 0
        ? html`<p class="card">${i18n.t('admin-auth.dashboard.nothingYet')}</p>`
        : html`<ul class="grid cards">${sections.map(
            (s) => html`<li class="card"><h2><a href="${s.href}">${s.label}</a></h2><p class="muted">${text[s.key] ?? ''}</p></li>`,
          )}</ul>`}
      <p><a href="/admin/account/password">${i18n.t('admin-layout.changePassword')}</a></p>`;
    res.type('html').send(kit.page(req, { title: i18n.t('admin-auth.dashboard.title'), active: 'dashboard', body }));
  });
  return router;
}
