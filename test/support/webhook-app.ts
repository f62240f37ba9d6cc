/**
 * An express app serving channel webhook receivers as src/http/app.ts does (the first layer, then
 * the app's error handler), without the rest of the app: for the channels' own tests.
 */
import express from 'express';
import type { WebhookReceiver } from '../../src/channels/types';
import { errorHandler } from '../../src/http/errors';
import { webhookPosts } from '../../src/http/webhooks';
import { createLogger } from '../../src/logger';

export function webhookApp(receivers: WebhookReceiver[], options: { jsonFirst?: boolean; before?: (app: express.Express) => void } = {}): express.Express {
  const app = express();
  if (options.jsonFirst) app.use(express.json());
  app.use(webhookPosts(receivers, { securityHeaders: { set: [], remove: [] }, logRequest: (_req, _res, next) => next() }));
  options.before?.(app);
  app.use(errorHandler(createLogger('silent')));
  return app;
}
