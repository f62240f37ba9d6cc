/**
 * The channels this deployment has: each configured platform's policy and sender, for the outbox.
 * A platform without credentials is simply absent (its webhook answers 404, nothing is sent to it).
 */
import type { Config } from '../config';
import type { Db } from '../db';
import type { Logger } from '../logger';
import { createMessengerSender, MessengerPolicy } from './messenger';
import type { Channel, ChannelPolicy, ChannelSender } from './types';
import { createZaloPolicy, createZaloSender, isZaloSendConfigured } from './zalo';

export type ChannelRegistry = Partial<Record<Channel, { policy: ChannelPolicy; sender: ChannelSender }>>;

export function configuredChannels(config: Config, db: Db, logger: Logger): ChannelRegistry {
  const channels: ChannelRegistry = {};
  if (isZaloSendConfigured(config.zalo)) {
    channels.zalo = { policy: createZaloPolicy(), sender: createZaloSender({ config: config.zalo, db, logger }) };
  }
  if (config.messenger.pageAccessToken) {
    channels.messenger = {
      policy: new MessengerPolicy({
        humanAgentTagApproved: config.messenger.humanAgentTagApproved,
        confirmedEventUpdateTag: config.messenger.confirmedEventUpdateTag,
      }),
      sender: createMessengerSender({ config: config.messenger, logger }),
    };
  }
  return channels;
}
