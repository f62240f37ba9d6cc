/**
 * `GET /webhooks/messenger` (DESIGN.md §4.2, §5): Meta's subscription handshake,
 * `hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`; we echo the challenge when the token
 * matches (developers.facebook.com/docs/graph-api/webhooks/getting-started, "Verification Requests").
 * The POSTs that carry events are `messengerWebhookReceiver` (./receiver.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import type { Logger } from '../../logger';

export const MESSENGER_WEBHOOK_PATH = '/webhooks/messenger';

export const NOT_CONFIGURED = { error: 'messenger channel is not configured' };

/**
 * The handshake router, to mount at `MESSENGER_WEBHOOK_PATH`: 200 text/plain challenge when
 * `hub.mode=subscribe` and the verify token matches, else 403; 404 `{error}` when no app secret is
 * configured (channel off).
 */
export function messengerVerificationRouter(deps: { config: Config['messenger']; logger: Logger }): Router {
  const { config } = deps;
  const logger = deps.logger.child({ component: 'messenger-webhook' });
  const router = Router();

  router.get('/', (req: Request, res: Response) => {
    if (!config.appSecret) {
      res.status(404).json(NOT_CONFIGURED);
      return;
    }
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    const tokenOk = typeof token === 'string' && !!config.verifyToken && safeEqual(token, config.verifyToken);
    if (mode !== 'subscribe' || !tokenOk) {
      logger.warn({ mode: typeof mode === 'string' ? mode : undefined }, 'messenger: verification refused (mode or verify token wrong)');
      res.status(403).type('text/plain').send('verification failed');
      return;
    }
    if (typeof challenge !== 'string' || challenge === '') {
      res.status(400).type('text/plain').send('hub.challenge is missing');
      return;
    }
    logger.info('messenger: webhook subscription verified');
    // text/plain + nosniff: the echoed value can never be interpreted as markup by a browser.
    res.status(200).set('X-Content-Type-Options', 'nosniff').type('text/plain').send(challenge);
  });

  return router;
}

/** Constant-time comparison of the verify token (only its length can leak, which is no secret worth keeping). */
function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
