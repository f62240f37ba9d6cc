/** The `AdminKit` the feature routers build on (src/admin/kit.ts), backed by the auth component. */
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import type { Logger } from '../../logger';
import { html } from '../html';
import type { AdminKit, Role } from '../kit';
import { renderPage } from '../layout/page';
import { writeAudit } from './audit';
import { requireRole } from './rbac';

export interface AdminKitDeps {
  db: Db;
  i18n: Translator;
  logger: Logger;
  /** Cookies marked Secure (serve the console over HTTPS). */
  secureCookies: boolean;
}

export function createAdminKit(deps: AdminKitDeps): AdminKit {
  return {
    requireRole: (...roles: Role[]) => requireRole(deps.i18n, roles),
    page: (req, options) => renderPage(deps.i18n, { official: req.official, csrfToken: req.csrfToken }, options),
    csrfField: (req) => html`<input type="hidden" name="_csrf" value="${req.csrfToken ?? ''}">`,
    audit: (db, entry) => writeAudit(db, entry),
  };
}
