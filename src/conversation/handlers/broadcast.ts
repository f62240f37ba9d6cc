/**
 * The broadcast flow: every announcement carries the quick reply "Ngừng nhận thông báo"
 * (`BCAST:optout`). Tapping it records the opt-out for this channel identity — future segments and
 * the rest of a broadcast still being delivered leave the person out — and confirms it, offering the
 * way back (`BCAST:optin`). The flow serves no intent and never claims typed text.
 */
import { recordOptOut, removeOptOut, BROADCAST_PAYLOAD_PREFIX, OPT_IN_PAYLOAD, OPT_OUT_PAYLOAD } from '../../broadcasts';
import type { ConversationFlow } from '../flow';
import { fallback } from './smalltalk';

export const broadcastFlow: ConversationFlow = {
  payloadPrefix: BROADCAST_PAYLOAD_PREFIX,
  intents: [],
  onIntent: async () => [],
  async onPayload(turn, rest) {
    const { db, i18n } = turn.deps;
    const { channel, channelUserId } = turn.conversation;
    if (`${BROADCAST_PAYLOAD_PREFIX}:${rest}` === OPT_OUT_PAYLOAD) {
      const added = await recordOptOut(db, channel, channelUserId, turn.now);
      return [
        {
          text: i18n.t(added ? 'broadcasts.optOut.confirmed' : 'broadcasts.optOut.already'),
          quickReplies: [{ title: i18n.t('broadcasts.optIn.quickReply'), payload: OPT_IN_PAYLOAD }],
        },
      ];
    }
    if (`${BROADCAST_PAYLOAD_PREFIX}:${rest}` === OPT_IN_PAYLOAD) {
      const removed = await removeOptOut(db, channel, channelUserId);
      return [{ text: i18n.t(removed ? 'broadcasts.optIn.confirmed' : 'broadcasts.optIn.already') }];
    }
    return fallback(turn, 'notUnderstood');
  },
  onText: async () => undefined,
};
