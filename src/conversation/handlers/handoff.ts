/**
 * Hand-over to a human official: the conversation is marked as waiting (the officials' inbox picks
 * it up) and the person is told honestly when an answer can be expected, from the office's hours.
 */
import { isOpen, nextOpening } from '../render/office';
import type { HandoffReason } from '../context';
import type { Turn } from '../turn';
import type { Reply } from '../types';

export async function requestHuman(turn: Turn, reason: HandoffReason): Promise<Reply[]> {
  const { i18n, procedures } = turn.deps;
  if (turn.conversation.status !== 'bot') return [{ text: i18n.t('handoff.alreadyWaiting') }];
  turn.statusChange = { status: 'waiting_human', at: turn.now };
  turn.context.handoffReason = reason;
  turn.context.fallbacks = 0;
  const office = await procedures.mainOffice();
  const lines: string[] = [];
  const next = office && !isOpen(office, turn.now) ? nextOpening(office, turn.now) : undefined;
  if (next) {
    const day = i18n.list('common.weekdays')[next.weekday - 1] ?? '';
    lines.push(i18n.t('handoff.outOfHours', { next: i18n.t('handoff.nextOpening', { time: next.time, day }) }));
  } else lines.push(i18n.t('handoff.inHours'));
  if (office?.phone) lines.push(i18n.t('handoff.phoneHint', { phone: office.phone }));
  return [{ text: lines.join('\n') }];
}
