/** Greetings, thanks, goodbyes, and what to say when we did not understand. */
import { HANDOFF, menuPayload } from '../payloads';
import { apprPayload } from './appraisal/payloads';
import type { Turn } from '../turn';
import type { QuickReply, Reply } from '../types';

/** After this many unanswered messages in a row, an official is offered. */
export const FALLBACKS_BEFORE_HUMAN = 2;
/** After this many, the conversation joins the officials' queue by itself: the person is stuck. */
export const FALLBACKS_BEFORE_QUEUE = 3;

export function mainMenu(turn: Turn): QuickReply[] {
  const { i18n } = turn.deps;
  return [
    { title: i18n.t('menu.procedures'), payload: menuPayload('procedures') },
    { title: i18n.t('menu.hours'), payload: menuPayload('hours') },
    // Businesses come to book an appraisal as often as citizens come to ask: one tap starts it.
    { title: i18n.t('menu.book'), payload: apprPayload({ kind: 'book' }) },
    { title: i18n.t('menu.human'), payload: HANDOFF },
  ];
}

export function welcome(turn: Turn): Reply[] {
  return [{ text: turn.deps.i18n.t('smalltalk.welcome'), quickReplies: mainMenu(turn) }];
}

export function smalltalk(turn: Turn, intent: 'greeting' | 'thanks' | 'goodbye'): Reply[] {
  const { i18n } = turn.deps;
  if (intent === 'greeting') return [{ text: i18n.t('smalltalk.greeting'), quickReplies: mainMenu(turn) }];
  if (intent === 'thanks') return [{ text: i18n.t('smalltalk.thanks') }];
  return [
    {
      text: `${i18n.t('smalltalk.goodbye')}\n${i18n.t('smalltalk.ratePrompt')}`,
      quickReplies: [{ title: i18n.t('menu.rate'), payload: menuPayload('rate') }],
    },
  ];
}

/** Never a confident wrong answer: say we did not understand, and after repeated misses offer an official. */
export function fallback(turn: Turn, kind: 'notUnderstood' | 'outOfScope' | 'empty'): Reply[] {
  const { i18n } = turn.deps;
  turn.context.fallbacks += 1;
  if (turn.context.fallbacks >= FALLBACKS_BEFORE_QUEUE && turn.conversation.status === 'bot') {
    turn.statusChange = { status: 'waiting_human', at: turn.now };
    turn.context.handoffReason = 'fallbacks';
    return [{ text: i18n.t('fallback.queuedForOfficial'), quickReplies: mainMenu(turn).filter((q) => q.payload !== HANDOFF) }];
  }
  if (turn.context.fallbacks >= FALLBACKS_BEFORE_HUMAN && turn.conversation.status === 'bot') {
    return [{ text: i18n.t('fallback.offerHuman'), quickReplies: mainMenu(turn) }];
  }
  return [{ text: i18n.t(`fallback.${kind}`), quickReplies: mainMenu(turn) }];
}

/** Intents another channel flow serves (booking, licences): say so and offer an official. */
export function notOnThisChannel(turn: Turn, topic: 'appraisal' | 'licence'): Reply[] {
  const { i18n } = turn.deps;
  return [{ text: i18n.t(`unavailable.${topic}`), quickReplies: [{ title: i18n.t('menu.human'), payload: HANDOFF }] }];
}
