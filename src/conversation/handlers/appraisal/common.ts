/** Small rules shared by the booking, change and status parts of the appraisal flow. */
import type { AppraisalService, Booking, BookingResult } from '../../../appraisal';
import type { Parse } from '../../../nlu/types';
import type { Turn } from '../../turn';
import { looksLikeAnotherTopic, mentionsAppraisal } from './reading';

/** The appraisal service on this turn's transaction, or undefined where booking is not offered. */
export const serviceOf = (turn: Turn): AppraisalService | undefined => turn.deps.appraisal?.(turn.deps.db);

/** Only the chat identity that booked may see the details of, move or cancel a booking from the chat. */
export const ownedBy = (turn: Turn, b: Booking): boolean =>
  b.channel === turn.conversation.channel && b.channelUserId === turn.conversation.channelUserId;

/** Below this an intent is not trusted to take the person out of the flow. */
export const LEAVE_SCORE = 0.5;
/**
 * A business name or an address can look like anything ("Cơm Bình Dân", "Chợ Mới"), so only a
 * near-certain other intent is taken as leaving the flow while one of them is asked.
 */
export const LEAVE_SCORE_FREE_TEXT = 0.9;

/**
 * The message is confidently about something other than appraisal: another intent scored high
 * enough AND the text reads like a question or remark of its own (see `looksLikeAnotherTopic`).
 */
export function isOtherIntent(parse: Parse, text: string, minScore = LEAVE_SCORE): boolean {
  const other = parse.intent !== 'none' && !parse.intent.startsWith('appraisal.') && parse.score >= minScore;
  return other && !mentionsAppraisal(text) && looksLikeAnotherTopic(text);
}

/** The message is an appraisal request of its own ("hủy lịch thẩm định", "lịch của tôi thế nào"). */
export function isAppraisalRequest(parse: Parse, text: string): boolean {
  return parse.intent.startsWith('appraisal.') && parse.score >= LEAVE_SCORE && mentionsAppraisal(text);
}

/** Records that a typed message was an answer within the flow (for the analytics and the inbox). */
export function understoodAsAnswer(turn: Turn, procedure: string | undefined): void {
  turn.understood = { intent: 'appraisal.answer', score: 1, procedure: procedure ?? null };
  turn.context.fallbacks = 0;
  turn.context.awaiting = undefined;
}

/** A booking code typed in a message ("TĐ-7K3M9Q", "td 7k3m9q"), as typed. */
export function typedBookingCode(text: string): string | undefined {
  return /(?:^|[^\p{L}\p{N}])(t[đd][\s\-_.]?[0-9a-z]{6})(?![\p{L}\p{N}])/iu.exec(text.normalize('NFC'))?.[1];
}

/**
 * The chosen slot's appraiser was just taken: worth asking again for the same time with any free
 * appraiser before offering other times, since the person chose a time, not a person.
 */
export const lostOnlyTheAppraiser = (result: BookingResult): boolean => !result.ok && result.reason === 'slot_taken';
