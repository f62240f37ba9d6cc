/**
 * The console's page layout: a complete HTML5 document with the header, role-based navigation,
 * the signed-in official and a logout form, the flash message and `<main>`. Everything is
 * server-rendered through `html`, works without JavaScript, and loads only local assets, so it
 * runs under the console's strict Content-Security-Policy.
 */
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import type { Official, PageOptions } from '../kit';
import { navFor, roleLabel } from './nav';

export const STYLESHEET = '/admin/assets/admin.css';
/** Tiny enhancement script: collapses the navigation behind a button on narrow screens. */
export const LAYOUT_SCRIPT = '/admin/assets/admin.js';

export interface LayoutContext {
  /** Absent on the sign-in page and on error pages shown before sign-in. */
  official?: Official;
  csrfToken?: string;
}

/** Local asset URLs only: a page can never pull a script from another host. */
function assetTag(src: string): Html {
  if (!src.startsWith('/') || src.startsWith('//')) throw new Error(`page asset must be a local path: ${src}`);
  return src.endsWith('.css') ? html`<link rel="stylesheet" href="${src}">` : html`<script src="${src}" defer></script>`;
}

function header(i18n: Translator, ctx: LayoutContext, active: string | undefined): Html {
  const official = ctx.official;
  const nav = official
    ? html`<nav id="site-nav" class="site-nav" aria-label="${i18n.t('admin-layout.navLabel')}"><ul>${navFor(i18n, official.role).map(
        (item) =>
          html`<li><a href="${item.href}"${item.key === active ? html` aria-current="page"` : ''}>${item.label}</a></li>`,
      )}</ul></nav>`
    : '';
  const user = official
    ? html`<div class="user-box">
        <span class="user-name">${official.name}</span>
        <span class="badge muted">${roleLabel(i18n, official.role)}</span>
        <a href="/admin/account/password">${i18n.t('admin-layout.changePassword')}</a>
        <form method="post" action="/admin/logout" class="logout-form">
          <input type="hidden" name="_csrf" value="${ctx.csrfToken ?? ''}">
          <button type="submit" class="btn small">${i18n.t('admin-layout.logout')}</button>
        </form>
      </div>`
    : '';
  return html`<header class="site-header">
    <div class="header-bar">
      <a class="brand" href="/admin">${i18n.t('admin-layout.productName')}</a>
      ${official
        ? html`<button type="button" class="nav-toggle btn small" aria-controls="site-nav" aria-expanded="false">${i18n.t('admin-layout.menu')}</button>`
        : ''}
      ${user}
    </div>
    ${nav}
  </header>`;
}

function flashBlock(flash: PageOptions['flash']): Html | '' {
  if (!flash) return '';
  // Errors interrupt (alert); confirmations are announced politely (status).
  return flash.kind === 'error'
    ? html`<div class="flash error" role="alert">${flash.text}</div>`
    : html`<div class="flash success" role="status">${flash.text}</div>`;
}

/** Renders a whole page. `ctx.official` decides the navigation; without it the page is "bare" (sign-in, errors). */
export function renderPage(i18n: Translator, ctx: LayoutContext, options: PageOptions): string {
  const doc = html`<!doctype html>
<html lang="vi" class="no-js">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${ctx.csrfToken ? html`<meta name="csrf-token" content="${ctx.csrfToken}">` : ''}
<title>${options.title} · ${i18n.t('admin-layout.shortName')}</title>
<link rel="stylesheet" href="${STYLESHEET}">
<script src="${LAYOUT_SCRIPT}" defer></script>
${(options.scripts ?? []).map(assetTag)}
</head>
<body class="${ctx.official ? 'signed-in' : 'bare'}">
<a class="skip-link" href="#main">${i18n.t('admin-layout.skipToContent')}</a>
${header(i18n, ctx, options.active)}
<main id="main" tabindex="-1">
<h1 class="page-title">${options.title}</h1>
${flashBlock(options.flash)}
${options.body}
</main>
<footer class="site-footer"><p>${i18n.t('admin-layout.footer')}</p></footer>
</body>
</html>
`;
  return doc.value;
}
