/**
 * The Messenger `ChannelSender`: renders a channel-neutral reply into Send API messages and sends
 * them in order, in the mode the policy chose.
 *
 * One outbox message may need several Send API calls (long text, more than three buttons). If a later
 * part fails, the outbox retries the whole message; to avoid showing the person the first parts
 * twice, the ids of parts already delivered are remembered per `dedupeKey` in this process and a
 * retry resumes after them. (After a restart the memory is gone and a retry re-sends from the first
 * part — a rare, visible duplicate rather than a lost message.)
 */
import type { AxiosInstance } from 'axios';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import { replySchema } from '../../conversation/types';
import { SendError, type ChannelSender, type OutboundMessage, type OutboundPurpose, type SendMode } from '../types';
import { createMessengerClient, type NotificationType } from './client';
import { isVietnamNight } from './policy';
import { EmptyReplyError, renderReply, type GraphMessage } from './render';

export interface MessengerSenderDeps {
  config: Config['messenger'];
  logger: Logger;
  /** axios instance for the Send API (tests, proxies). */
  http?: AxiosInstance;
  /** Per-request timeout (default 10 s). */
  timeoutMs?: number;
  /** Text of extra button templates when a reply has more than three buttons (default '…'). */
  continuationText?: string;
  /** Clock, for the night-time silent push (tests). */
  now?: () => Date;
}

/** Purposes the person did not just ask for: sent without sound at night. */
const PROACTIVE: ReadonlySet<OutboundPurpose> = new Set(['reminder', 'broadcast', 'appointment_update']);
/** Bound on remembered partial sends (oldest forgotten first). */
const MAX_PARTIAL = 1000;

/**
 * Creates the Messenger sender. `send` resolves with the Send API `message_id` — when the reply took
 * several messages, their ids joined with ',' in order — or throws `SendError`:
 * 'permanent' for content Messenger cannot carry (ZNS template, no PSID, invalid or empty reply,
 * a non-Messenger mode), otherwise as classified from Graph's answer (see `errors.ts`).
 */
export function createMessengerSender(deps: MessengerSenderDeps): ChannelSender {
  const logger = deps.logger.child({ component: 'messenger-sender' });
  const client = createMessengerClient({ config: deps.config, http: deps.http, timeoutMs: deps.timeoutMs });
  const now = deps.now ?? (() => new Date());
  const partial = new Map<string, { parts: number; ids: string[] }>();

  function render(message: OutboundMessage): GraphMessage[] {
    if (message.content.type !== 'reply') {
      throw new SendError('permanent', 'templates are a Zalo feature (ZNS); Messenger cannot send them');
    }
    const parsed = replySchema.safeParse(message.content.reply);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new SendError('permanent', `invalid reply: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unknown'}`);
    }
    try {
      return renderReply(parsed.data, {
        continuationText: deps.continuationText,
        onDegrade: (what) => logger.warn({ dedupeKey: message.dedupeKey }, `messenger: ${what}`),
      });
    } catch (err) {
      if (err instanceof EmptyReplyError) throw new SendError('permanent', err.message);
      throw err;
    }
  }

  return {
    channel: 'messenger',
    async send(message: OutboundMessage, mode: SendMode) {
      if (mode.via !== 'messenger') throw new SendError('permanent', `send mode ${mode.via} is not a Messenger mode`);
      const recipientId = message.recipient.userId;
      if (!recipientId) throw new SendError('permanent', 'no Messenger PSID for this recipient');
      const messages = render(message);
      const notificationType: NotificationType | undefined =
        PROACTIVE.has(message.purpose) && isVietnamNight(now()) ? 'SILENT_PUSH' : undefined;

      const earlier = partial.get(message.dedupeKey);
      const ids = earlier && earlier.parts === messages.length ? [...earlier.ids] : [];
      if (ids.length > 0) logger.info({ dedupeKey: message.dedupeKey, resumeAt: ids.length }, 'messenger: resuming a partly sent reply');
      for (let i = ids.length; i < messages.length; i++) {
        const part = messages[i] as GraphMessage;
        try {
          const { messageId } = await client.sendMessage({
            recipientId,
            messagingType: mode.messagingType,
            tag: mode.messagingType === 'MESSAGE_TAG' ? mode.tag : undefined,
            notificationType,
            message: part,
          });
          ids.push(messageId);
        } catch (err) {
          // A permanent failure is never retried: nothing to resume later.
          if (err instanceof SendError && err.kind === 'permanent') partial.delete(message.dedupeKey);
          throw err;
        }
        if (i < messages.length - 1) remember(partial, message.dedupeKey, { parts: messages.length, ids: [...ids] });
      }
      partial.delete(message.dedupeKey);
      logger.debug({ dedupeKey: message.dedupeKey, parts: ids.length }, 'messenger: sent');
      return { platformMessageId: ids.join(',') };
    },
  };
}

function remember(map: Map<string, { parts: number; ids: string[] }>, key: string, value: { parts: number; ids: string[] }): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_PARTIAL) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
}
