/** The appraisal-booking flow (issue 6). Until it is built, its intents get the honest "not here yet" answer. */
import type { ConversationFlow } from '../../flow';
import { notOnThisChannel } from '../smalltalk';

export const appraisalFlow: ConversationFlow = {
  payloadPrefix: 'APPR',
  intents: ['appraisal.book', 'appraisal.reschedule', 'appraisal.cancel', 'appraisal.status'],
  onIntent: async (turn) => notOnThisChannel(turn, 'appraisal'),
  onPayload: async (turn) => notOnThisChannel(turn, 'appraisal'),
  onText: async () => undefined,
};
