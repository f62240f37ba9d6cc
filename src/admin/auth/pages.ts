/** Small complete pages the auth component answers with: forbidden, not found, CSRF failure. */
import type { Request, Response } from 'express';
import type { Translator } from '../../i18n';
import { html } from '../html';
import { renderPage } from '../layout/page';

/** Answers with an error page in the layout (navigation shown when someone is signed in). */
export function sendErrorPage(
  res: Response,
  req: Request,
  i18n: Translator,
  status: number,
  content: { title: string; message: string; link?: { href: string; text: string } },
): void {
  const body = html`<section class="card">
    <p>${content.message}</p>
    ${content.link ? html`<p><a class="btn primary" href="${content.link.href}">${content.link.text}</a></p>` : ''}
  </section>`;
  res
    .status(status)
    .type('html')
    .send(renderPage(i18n, { official: req.official, csrfToken: req.csrfToken }, { title: content.title, body }));
}

export function sendForbidden(res: Response, req: Request, i18n: Translator): void {
  sendErrorPage(res, req, i18n, 403, {
    title: i18n.t('admin-auth.forbidden.title'),
    message: i18n.t('admin-auth.forbidden.message'),
    link: { href: '/admin', text: i18n.t('admin-auth.forbidden.back') },
  });
}

export function sendNotFound(res: Response, req: Request, i18n: Translator): void {
  sendErrorPage(res, req, i18n, 404, {
    title: i18n.t('admin-auth.notFound.title'),
    message: i18n.t('admin-auth.notFound.message'),
    link: { href: '/admin', text: i18n.t('admin-auth.forbidden.back') },
  });
}
