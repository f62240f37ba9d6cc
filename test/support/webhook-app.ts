/**
 * An HTTP server's handler serving channel webhook receivers as src/http/app.ts does (ahead of
 * express), with an express app behind for everything else: for the channels' own tests.
 */
import type { RequestListener } from 'node:http';
import path from 'node:path';
import express from 'express';
import type { WebhookReceiver } from '../../src/channels/types';
import { PROJECT_ROOT } from '../../src/config';
import { loadTranslator } from '../../src/i18n';
import { errorHandler } from '../../src/http/errors';
import { webhookPosts } from '../../src/http/webhooks';
import { createLogger } from '../../src/logger';

export function webhookApp(receivers: WebhookReceiver[], options: { routes?: (app: express.Express) => void } = {}): RequestListener {
  const logger = createLogger('silent');
  const webhooks = webhookPosts(receivers, {
    securityHeaders: { set: [], remove: [] },
    logRequest: () => undefined,
    i18n: loadTranslator(path.join(PROJECT_ROOT, 'locales')),
    logger,
  });
  const app = express();
  options.routes?.(app);
  app.use(errorHandler(logger));
  return (req, res) => {
    if (!webhooks(req, res)) app(req, res);
  };
}
