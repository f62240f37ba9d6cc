/**
 * The Send API over axios: one `POST {graphApiBaseUrl}/{graphApiVersion}/me/messages?access_token=…`
 * per message (Send API reference, developers.facebook.com/docs/messenger-platform/reference/send-api).
 *
 * Request: `{recipient:{id: PSID}, messaging_type, tag?, notification_type?, message}`.
 * Success: HTTP 200 `{recipient_id, message_id}`. Failure: see `errors.ts`.
 *
 * When the app secret is known we also send `appsecret_proof` = HMAC-SHA256(access token, app secret),
 * which Graph checks (and requires once "Require App Secret" is on), so a leaked Page token alone
 * cannot send as the Page (Graph API "Securing Requests").
 *
 * axios never throws on HTTP status here (`validateStatus: () => true`), and axios errors are never
 * logged whole: their `config.url` would contain the access token.
 */
import { createHmac } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import type { Config } from '../../config';
import { SendError } from '../types';
import type { GraphMessage } from './render';
import { readGraphError, retryAfterFromHeaders, toSendError } from './errors';

export type MessagingType = 'RESPONSE' | 'UPDATE' | 'MESSAGE_TAG';
export type MessageTag = 'CONFIRMED_EVENT_UPDATE' | 'HUMAN_AGENT' | 'ACCOUNT_UPDATE' | 'POST_PURCHASE_UPDATE';
/**
 * Push behaviour of one message (Send API `notification_type`): REGULAR (sound/vibration),
 * SILENT_PUSH (on-screen notification only), NO_PUSH (none). Omitted = REGULAR.
 */
export type NotificationType = 'REGULAR' | 'SILENT_PUSH' | 'NO_PUSH';

export interface SendMessageRequest {
  /** The person's Page-scoped id. */
  recipientId: string;
  messagingType: MessagingType;
  /** Required with MESSAGE_TAG, forbidden otherwise. */
  tag?: MessageTag;
  notificationType?: NotificationType;
  message: GraphMessage;
}

export interface MessengerClient {
  /**
   * Sends one message; resolves with Meta's `message_id`.
   * @throws SendError classified per `errors.ts` ('auth' when no Page token is configured).
   */
  sendMessage(request: SendMessageRequest): Promise<{ messageId: string }>;
}

export interface MessengerClientOptions {
  config: Config['messenger'];
  /** An axios instance to use (tests, proxies); default a fresh one. */
  http?: AxiosInstance;
  /** Per-request timeout; default 10 s — the outbox retries a timeout as 'transient'. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Creates the Send API client. The Page token is read from `config` at each call. */
export function createMessengerClient(options: MessengerClientOptions): MessengerClient {
  const { config } = options;
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const http = options.http ?? axios.create({ timeout });
  const url = `${config.graphApiBaseUrl.replace(/\/+$/, '')}/${config.graphApiVersion}/me/messages`;

  return {
    async sendMessage(request) {
      const token = config.pageAccessToken;
      if (!token) throw new SendError('auth', 'MESSENGER_PAGE_ACCESS_TOKEN is not set: Messenger cannot send');
      if ((request.messagingType === 'MESSAGE_TAG') !== (request.tag !== undefined)) {
        throw new SendError('permanent', 'a message tag goes with messaging_type MESSAGE_TAG, and only with it');
      }
      const params: Record<string, string> = { access_token: token };
      if (config.appSecret) params.appsecret_proof = createHmac('sha256', config.appSecret).update(token).digest('hex');
      const body = {
        recipient: { id: request.recipientId },
        messaging_type: request.messagingType,
        ...(request.tag ? { tag: request.tag } : {}),
        ...(request.notificationType ? { notification_type: request.notificationType } : {}),
        message: request.message,
      };

      let status: number;
      let data: unknown;
      let headers: Record<string, unknown>;
      try {
        const res = await http.post(url, body, {
          params,
          timeout,
          validateStatus: () => true,
          headers: { 'content-type': 'application/json' },
          // Graph answers JSON; an HTML error page from a proxy must not throw while parsing.
          transitional: { silentJSONParsing: true, forcedJSONParsing: true, clarifyTimeoutError: false },
        });
        status = res.status;
        data = res.data;
        headers = res.headers as Record<string, unknown>;
      } catch (err) {
        const e = err as { code?: string; message?: string };
        throw toSendError({ network: [e.code, e.message].filter(Boolean).join(': ') || 'request failed' });
      }

      if (status >= 200 && status < 300) {
        const id = (data as { message_id?: unknown } | null)?.message_id;
        if (typeof id === 'string' && id) return { messageId: id };
        throw new SendError('transient', `Graph API answered HTTP ${status} without a message_id`);
      }
      throw toSendError({ status, error: readGraphError(data), tag: request.tag, retryAfterMs: retryAfterFromHeaders(headers) });
    },
  };
}
