/**
 * The officials' console assembled: security headers, form parsing, sessions and CSRF for /admin,
 * then the feature routers (accounts, knowledge base, inbox, analytics) built on one `AdminKit`.
 */
import type { Express } from 'express';
import type { Config } from '../config';
import type { Db } from '../db';
import type { Translator } from '../i18n';
import type { Logger } from '../logger';
import { adminMiddleware, adminNotFound, authRouter, createAdminKit } from './auth';
import { analyticsRouter } from './analytics';
import { broadcastsRouter } from './broadcasts';
import { appraisalConsoleRouter } from './appraisal';
import { createAppraisalService, resolveLinkSecret, type AppraisalService } from '../appraisal';
import { inboxRouter, webchatOfficialRepliesRouter } from './inbox';
import { knowledgeBaseRouter } from './knowledge-base';
import { licencesRouter } from './licences';
import { privacyRouter } from './privacy';

export { ensureFirstAdmin } from './auth';

export interface AdminDeps {
  db: Db;
  i18n: Translator;
  logger: Logger;
  config: Config;
  /** The knowledge base changed: refresh what the bot knows of procedures. */
  onKnowledgeBaseChanged: () => void;
  /** An official's reply was queued: wake the outbox. */
  onOutbound: () => void;
  /** The app's appraisal service; one is made from `db` and `config` when absent. */
  appraisal?: AppraisalService;
}

export function mountAdmin(app: Express, deps: AdminDeps): void {
  const { db, i18n, logger, config } = deps;
  // Cookies marked Secure only when the public URL is https (a plain-http laptop demo must still work).
  const secureCookies = config.appBaseUrl.startsWith('https://');
  const kit = createAdminKit({ db, i18n, logger: logger.child({ component: 'admin' }), secureCookies });
  // The citizen-facing half of the hand-over: the web chat fetches officials' replies.
  app.use(webchatOfficialRepliesRouter({ db, i18n }));
  app.use(adminMiddleware({ db, i18n, secureCookies }));
  app.use(authRouter({ db, kit, i18n, logger: logger.child({ component: 'admin-auth' }), secureCookies }));
  app.use(
    knowledgeBaseRouter({
      db,
      kit,
      i18n,
      appBaseUrl: config.appBaseUrl,
      zaloOaId: config.zalo.oaId,
      messengerPageId: config.messenger.pageId,
      onChange: deps.onKnowledgeBaseChanged,
    }),
  );
  app.use(inboxRouter({ db, kit, i18n, logger: logger.child({ component: 'admin-inbox' }), onOutbound: deps.onOutbound }));
  app.use(
    analyticsRouter({
      db,
      kit,
      i18n,
      intentsDir: config.paths.intentsDir,
      onAliasAdded: deps.onKnowledgeBaseChanged,
      onTrainingDataChanged: () => logger.info('intent training data changed: the NLU retrains at next start'),
      logger: logger.child({ component: 'admin-analytics' }),
    }),
  );
  const appraisal =
    deps.appraisal ??
    createAppraisalService(db, { linkSecret: resolveLinkSecret(config).secret, i18n, znsReminderTemplate: config.zns.appraisalReminderTemplate });
  app.use(appraisalConsoleRouter({ db, kit, i18n, logger: logger.child({ component: 'admin-appraisal' }), service: appraisal, onOutbound: deps.onOutbound }));
  app.use(broadcastsRouter({ db, kit, i18n, logger: logger.child({ component: 'admin-broadcasts' }), onOutbound: deps.onOutbound }));
  app.use(licencesRouter({ db, kit, i18n }));
  app.use(privacyRouter({ db, kit, i18n, logger: logger.child({ component: 'admin-privacy' }), retention: config.retention }));
  app.use(adminNotFound(i18n));
}
