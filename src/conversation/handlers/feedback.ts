/** Satisfaction rating (1–5) with an optional comment, stored for the office's SIPAS-style reports. */
import { ratePayload, SKIP_COMMENT } from '../payloads';
import type { Turn } from '../turn';
import type { Reply } from '../types';

export function askRating(turn: Turn): Reply[] {
  const { i18n } = turn.deps;
  turn.context.awaiting = 'rating';
  const quickReplies = [5, 4, 3, 2, 1].map((n) => ({ title: i18n.t('feedback.star', { n }), payload: ratePayload(n) }));
  return [{ text: i18n.t('feedback.ask'), quickReplies }];
}

/** A typed answer to the rating question: "5", "4 sao", "5/5". */
export function ratingFromText(text: string): number | undefined {
  const m = /^\s*([1-5])\s*(?:\/\s*5|sao|\*|★|điểm|diem)?\s*[.!]?\s*$/i.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Ratings up to this are followed up by an official: the conversation joins the inbox queue. */
export const LOW_RATING_MAX = 2;

export async function recordRating(turn: Turn, rating: number): Promise<Reply[]> {
  const { i18n, store } = turn.deps;
  turn.context.feedbackId = await store.addRating(turn.conversation.id, rating, turn.context.procedure);
  const followUp = rating <= LOW_RATING_MAX && turn.conversation.status === 'bot';
  if (followUp) {
    turn.statusChange = { status: 'waiting_human', at: turn.now };
    turn.context.handoffReason = 'low_rating';
  }
  turn.context.awaiting = 'rating_comment';
  // Say honestly that an official will follow up, since the conversation now sits in their queue.
  const text = [i18n.t('feedback.askComment', { n: rating }), ...(followUp ? [i18n.t('feedback.officialFollowUp')] : [])].join('\n');
  return [{ text, quickReplies: [{ title: i18n.t('feedback.skip'), payload: SKIP_COMMENT }] }];
}

export async function recordComment(turn: Turn, comment: string | undefined): Promise<Reply[]> {
  const { i18n, store } = turn.deps;
  const id = turn.context.feedbackId;
  turn.context.awaiting = undefined;
  turn.context.feedbackId = undefined;
  if (id === undefined || !comment) return [{ text: i18n.t('feedback.thanksNoComment') }];
  await store.addRatingComment(id, comment.slice(0, 2000));
  return [{ text: i18n.t('feedback.thanks') }];
}
