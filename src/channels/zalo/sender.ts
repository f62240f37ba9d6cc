/**
 * The Zalo `ChannelSender`: the outbox hands it a message and the mode the policy chose.
 * - `zalo_cs`: the reply as CS messages to `recipient.userId`.
 * - `zalo_zns`: the template as a ZNS message to `recipient.phone` (0… -> 84…), `tracking_id` =
 *   the outbox dedupe key, so Zalo's delivery receipt (`user_received_message`) names our row.
 *
 * A long reply is several CS messages. If one of them fails (rate limit, network), the outbox
 * retries the whole message; the sender remembers, per dedupe key and within this process, which
 * pieces already went out and resumes after them, so a retry does not repeat the first bubbles.
 */
import { createHash } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import type { Config } from '../../config';
import type { Db } from '../../db';
import type { Logger } from '../../logger';
import { SendError, type ChannelSender, type OutboundMessage, type SendMode } from '../types';
import { createZaloClient, type ZaloClient } from './client';
import { createZaloHttp } from './http';
import { toZnsPhone } from './phone';
import { MAX_CS_TEXT, MORE_OPTIONS_TEXT, renderCsMessages, type CsMessage } from './render';

/** Zalo's "parameters are invalid" answers (-201) and "exceeds allowable limit" (-210). */
const INVALID_PARAMETER_CODES = new Set([-201, -210]);
import { createZaloTokenStore, type ZaloTokenStore } from './token-store';

export interface ZaloSenderOptions {
  config: Config['zalo'];
  db: Db;
  logger: Logger;
  /** An axios instance (tests may pass one with a short timeout). */
  http?: AxiosInstance;
  now?: () => Date;
}

export interface ZaloSender extends ChannelSender {
  tokens: ZaloTokenStore;
  client: ZaloClient;
}

/** ZNS accepts a `tracking_id` of at most 48 characters without special characters (spec §7.3). */
const TRACKING_ID = /^[A-Za-z0-9_.:-]{1,48}$/;

/** The dedupe key itself when ZNS accepts it, else a stable digest of it (same key, same id). */
export function znsTrackingId(dedupeKey: string): string {
  if (TRACKING_ID.test(dedupeKey)) return dedupeKey;
  return `k_${createHash('sha256').update(dedupeKey).digest('base64url').slice(0, 43)}`;
}

/** How many partially sent replies are remembered (oldest forgotten first). */
const MAX_PROGRESS = 1000;

export function isZaloSendConfigured(config: Config['zalo']): boolean {
  return Boolean(config.appId && config.appSecret);
}

export function createZaloSender(opts: ZaloSenderOptions): ZaloSender {
  const http = opts.http ?? createZaloHttp();
  const log = opts.logger.child({ component: 'zalo-sender' });
  const tokens = createZaloTokenStore({ config: opts.config, db: opts.db, logger: opts.logger, http, now: opts.now });
  const client = createZaloClient({ config: opts.config, tokens, logger: opts.logger, http, now: opts.now });
  /** dedupeKey -> ids of the pieces already delivered. */
  const progress = new Map<string, string[]>();

  async function sendCs(message: OutboundMessage): Promise<string> {
    const { content, recipient } = message;
    if (content.type !== 'reply') throw new SendError('permanent', 'a ZNS template cannot be sent as a CS message');
    if (!recipient.userId) throw new SendError('permanent', 'no Zalo user id for a CS message');
    const pieces = renderCsMessages(content.reply, (title, why) => log.warn({ title, why, dedupeKey: message.dedupeKey }, 'option not sent as a button'));
    const sent = progress.get(message.dedupeKey) ?? [];
    for (let i = sent.length; i < pieces.length; i++) {
      const piece = pieces[i];
      if (!piece) break;
      sent.push(await postWithFallback(recipient.userId, piece));
      if (i < pieces.length - 1) {
        progress.delete(message.dedupeKey);
        progress.set(message.dedupeKey, sent);
        if (progress.size > MAX_PROGRESS) progress.delete(progress.keys().next().value ?? '');
      }
    }
    progress.delete(message.dedupeKey);
    return sent.join(',');
  }

  /**
   * Posts one piece; if Zalo refuses its buttons as invalid parameters (the CS button shape is not
   * formally documented on v3.0), sends the same piece as plain text with the options listed as
   * lines. Typing an option's title back works, because the titles are phrases the NLU understands.
   */
  async function postWithFallback(userId: string, piece: CsMessage): Promise<string> {
    try {
      return await client.postCsMessage(userId, piece);
    } catch (err) {
      if (!piece.attachment || !(err instanceof SendError) || !INVALID_PARAMETER_CODES.has(Number(err.platformCode))) throw err;
      log.warn({ code: err.platformCode }, 'Zalo refused the buttons: sending the options as text');
      const options = piece.attachment.payload.buttons
        .map((b) => (b.type === 'oa.open.url' ? `• ${b.title}: ${b.payload.url}` : `• ${b.title}`))
        .join('\n');
      const text = piece.text === MORE_OPTIONS_TEXT ? options : `${piece.text}\n${options}`;
      return client.postCsMessage(userId, { text: text.slice(0, MAX_CS_TEXT) });
    }
  }

  async function sendZns(message: OutboundMessage, templateId: string): Promise<string> {
    const { content, recipient } = message;
    if (content.type !== 'template') throw new SendError('permanent', 'only a template can be sent by ZNS');
    const phone = recipient.phone ? toZnsPhone(recipient.phone) : undefined;
    if (!phone) throw new SendError('permanent', 'no valid Vietnamese phone number for ZNS');
    return client.sendZns(phone, templateId, content.data, znsTrackingId(message.dedupeKey));
  }

  return {
    channel: 'zalo',
    tokens,
    client,
    async send(message: OutboundMessage, mode: SendMode) {
      if (message.channel !== 'zalo') throw new SendError('permanent', `not a Zalo message (channel ${message.channel})`);
      if (!isZaloSendConfigured(opts.config)) throw new SendError('auth', 'Zalo channel is not configured (ZALO_APP_ID / ZALO_APP_SECRET)');
      let id: string;
      try {
        if (mode.via === 'zalo_cs') id = await sendCs(message);
        else if (mode.via === 'zalo_zns') id = await sendZns(message, mode.templateId);
        else throw new SendError('permanent', `send mode ${mode.via} is not a Zalo mode`);
      } catch (err) {
        if (err instanceof SendError) throw err;
        // E.g. the token table unreachable: the contract is SendError only, and this is worth a retry.
        throw new SendError('transient', `zalo send failed: ${(err as Error).message}`);
      }
      log.debug({ dedupeKey: message.dedupeKey, via: mode.via, platformMessageId: id }, 'zalo message sent');
      return { platformMessageId: id };
    },
  };
}
