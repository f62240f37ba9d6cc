/**
 * The licence flow (issue 7): linking this chat to a licence (`reminder.subscribe`), the expiry of
 * linked licences (`licence.expiry`) and stopping reminders (`reminder.unsubscribe`). While it waits
 * for a licence number, a phone or a code, it reads the person's next messages; "hủy" abandons,
 * and any other confident intent leaves the flow (its state is kept, so the person can come back).
 */
import type { Parse } from '../../../nlu/types';
import { foldVietnamese } from '../../../nlu';
import { codeInText } from '../../../licences/linking';
import { MIN_INTENT_SCORE } from '../../engine';
import type { ConversationFlow } from '../../flow';
import type { Turn } from '../../turn';
import type { Reply } from '../../types';
import { answerExpiry } from './expiry';
import { readState, setPending, type Pending } from './state';
import { answerCode, cancel, subscribe } from './subscribe';
import { stopReminders } from './unsubscribe';

const entity = (parse: Parse, type: 'licence_number' | 'phone'): string | undefined => parse.entities.find((e) => e.type === type)?.value;

/** Ways of saying "stop this" (folded, trailing politeness particles dropped). */
const CANCEL_WORDS = new Set(['huy', 'huy bo', 'thoi', 'thoi khong', 'thoi khong can', 'dung lai', 'khong', 'bo qua', 'cancel', 'stop']);

export function isCancel(text: string): boolean {
  const folded = foldVietnamese(text).replace(/[^a-z ]/g, ' ').replace(/\s+/g, ' ').trim().replace(/( (a|nhe|nha|di|ad|em))+$/, '');
  return CANCEL_WORDS.has(folded);
}

/**
 * A licence number typed on its own when we asked for one: the NLU only recognises coded numbers
 * ("45/GP-UBND") or numbers after "số", but a bare "0012345" is an answer here.
 */
function bareLicenceNumber(text: string): string | undefined {
  const t = text.trim();
  return /^[\p{L}\p{N}][\p{L}\p{N}/.-]{2,39}$/u.test(t) && /\d/.test(t) ? t : undefined;
}

/** The message while we wait: the thing we asked for, or undefined when it is not for us. */
async function onAwaited(turn: Turn, pending: Pending, text: string, parse: Parse): Promise<Reply[] | undefined> {
  const number = entity(parse, 'licence_number');
  const phone = entity(parse, 'phone');
  if (pending.step === 'code') {
    const code = codeInText(text);
    if (code && !phone && !number) return answerCode(turn, pending, code);
  }
  if (number || phone) return subscribe(turn, number, phone);
  if (pending.step === 'number') {
    const bare = bareLicenceNumber(text);
    if (bare) return subscribe(turn, bare, undefined);
  }
  if (parse.intent !== 'none' && parse.score >= MIN_INTENT_SCORE) return undefined;
  const { i18n } = turn.deps;
  if (pending.step === 'code') return [{ text: i18n.t('licence-chat.askCode') }];
  if (pending.step === 'phone' && /\d{6,}/.test(text.replace(/[\s.-]/g, ''))) return [{ text: i18n.t('licence-chat.invalidPhone') }];
  return [{ text: i18n.t(pending.step === 'phone' ? 'licence-chat.stillWaiting.phone' : 'licence-chat.stillWaiting.number') }];
}

export const licenceFlow: ConversationFlow = {
  payloadPrefix: 'LIC',
  intents: ['licence.expiry', 'reminder.subscribe', 'reminder.unsubscribe'],

  async onIntent(turn, parse) {
    const number = entity(parse, 'licence_number');
    if (parse.intent === 'licence.expiry') return answerExpiry(turn, number);
    if (parse.intent === 'reminder.unsubscribe') return stopReminders(turn, number);
    return subscribe(turn, number, entity(parse, 'phone'));
  },

  async onPayload(turn, rest) {
    const colon = rest.indexOf(':');
    const action = colon < 0 ? rest : rest.slice(0, colon);
    const argument = colon < 0 ? undefined : rest.slice(colon + 1);
    switch (action) {
      case 'cancel':
        return cancel(turn);
      case 'newcode': {
        const pending = readState(turn).pending;
        return subscribe(turn, pending?.number, pending?.phone);
      }
      case 'resubscribe':
        setPending(turn, undefined);
        return subscribe(turn);
      default:
        // 'subscribe', with the licence number the person asked about when there was one.
        return subscribe(turn, argument || undefined);
    }
  },

  async onText(turn, text, parse) {
    const pending = readState(turn).pending;
    if (!pending) return undefined;
    if (isCancel(text)) {
      turn.understood = { intent: 'reminder.subscribe', score: 1, procedure: null };
      return cancel(turn);
    }
    const replies = await onAwaited(turn, pending, text, parse);
    if (replies) {
      // An answer to our own question: understood, whatever the classifier made of "0912345678".
      turn.understood = { intent: 'reminder.subscribe', score: 1, procedure: null };
      turn.context.fallbacks = 0;
    }
    return replies;
  },

  async onContactShared(turn) {
    // We asked for the phone of a licence: the phone the platform just confirmed may prove it.
    const pending = readState(turn).pending;
    if (pending?.step !== 'phone' || !pending.number) return undefined;
    turn.understood = { intent: 'reminder.subscribe', score: 1, procedure: null };
    return subscribe(turn, pending.number, undefined);
  },
};
