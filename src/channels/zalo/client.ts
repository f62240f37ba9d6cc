/**
 * Zalo OA customer-service messages and ZNS template messages over axios.
 *
 * - CS: `POST {apiBaseUrl}/v3.0/oa/message/cs`, header `access_token`, body
 *   `{recipient:{user_id}, message:{text, attachment?}}` -> `{error:0, data:{message_id, user_id}}`
 *   (Zalo docs "Gửi tin Tư vấn", spec §5.3).
 * - ZNS: `POST {znsBaseUrl}/message/template`, header `access_token`, body
 *   `{phone:"84…", template_id, template_data, tracking_id}` -> `{error:0, data:{msg_id, sent_time,
 *   quota}}` (Zalo docs "Gửi ZNS", spec §7.3; `tracking_id` ≤ 48 characters).
 * Every call: a non-zero `error` is an error even with HTTP 200. A token error (-216/-220/-124) makes
 * the token source refresh (or pick up a pair another process already rotated) and the call is
 * retried exactly once; a second token error is 'auth'.
 */
import type { AxiosInstance } from 'axios';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { Reply } from '../types';
import { TOKEN_ERROR_CODES, zaloSendError } from './errors';
import { createZaloHttp, postForEnvelope, type ZaloEnvelope } from './http';
import { renderCsMessages, type CsMessage } from './render';

/** Where access tokens come from (the token store in production, anything in tests). */
export interface ZaloTokenSource {
  getAccessToken(): Promise<string>;
  /** `failedToken` was refused by Zalo: resolve with a working one (refreshing only if nobody else did). */
  refreshAfterFailure(failedToken: string): Promise<string>;
}

export interface ZaloClientOptions {
  config: Pick<Config['zalo'], 'apiBaseUrl' | 'znsBaseUrl'>;
  tokens: ZaloTokenSource;
  logger: Logger;
  http?: AxiosInstance;
  /** The clock, for night and quota waits (tests pin it). */
  now?: () => Date;
}

export type ZnsTemplateData = Record<string, string | number>;

export interface ZaloClient {
  /** Sends a reply as one or more CS messages (see `render.ts`); resolves with their ids joined by ",". */
  sendCsMessage(userId: string, reply: Reply): Promise<string>;
  /** Sends one already-rendered CS message; resolves with Zalo's `data.message_id`. */
  postCsMessage(userId: string, message: CsMessage): Promise<string>;
  /** Sends a ZNS template message to `phone84` (84… form); resolves with Zalo's `data.msg_id`. */
  sendZns(phone84: string, templateId: string, templateData: ZnsTemplateData, trackingId: string): Promise<string>;
}

const join = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;

/** The platform id from a success envelope: `message_id` (OA) or `msg_id` (ZNS). */
function messageIdOf(envelope: ZaloEnvelope): string | undefined {
  const id = envelope.data?.message_id ?? envelope.data?.msg_id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

export function createZaloClient(opts: ZaloClientOptions): ZaloClient {
  const http = opts.http ?? createZaloHttp();
  const now = opts.now ?? (() => new Date());
  const log = opts.logger.child({ component: 'zalo-client' });

  /** One authenticated call with the refresh-once rule; resolves with the platform message id. */
  async function call(what: string, url: string, body: unknown): Promise<string> {
    const send = (token: string) => postForEnvelope(http, url, body, { access_token: token, 'Content-Type': 'application/json' });
    const token = await opts.tokens.getAccessToken();
    let envelope = await send(token);
    if (TOKEN_ERROR_CODES.has(envelope.error)) {
      log.warn({ what, code: envelope.error }, 'zalo token refused: refreshing and retrying once');
      envelope = await send(await opts.tokens.refreshAfterFailure(token));
    }
    if (envelope.error !== 0) {
      const err = zaloSendError(envelope.error, envelope.message, now());
      log.warn({ what, code: envelope.error, kind: err.kind, zaloMessage: envelope.message }, 'zalo send failed');
      throw err;
    }
    const id = messageIdOf(envelope);
    if (!id) {
      // Sent (error 0), so failing here would only make the outbox send it twice.
      log.warn({ what, data: envelope.data }, 'zalo accepted the message but returned no message id');
      return 'unknown';
    }
    return id;
  }

  const client: ZaloClient = {
    postCsMessage(userId, message) {
      return call('cs', join(opts.config.apiBaseUrl, '/v3.0/oa/message/cs'), { recipient: { user_id: userId }, message });
    },
    async sendCsMessage(userId, reply) {
      const messages = renderCsMessages(reply, (title, why) => log.warn({ title, why }, 'reply option not sent as a Zalo button'));
      const ids: string[] = [];
      for (const m of messages) ids.push(await client.postCsMessage(userId, m));
      return ids.join(',');
    },
    sendZns(phone84, templateId, templateData, trackingId) {
      // ZNS shows parameters as text; the documented examples send every value as a string.
      const data = Object.fromEntries(Object.entries(templateData).map(([k, v]) => [k, String(v)]));
      return call('zns', join(opts.config.znsBaseUrl, '/message/template'), {
        phone: phone84,
        template_id: templateId,
        template_data: data,
        tracking_id: trackingId,
      });
    },
  };
  return client;
}
