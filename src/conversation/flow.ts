/**
 * A business flow the conversation hosts (appraisal booking, licence linking): it answers its
 * intents, its own quick-reply payloads (prefixed, e.g. `APPR:`), and — while it has asked a
 * question and is waiting for the answer — the person's next messages. A flow keeps its state in
 * its own field of the conversation context and validates it itself (a damaged state is dropped).
 */
import type { Parse } from '../nlu/types';
import type { Turn } from './turn';
import type { Reply } from './types';

export interface ConversationFlow {
  /** Payload prefix this flow issues (without the colon), e.g. `APPR`. */
  readonly payloadPrefix: string;
  /** Intents this flow serves (DESIGN.md §4.4). */
  readonly intents: readonly string[];
  /** The person asked for something this flow serves. */
  onIntent(turn: Turn, parse: Parse): Promise<Reply[]>;
  /** The person tapped one of this flow's payloads (`rest` is what follows `PREFIX:`). */
  onPayload(turn: Turn, rest: string): Promise<Reply[]>;
  /**
   * A typed message while this flow may be waiting for an answer. Returns the replies when the
   * message was for the flow, or undefined to let the conversation handle it as usual (the flow
   * may keep its state, so the person can come back to it).
   */
  onText(turn: Turn, text: string, parse: Parse): Promise<Reply[] | undefined>;
  /**
   * The person just shared their contact details through the platform (Zalo `user_submit_info`;
   * already stored in channel_contacts). Returns replies when the flow was waiting for that.
   */
  onContactShared?(turn: Turn): Promise<Reply[] | undefined>;
}
