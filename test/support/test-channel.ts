/**
 * A channel for testing the outbox and the inbound pipeline without a platform: it implements the
 * channel contracts (policy and sender) and records what it was asked to send. Platform behaviour is
 * tested against the fake platform servers in test/fakes.
 */
import { SendError, type ChannelPolicy, type ChannelSender, type OutboundMessage, type PolicyDecision, type RecipientFacts, type SendMode } from '../../src/channels/types';

export interface RecordingChannel {
  policy: ChannelPolicy;
  sender: ChannelSender;
  sent: { message: OutboundMessage; mode: SendMode }[];
  /** Errors the next sends throw, in order. */
  failures: SendError[];
  decide: (m: OutboundMessage, facts: RecipientFacts) => PolicyDecision;
}

export function recordingChannel(channel: 'zalo' | 'messenger' = 'zalo'): RecordingChannel {
  let counter = 0;
  const rc: RecordingChannel = {
    sent: [],
    failures: [],
    decide: () => ({ action: 'send', mode: { via: 'zalo_cs' } }),
    policy: { decide: (m, facts) => rc.decide(m, facts) },
    sender: {
      channel,
      async send(message, mode) {
        const failure = rc.failures.shift();
        if (failure) throw failure;
        rc.sent.push({ message, mode });
        counter += 1;
        return { platformMessageId: `pm-${counter}` };
      },
    },
  };
  return rc;
}
