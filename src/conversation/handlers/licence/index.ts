/** The licence flow (issue 7): expiry questions and reminder (un)subscription. Until it is built, the honest "not here yet" answer. */
import type { ConversationFlow } from '../../flow';
import { notOnThisChannel } from '../smalltalk';

export const licenceFlow: ConversationFlow = {
  payloadPrefix: 'LIC',
  intents: ['licence.expiry', 'reminder.subscribe', 'reminder.unsubscribe'],
  onIntent: async (turn) => notOnThisChannel(turn, 'licence'),
  onPayload: async (turn) => notOnThisChannel(turn, 'licence'),
  onText: async () => undefined,
};
