/** Assembles the express app from the components' routers. */
import express, { type Express } from 'express';
import type { Database } from '../db';
import type { Conversation, Understanding } from '../conversation';
import type { Translator } from '../i18n';
import type { Logger } from '../logger';
import { webchatRouter } from '../channels/webchat/routes';
import { errorHandler, notFound } from './errors';
import { healthRouter } from './health';
import { nluRouter } from './nlu-routes';
import { requestLog } from './request-log';

export interface AppDeps {
  database: Database;
  conversation: Conversation;
  nlu: Understanding;
  i18n: Translator;
  logger: Logger;
  /** Flipped on SIGTERM so `/readyz` tells the load balancer to stop sending traffic. */
  state: { shuttingDown: boolean };
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestLog(deps.logger));
  app.use(express.json({ limit: '100kb' }));
  app.get('/', (_req, res) => res.redirect('/chat'));
  app.use(healthRouter(deps.database, deps.state));
  app.use(webchatRouter({ conversation: deps.conversation, i18n: deps.i18n }));
  app.use(nluRouter(deps.nlu));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
