/**
 * What a recipient receives: the official's text as one channel-neutral `Reply`, with the quick reply
 * that lets them stop announcements (`BCAST:optout`, handled by the conversation's broadcast flow).
 * The console's preview renders this same reply, so what an official sees is what citizens get.
 */
import type { OutboundMessage } from '../channels/types';
import type { Reply } from '../conversation/types';
import type { Translator } from '../i18n';
import type { BroadcastChannel } from './segment';

/** Payload prefix of the broadcast flow (without the colon). */
export const BROADCAST_PAYLOAD_PREFIX = 'BCAST';
export const OPT_OUT_PAYLOAD = `${BROADCAST_PAYLOAD_PREFIX}:optout`;
export const OPT_IN_PAYLOAD = `${BROADCAST_PAYLOAD_PREFIX}:optin`;

/**
 * Longest announcement text: a Zalo customer-service message takes 2,000 characters (longer is
 * rejected, not cut) and Messenger "less than 2000"; one bubble also reads better than a split one.
 */
export const MAX_BROADCAST_CHARS = 2000;
/** Longest internal title (lists and audit only; citizens never see it). */
export const MAX_TITLE_CHARS = 200;

/** The reply every recipient gets. */
export function broadcastReply(text: string, i18n: Translator): Reply {
  return {
    text: text.normalize('NFC'),
    quickReplies: [{ title: i18n.t('broadcasts.optOut.quickReply'), payload: OPT_OUT_PAYLOAD }],
  };
}

/** One outbox key per broadcast and person: a re-run, a second worker or a restart never sends twice. */
export function broadcastDedupeKey(broadcastId: string, channel: string, channelUserId: string): string {
  return `broadcast:${broadcastId}:${channel}:${channelUserId}`;
}

/** The prefix every outbox key of one broadcast starts with. */
export function broadcastDedupePrefix(broadcastId: string): string {
  return `broadcast:${broadcastId}:`;
}

export function broadcastOutbound(broadcastId: string, channel: BroadcastChannel, channelUserId: string, reply: Reply): OutboundMessage {
  return {
    dedupeKey: broadcastDedupeKey(broadcastId, channel, channelUserId),
    channel,
    recipient: { userId: channelUserId },
    content: { type: 'reply', reply },
    purpose: 'broadcast',
  };
}
