/**
 * A test double of the console's `AdminKit` (the auth component's collaborator contract), so the
 * knowledge-base router is tested on its own against the real database: the role comes from an
 * `x-test-role` header, pages are the body in a bare HTML shell, the CSRF field is a fixed token, and
 * audit entries go to the real `audit_log` table.
 */
import { audit as writeAudit } from '../../../src/admin/auth';
import path from 'node:path';
import express from 'express';
import type { Request } from 'express';
import type { Db } from '../../../src/db';
import type { AdminKit, Role } from '../../../src/admin/kit';
import { ROLES } from '../../../src/admin/kit';
import { html } from '../../../src/admin/html';
import { loadTranslator, type Translator } from '../../../src/i18n';
import { knowledgeBaseRouter, type KnowledgeBaseDeps } from '../../../src/admin/knowledge-base';

export const TEST_CSRF = 'test-csrf-token';
export const OFFICIAL_ID = '00000000-0000-4000-8000-000000000001';

export const i18n: Translator = loadTranslator(path.resolve(__dirname, '../../../locales'));

export function testKit(): AdminKit {
  return {
    requireRole: (...roles: Role[]) => (req, res, next) => {
      const role = req.get('x-test-role') as Role | undefined;
      if (!role || !(ROLES as readonly string[]).includes(role)) {
        res.status(401).send('sign in required');
        return;
      }
      req.official = { id: OFFICIAL_ID, email: `${role}@example.test`, name: `Test ${role}`, role };
      req.csrfToken = TEST_CSRF;
      if (role !== 'admin' && !roles.includes(role)) {
        res.status(403).send('forbidden');
        return;
      }
      next();
    },
    page: (_req: Request, o) =>
      html`<!doctype html><html><head><title>${o.title}</title>${(o.scripts ?? []).map((s) => html`<script src="${s}"></script>`)}</head>
        <body><h1>${o.title}</h1>${o.flash ? html`<div class="flash ${o.flash.kind}">${o.flash.text}</div>` : ''}${o.body}</body></html>`.value,
    csrfField: (req) => html`<input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}">`,
    audit: writeAudit,
  };
}

/** An express app with only the knowledge-base router, and a counter of `onChange` calls. */
export function kbApp(db: Db, extra: Partial<KnowledgeBaseDeps> = {}) {
  const changes = { count: 0 };
  const app = express();
  app.use(
    knowledgeBaseRouter({
      db,
      kit: testKit(),
      i18n,
      appBaseUrl: 'https://motcua.example.gov.vn/',
      onChange: () => {
        changes.count += 1;
      },
      ...extra,
    }),
  );
  return { app, changes };
}

/** Every POST form of a page, so tests can check each carries the CSRF field. */
export function postForms(page: string): string[] {
  return [...page.matchAll(/<form\b[^>]*method="post"[\s\S]*?<\/form>/g)].map((m) => m[0]);
}

/** Decodes the few entities the `html` template produces, to read text back from a page. */
export function text(page: string): string {
  return page
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}
