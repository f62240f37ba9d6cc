/** `reminder.unsubscribe` (and switching back on): reminders of this chat identity's linked licences. */
import type { Turn } from '../../turn';
import type { Reply } from '../../types';
import { linkedLicences, normaliseLicenceNumber, setReminders } from '../../../licences/linking';
import { button, RESUBSCRIBE_PAYLOAD } from './subscribe';
import { identityOf, setPending } from './state';

/** Stops reminders here for the named licence, or for all of this identity's licences. */
export async function stopReminders(turn: Turn, typedNumber: string | undefined): Promise<Reply[]> {
  const { db, i18n } = turn.deps;
  const who = identityOf(turn);
  setPending(turn, undefined);
  const links = await linkedLicences(db, who);
  if (links.length === 0) return [{ text: i18n.t('licence-chat.nothingToStop') }];
  const number = typedNumber ? normaliseLicenceNumber(typedNumber) : undefined;
  const chosen = number ? links.filter((l) => l.number === number) : links;
  if (number && chosen.length === 0) return [{ text: i18n.t('licence-chat.notLinkedHere', { number }) }];
  const stopped = new Set(await setReminders(db, who, false, turn.now, chosen.map((l) => l.id)));
  const again = [button(turn, 'resubscribe', RESUBSCRIBE_PAYLOAD)];
  if (stopped.size === 0) return [{ text: i18n.t('licence-chat.alreadyStopped'), quickReplies: again }];
  const numbers = chosen.filter((l) => stopped.has(l.id)).map((l) => l.number);
  return [{ text: i18n.t('licence-chat.stopped', { numbers: numbers.join(', ') }), quickReplies: again }];
}
