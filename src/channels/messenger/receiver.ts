/**
 * `POST /webhooks/messenger` (DESIGN.md §4.2, §5): event notifications.
 *
 * The signature (`X-Hub-Signature-256`) covers the exact bytes received, which src/http/webhooks.ts
 * reads for us. Events are stored through `accept` before we answer 200; if storing fails we answer
 * 500 so Meta redelivers (redeliveries are deduplicated on `platformEventId` by the store).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { AcceptInbound, WebhookAnswer, WebhookReceiver } from '../types';
import { MESSENGER_WEBHOOK_PATH, NOT_CONFIGURED } from './routes';
import { MESSENGER_SIGNATURE_HEADER, verifyMessengerSignature } from './signature';
import { MessengerWebhookError, parseMessengerWebhook } from './webhook';

export interface MessengerWebhookDeps {
  config: Config['messenger'];
  /** Stores the events durably (deduplicated); resolves only once they are safe. */
  accept: AcceptInbound;
  logger: Logger;
}

const refuse = (status: number, error: string): WebhookAnswer => ({ status, json: { error } });
const RECEIVED: WebhookAnswer = { status: 200, text: 'EVENT_RECEIVED' };

/**
 * The Messenger webhook's POST. Answers 200 `EVENT_RECEIVED` once `accept` resolved (also when the
 * batch held nothing we answer, e.g. only read receipts); 401 (nothing accepted) on a missing or
 * invalid `X-Hub-Signature-256`; 400 on malformed JSON or an `object` other than `page`; 500 when
 * `accept` throws, so Meta retries; 404 while no app secret is configured (channel off).
 */
export function messengerWebhookReceiver(deps: MessengerWebhookDeps): WebhookReceiver {
  const { config, accept } = deps;
  const logger = deps.logger.child({ component: 'messenger-webhook' });

  async function receive(raw: Buffer, headers: IncomingHttpHeaders): Promise<WebhookAnswer> {
    const appSecret = config.appSecret;
    if (!appSecret) return { status: 404, json: NOT_CONFIGURED };
    if (!verifyMessengerSignature(raw, headers[MESSENGER_SIGNATURE_HEADER], appSecret)) {
      logger.warn({ hasSignature: headers[MESSENGER_SIGNATURE_HEADER] !== undefined, bytes: raw.length }, 'messenger: rejected a webhook with a missing or invalid signature');
      return refuse(401, 'invalid signature');
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      return refuse(400, 'malformed JSON');
    }
    let events;
    try {
      events = parseMessengerWebhook(json, logger);
    } catch (err) {
      if (err instanceof MessengerWebhookError) return refuse(400, err.message);
      throw err;
    }
    try {
      if (events.length > 0) await accept(events);
    } catch (err) {
      logger.error({ err, events: events.length }, 'messenger: storing inbound events failed; answering 500 so Meta redelivers');
      return refuse(500, 'could not store events, retry later');
    }
    logger.debug({ events: events.length }, 'messenger: webhook accepted');
    return RECEIVED;
  }

  return { path: MESSENGER_WEBHOOK_PATH, receive };
}
