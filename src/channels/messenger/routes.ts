/**
 * `GET|POST /webhooks/messenger` (DESIGN.md §4.2, §5).
 *
 * GET is Meta's subscription handshake: `hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`; we
 * echo the challenge when the token matches (developers.facebook.com/docs/graph-api/webhooks/
 * getting-started, "Verification Requests").
 *
 * POST carries event notifications. The signature covers the raw bytes, so this route reads the body
 * itself with `rawBody` (src/http/raw-body.ts) — it must be mounted BEFORE any app-wide `express.json()`, which would
 * consume the stream first (we detect that and answer 500 rather than accept unverifiable input).
 * Events are stored through `accept` before we answer 200; if storing fails we answer 500 so Meta
 * redelivers (redeliveries are deduplicated on `platformEventId` by the store).
 */
import { timingSafeEqual } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { WEBHOOK_BODY_LIMIT_BYTES } from '../../http/body-limits';
import { rawBody } from '../../http/raw-body';
import type { Logger } from '../../logger';
import type { AcceptInbound } from '../types';
import { MESSENGER_SIGNATURE_HEADER, verifyMessengerSignature } from './signature';
import { MessengerWebhookError, parseMessengerWebhook } from './webhook';

export const MESSENGER_WEBHOOK_PATH = '/webhooks/messenger';

export interface MessengerWebhookDeps {
  config: Config['messenger'];
  /** Stores the events durably (deduplicated); resolves only once they are safe. */
  accept: AcceptInbound;
  logger: Logger;
}

const NOT_CONFIGURED = { error: 'messenger channel is not configured' };

/**
 * The Messenger webhook router, to mount at `MESSENGER_WEBHOOK_PATH` (other requests then pass it
 * by without entering it). Answers:
 * - GET: 200 text/plain challenge when `hub.mode=subscribe` and the verify token matches, else 403.
 * - POST: 401 (nothing accepted) on a missing/invalid `X-Hub-Signature-256`; 400 on malformed JSON or
 *   an `object` other than `page`; 200 `EVENT_RECEIVED` once `accept` resolved (also when the batch
 *   held nothing we answer, e.g. only read receipts); 500 when `accept` throws, so Meta retries.
 * - 404 `{error}` for both when no app secret is configured (channel off).
 */
export function messengerWebhookRouter(deps: MessengerWebhookDeps): Router {
  const { config, accept } = deps;
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

  router.post('/', rawBody(WEBHOOK_BODY_LIMIT_BYTES), async (req: Request, res: Response) => {
    const appSecret = config.appSecret;
    if (!appSecret) {
      res.status(404).json(NOT_CONFIGURED);
      return;
    }
    const body: unknown = req.body;
    if (body !== undefined && !Buffer.isBuffer(body)) {
      logger.error('messenger: request body was parsed before the webhook route; mount messengerWebhookRouter before express.json()');
      res.status(500).json({ error: 'webhook misconfigured' });
      return;
    }
    const raw = body ?? Buffer.alloc(0);
    if (!verifyMessengerSignature(raw, req.headers[MESSENGER_SIGNATURE_HEADER], appSecret)) {
      logger.warn({ hasSignature: req.headers[MESSENGER_SIGNATURE_HEADER] !== undefined, bytes: raw.length }, 'messenger: rejected a webhook with a missing or invalid signature');
      res.status(401).json({ error: 'invalid signature' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      res.status(400).json({ error: 'malformed JSON' });
      return;
    }
    let events;
    try {
      events = parseMessengerWebhook(json, logger);
    } catch (err) {
      if (err instanceof MessengerWebhookError) {
        res.status(400).json({ error: err.message });
        return;
      }
      throw err;
    }
    try {
      if (events.length > 0) await accept(events);
    } catch (err) {
      logger.error({ err, events: events.length }, 'messenger: storing inbound events failed; answering 500 so Meta redelivers');
      res.status(500).json({ error: 'could not store events, retry later' });
      return;
    }
    logger.debug({ events: events.length }, 'messenger: webhook accepted');
    res.status(200).type('text/plain').send('EVENT_RECEIVED');
  });

  return router;
}

/** Constant-time comparison of the verify token (only its length can leak, which is no secret worth keeping). */
function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}
