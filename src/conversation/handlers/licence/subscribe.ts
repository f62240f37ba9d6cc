/**
 * `reminder.subscribe`: linking this chat to a licence. The person gives the licence number and the
 * registered phone (together or one after the other); the linking component decides whether that
 * proves anything. Every answer before the link is made is one of a few fixed texts that do not
 * depend on whether the number exists (see src/licences/linking/request.ts).
 */
import { HANDOFF } from '../../payloads';
import type { Turn } from '../../turn';
import type { QuickReply, Reply } from '../../types';
import { CODE_TTL_MS, checkCode, linkedLicences, normaliseLicenceNumber, requestLink, setReminders, type LinkedLicence } from '../../../licences/linking';
import { identityOf, readState, setPending, writeState, type Pending } from './state';

const MINUTES = CODE_TTL_MS / 60_000;

export const LINK_PAYLOAD = 'LIC:subscribe';
export const CANCEL_PAYLOAD = 'LIC:cancel';
export const NEW_CODE_PAYLOAD = 'LIC:newcode';
export const RESUBSCRIBE_PAYLOAD = 'LIC:resubscribe';

export function button(turn: Turn, key: 'link' | 'newCode' | 'cancel' | 'resubscribe', payload: string): QuickReply {
  return { title: turn.deps.i18n.t(`licence-chat.buttons.${key}`), payload };
}

export function humanButton(turn: Turn): QuickReply {
  return { title: turn.deps.i18n.t('menu.human'), payload: HANDOFF };
}

export function linkedReply(turn: Turn, licence: LinkedLicence): Reply[] {
  setPending(turn, undefined);
  return [{ text: turn.deps.i18n.t('licence-chat.linked', { number: licence.number, holder: licence.holderName }) }];
}

/**
 * Moves the linking on with what is known now: `number` and `phone` from this message, the rest
 * from what the person said before.
 */
export async function subscribe(turn: Turn, typedNumber?: string, typedPhone?: string): Promise<Reply[]> {
  const { db, i18n } = turn.deps;
  const who = identityOf(turn);
  const state = readState(turn);
  // Longer than any printed licence number: not one (and it would not fit the flow's state).
  const typed = typedNumber && typedNumber.length <= 60 ? normaliseLicenceNumber(typedNumber) : undefined;
  const number = typed ?? state.pending?.number;
  const phone = typedPhone ?? state.pending?.phone;
  const links = await linkedLicences(db, who);

  if (!number) {
    if (links.length > 0) {
      // "Nhắc hạn cho tôi" from someone already linked: switch their reminders back on.
      await setReminders(db, who, true, turn.now);
      setPending(turn, undefined);
      return [{ text: i18n.t('licence-chat.remindersOn', { numbers: links.map((l) => l.number).join(', ') }) }];
    }
    setPending(turn, { step: 'number', phone, decoyAttempts: 0 });
    return [{ text: i18n.t('licence-chat.askNumber'), quickReplies: [button(turn, 'cancel', CANCEL_PAYLOAD)] }];
  }
  const known = links.find((l) => l.number === number);
  if (known) {
    await setReminders(db, who, true, turn.now, [known.id]);
    setPending(turn, undefined);
    return [{ text: i18n.t('licence-chat.alreadyLinked', { number }) }];
  }

  const outcome = await requestLink(
    db,
    who,
    { number, phone, earlierRequests: state.codeRequests.map((at) => new Date(at)) },
    turn.now,
    (code, licenceNumber) => i18n.t('licence-chat.codeMessage', { code, number: licenceNumber, minutes: MINUTES }),
  );
  switch (outcome.kind) {
    case 'linked':
      return linkedReply(turn, outcome.licence);
    case 'need_phone':
      setPending(turn, { step: 'phone', number, decoyAttempts: 0 });
      return [{ text: i18n.t('licence-chat.askPhone'), quickReplies: [button(turn, 'cancel', CANCEL_PAYLOAD)] }];
    case 'code_pending': {
      const pending: Pending = { step: 'code', number, phone, codeId: outcome.codeId, requestedAt: turn.now.toISOString(), decoyAttempts: 0 };
      writeState(turn, { pending, codeRequests: [...state.codeRequests, turn.now.toISOString()] });
      return [{ text: i18n.t('licence-chat.codeSent', { minutes: MINUTES }), quickReplies: [button(turn, 'cancel', CANCEL_PAYLOAD)] }];
    }
    case 'cannot_verify':
      // Keep the number: a phone shared through Zalo's form, or another phone, continues from here.
      setPending(turn, { step: 'phone', number, decoyAttempts: 0 });
      return [{ text: i18n.t('licence-chat.cannotVerify'), quickReplies: [humanButton(turn), button(turn, 'cancel', CANCEL_PAYLOAD)] }];
    case 'rate_limited':
      setPending(turn, undefined);
      return [{ text: i18n.t('licence-chat.rateLimited'), quickReplies: [humanButton(turn)] }];
  }
}

/** The person typed a code while we waited for one. */
export async function answerCode(turn: Turn, pending: Pending, code: string): Promise<Reply[]> {
  const { db, i18n } = turn.deps;
  const checked = await checkCode(
    db,
    identityOf(turn),
    { codeId: pending.codeId, requestedAt: new Date(pending.requestedAt ?? 0), decoyAttempts: pending.decoyAttempts },
    code,
    turn.now,
  );
  switch (checked.result) {
    case 'linked':
      return linkedReply(turn, checked.licence);
    case 'wrong':
      setPending(turn, { ...pending, decoyAttempts: checked.decoyAttempts });
      return [{ text: i18n.t('licence-chat.wrongCode', { left: checked.attemptsLeft }), quickReplies: [button(turn, 'cancel', CANCEL_PAYLOAD)] }];
    case 'locked':
      setPending(turn, undefined);
      return [{ text: i18n.t('licence-chat.codeLocked'), quickReplies: [humanButton(turn)] }];
    case 'expired':
      // Kept as it is: "send a new code" asks again with the same number and phone.
      return [{ text: i18n.t('licence-chat.codeExpired'), quickReplies: [button(turn, 'newCode', NEW_CODE_PAYLOAD), button(turn, 'cancel', CANCEL_PAYLOAD)] }];
  }
}

export function cancel(turn: Turn): Reply[] {
  setPending(turn, undefined);
  return [{ text: turn.deps.i18n.t('licence-chat.cancelled') }];
}
