/**
 * Assembles the web process's request handler: the platforms' webhook POSTs answered first
 * (./webhooks.ts), everything else by the express app built from the components' routers.
 */
import type { RequestListener } from 'node:http';
import express from 'express';
import type { Database } from '../db';
import type { Conversation, Understanding } from '../conversation';
import type { Translator } from '../i18n';
import type { Logger } from '../logger';
import type { Config } from '../config';
import type { AcceptInbound } from '../channels/types';
import { MESSENGER_WEBHOOK_PATH, messengerVerificationRouter, messengerWebhookReceiver } from '../channels/messenger';
import { webchatRouter } from '../channels/webchat/routes';
import { zaloWebhookReceiver } from '../channels/zalo';
import { mountAdmin } from '../admin';
import { appraisalRouter, type AppraisalService } from '../appraisal';
import { payloadTooLarge, JSON_BODY_LIMIT } from './body-limits';
import { errorHandler, notFound } from './errors';
import { healthRouter } from './health';
import { metricsRouter } from './metrics';
import { nluRouter } from './nlu-routes';
import { requestLog, requestLogger } from './request-log';
import { securityHeaders, securityHeaderSet, type HeaderSet } from './security-headers';
import { webhookPosts } from './webhooks';

export interface AppDeps {
  database: Database;
  conversation: Conversation;
  nlu: Understanding;
  i18n: Translator;
  logger: Logger;
  /** Flipped on SIGTERM so `/readyz` tells the load balancer to stop sending traffic. */
  state: { shuttingDown: boolean };
  /** Stores channel webhooks' events before they are acknowledged. */
  accept: AcceptInbound;
  config: Config;
  /** The knowledge base was edited in the console. */
  onKnowledgeBaseChanged: () => void;
  /** An official's reply was queued. */
  onOutbound: () => void;
  /** The public appraisal API and `.ics` files (absent: not mounted). */
  appraisal?: { service: AppraisalService; linkSecret: string };
}

/** The handler to serve: `http.createServer(createApp(deps))`. */
export function createApp(deps: AppDeps): RequestListener {
  const headers = securityHeaderSet({ appBaseUrl: deps.config.appBaseUrl });
  const messengerLogger = deps.logger.child({ channel: 'messenger' });
  const webhooks = webhookPosts(
    [
      zaloWebhookReceiver({ config: deps.config.zalo, accept: deps.accept, logger: deps.logger.child({ channel: 'zalo' }) }),
      messengerWebhookReceiver({ config: deps.config.messenger, accept: deps.accept, logger: messengerLogger }),
    ],
    { securityHeaders: headers, logRequest: requestLogger(deps.logger), i18n: deps.i18n, logger: deps.logger },
  );
  const app = expressApp(deps, headers, messengerLogger);
  return (req, res) => {
    if (!webhooks(req, res)) app(req, res);
  };
}

function expressApp(deps: AppDeps, headers: HeaderSet, messengerLogger: Logger) {
  const app = express();
  app.disable('x-powered-by');
  // Every response here is made per request (console pages carry a fresh CSRF token; the chat and
  // the APIs answer this request), so a weak ETag would never match yet be hashed on every
  // response. Static files (express.static) keep their own ETag.
  app.set('etag', false);
  // Client addresses (per-address limits, sign-in throttling) come from X-Forwarded-For only through
  // the proxies TRUST_PROXY names; by default the socket address is the client.
  app.set('trust proxy', deps.config.trustProxy);
  app.use(requestLog(deps.logger));
  app.use(securityHeaders(headers));
  app.use(MESSENGER_WEBHOOK_PATH, messengerVerificationRouter({ config: deps.config.messenger, logger: messengerLogger }));
  app.use(express.json({ limit: JSON_BODY_LIMIT }));
  app.get('/', (_req, res) => res.redirect('/chat'));
  app.use(healthRouter(deps.database, deps.state));
  app.use(metricsRouter(deps.database));
  app.use(
    webchatRouter({
      conversation: deps.conversation,
      i18n: deps.i18n,
      limits: {
        perSessionPerMinute: deps.config.limits.webchatPerSessionPerMinute,
        perAddressPerMinute: deps.config.limits.webchatPerAddressPerMinute,
      },
    }),
  );
  app.use(nluRouter(deps.nlu));
  if (deps.appraisal) {
    app.use(
      appraisalRouter({
        db: deps.database.db,
        service: deps.appraisal.service,
        i18n: deps.i18n,
        linkSecret: deps.appraisal.linkSecret,
        appBaseUrl: deps.config.appBaseUrl,
        ratePerMinute: deps.config.appraisal.apiRatePerMinute,
      }),
    );
  }
  mountAdmin(app, {
    db: deps.database.db,
    i18n: deps.i18n,
    logger: deps.logger,
    config: deps.config,
    onKnowledgeBaseChanged: deps.onKnowledgeBaseChanged,
    onOutbound: deps.onOutbound,
  });
  app.use(notFound);
  // Over a body limit: 413 with a clear message (see body-limits.ts), before the generic handler.
  app.use(payloadTooLarge(deps.i18n));
  app.use(errorHandler(deps.logger));
  return app;
}
