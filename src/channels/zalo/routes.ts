/**
 * `POST /webhooks/zalo` (DESIGN.md §4.2): verify, parse, store, then answer.
 *
 * Zalo expects a 200 within ~2 s and retries otherwise (30 s, 5 min, 15 min, …; Zalo docs "Webhook",
 * spec §13.2), so the handler only verifies the signature, parses, and hands the events to `accept`
 * (a database insert); the conversation runs later. A 200 is only sent once the events are stored:
 * if storing fails we answer 500 and Zalo's retry brings the event back.
 *
 * Mount it at `ZALO_WEBHOOK_PATH` (`app.use(ZALO_WEBHOOK_PATH, zaloWebhookRouter(…))`), so that
 * other requests pass it by without entering it, and BEFORE any JSON body parser: the signature is
 * over the raw bytes.
 */
import { Router, type ErrorRequestHandler } from 'express';
import type { Config } from '../../config';
import { WEBHOOK_BODY_LIMIT_BYTES } from '../../http/body-limits';
import { rawBody } from '../../http/raw-body';
import type { Logger } from '../../logger';
import type { AcceptInbound } from '../types';
import { verifyZaloSignature } from './signature';
import { parseZaloEvent, zaloEventName, ZaloWebhookShapeError } from './webhook';

export const ZALO_WEBHOOK_PATH = '/webhooks/zalo';

export interface ZaloWebhookDeps {
  config: Config['zalo'];
  accept: AcceptInbound;
  logger: Logger;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The `timestamp` the signature covers, as the exact string in the body. */
function bodyTimestamp(body: Record<string, unknown>): string | undefined {
  const ts = body.timestamp;
  if (typeof ts === 'string' && ts !== '') return ts;
  if (typeof ts === 'number' && Number.isFinite(ts)) return String(ts);
  return undefined;
}

/** The router for the Zalo OA webhook, to mount at `ZALO_WEBHOOK_PATH`; answers 404 while the channel is not configured. */
export function zaloWebhookRouter(deps: ZaloWebhookDeps): Router {
  const router = Router();
  const log = deps.logger.child({ component: 'zalo-webhook' });
  const { appId, oaSecretKey, oaId } = deps.config;
  const keys = appId && oaSecretKey ? { appId, oaSecretKey, oaId } : undefined;

  router.post(
    '/',
    (_req, res, next) => {
      if (!keys) {
        res.status(404).json({ error: 'zalo channel is not configured' });
        return;
      }
      next();
    },
    rawBody(WEBHOOK_BODY_LIMIT_BYTES),
    async (req, res) => {
      if (!keys) return;
      // No body at all (no Content-Type, nothing sent) leaves req.body undefined: that is empty bytes.
      const raw: unknown = req.body ?? Buffer.alloc(0);
      if (!Buffer.isBuffer(raw)) {
        // A JSON parser ran first: the raw bytes are gone and no signature can be checked.
        log.error('zalo webhook mounted after a body parser: cannot verify signatures');
        res.status(500).json({ error: 'webhook misconfigured' });
        return;
      }
      const header = req.get('x-zevent-signature');
      if (!header) {
        log.warn('zalo webhook without signature refused');
        res.status(401).json({ error: 'missing X-ZEvent-Signature' });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        res.status(400).json({ error: 'body is not valid JSON' });
        return;
      }
      if (!isPlainObject(body)) {
        res.status(400).json({ error: 'body is not a JSON object' });
        return;
      }
      const timestamp = bodyTimestamp(body);
      const matched = timestamp ? verifyZaloSignature({ header, rawBody: raw, timestamp, ...keys }) : null;
      if (!matched) {
        log.warn({ event: zaloEventName(body) }, 'zalo webhook with a wrong signature refused');
        res.status(401).json({ error: 'invalid signature' });
        return;
      }
      if (matched === 'oa_id') log.info('zalo webhook signature matched with the OA id as first term');

      let events;
      try {
        events = parseZaloEvent(body);
      } catch (err) {
        if (!(err instanceof ZaloWebhookShapeError)) throw err;
        log.warn({ err: err.message }, 'malformed zalo event refused');
        res.status(400).json({ error: err.message });
        return;
      }
      if (events.length === 0) {
        log.info({ event: zaloEventName(body) }, 'zalo event acknowledged and ignored');
        res.status(200).json({});
        return;
      }
      try {
        await deps.accept(events);
      } catch (err) {
        // Never 200 for something not stored: Zalo retries on a non-200.
        log.error({ err, event: zaloEventName(body) }, 'could not store zalo event');
        res.status(500).json({ error: 'could not store the event, retry later' });
        return;
      }
      res.status(200).json({});
    },
  );

  // Body-parser failures on this route (too large, unreadable) answer in JSON, not an HTML page.
  const onError: ErrorRequestHandler = (err: { status?: number; type?: string; message?: string }, _req, res, next) => {
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      res.status(err.status).json({ error: err.message ?? 'bad request' });
      return;
    }
    next(err);
  };
  router.use(onError);
  return router;
}
