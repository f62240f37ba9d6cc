/**
 * `POST /webhooks/zalo` (DESIGN.md §4.2): verify, parse, store, then answer.
 *
 * Zalo expects a 200 within ~2 s and retries otherwise (30 s, 5 min, 15 min, …; Zalo docs "Webhook",
 * spec §13.2), so the receiver only verifies the signature, parses, and hands the events to `accept`
 * (a database insert); the conversation runs later. A 200 is only answered once the events are
 * stored: if storing fails we answer 500 and Zalo's retry brings the event back.
 *
 * Served by src/http/webhooks.ts, which reads the exact bytes the signature covers.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { AcceptInbound, WebhookAnswer, WebhookReceiver } from '../types';
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

const refuse = (status: number, error: string): WebhookAnswer => ({ status, json: { error } });
const STORED: WebhookAnswer = { status: 200, json: {} };

/**
 * The Zalo OA webhook. Answers 200 `{}` once the events are stored (or when the event is one we
 * ignore, e.g. a delivery receipt); 401 on a missing or wrong `X-ZEvent-Signature`; 400 on a body
 * that is not a JSON object or not a Zalo event; 500 when storing fails, so Zalo retries; 404 while
 * the channel is not configured.
 */
export function zaloWebhookReceiver(deps: ZaloWebhookDeps): WebhookReceiver {
  const log = deps.logger.child({ component: 'zalo-webhook' });
  const { appId, oaSecretKey, oaId } = deps.config;
  const keys = appId && oaSecretKey ? { appId, oaSecretKey, oaId } : undefined;

  async function receive(raw: Buffer, headers: IncomingHttpHeaders): Promise<WebhookAnswer> {
    if (!keys) return refuse(404, 'zalo channel is not configured');
    const header = headers['x-zevent-signature'];
    if (typeof header !== 'string' || header === '') {
      log.warn('zalo webhook without signature refused');
      return refuse(401, 'missing X-ZEvent-Signature');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return refuse(400, 'body is not valid JSON');
    }
    if (!isPlainObject(body)) return refuse(400, 'body is not a JSON object');
    const timestamp = bodyTimestamp(body);
    const matched = timestamp ? verifyZaloSignature({ header, rawBody: raw, timestamp, ...keys }) : null;
    if (!matched) {
      log.warn({ event: zaloEventName(body) }, 'zalo webhook with a wrong signature refused');
      return refuse(401, 'invalid signature');
    }
    if (matched === 'oa_id') log.info('zalo webhook signature matched with the OA id as first term');

    let events;
    try {
      events = parseZaloEvent(body);
    } catch (err) {
      if (!(err instanceof ZaloWebhookShapeError)) throw err;
      log.warn({ err: err.message }, 'malformed zalo event refused');
      return refuse(400, err.message);
    }
    if (events.length === 0) {
      log.info({ event: zaloEventName(body) }, 'zalo event acknowledged and ignored');
      return STORED;
    }
    try {
      await deps.accept(events);
    } catch (err) {
      // Never 200 for something not stored: Zalo retries on a non-200.
      log.error({ err, event: zaloEventName(body) }, 'could not store zalo event');
      return refuse(500, 'could not store the event, retry later');
    }
    return STORED;
  }

  return { path: ZALO_WEBHOOK_PATH, receive };
}
