/**
 * The knowledge-base console: procedures and offices (list, search, edit, retire), the chat preview,
 * import/export and QR posters. Mounted at the app root; every route requires the `officer` role
 * (admins pass), and every form posts the session's CSRF field.
 */
import path from 'node:path';
import express, { Router } from 'express';
import { ASSETS, type KnowledgeBaseDeps } from './deps';
import { officeRoutes } from './office-routes';
import { posterRoutes } from './poster';
import { procedureRoutes } from './procedure-routes';
import { transferRoutes } from './transfer-routes';

export type { KnowledgeBaseDeps } from './deps';

/** Large enough for a pasted knowledge-base file (the sample JSON is ~60 kB; offices keep hundreds). */
const FORM_LIMIT = '5mb';

/**
 * `knowledgeBaseRouter({ db, kit, i18n, appBaseUrl, zaloOaId?, messengerPageId?, onChange? })`:
 * `/admin/procedures…`, `/admin/offices…` and the static files under `/admin/assets/knowledge-base/`.
 */
export function knowledgeBaseRouter(deps: KnowledgeBaseDeps): Router {
  const router = Router();
  // Scripts and styles of these pages only; public like every console asset (no data in them).
  router.use(ASSETS, express.static(path.join(__dirname, 'public'), { fallthrough: false, index: false, maxAge: '1h' }));
  // Forms are parsed here, scoped to these paths and only for signed-in officers (nobody else gets
  // to make us read 5 MB); a body already parsed upstream is left as it is.
  const forms = express.urlencoded({ extended: false, limit: FORM_LIMIT, parameterLimit: 5000 });
  router.use(['/admin/procedures', '/admin/offices'], deps.kit.requireRole('officer'), forms);
  // Fixed paths (export.json, import) before `/:slug`, which would otherwise take them.
  router.use(transferRoutes(deps));
  router.use(posterRoutes(deps));
  router.use(procedureRoutes(deps));
  router.use(officeRoutes(deps));
  return router;
}
