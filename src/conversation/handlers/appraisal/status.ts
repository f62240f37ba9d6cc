/**
 * `appraisal.status`: the person's upcoming sessions, or the one whose code they typed. A code
 * from someone else's chat shows only its time and state, never the business's details.
 */
import type { AppraisalService, Booking } from '../../../appraisal';
import type { Turn } from '../../turn';
import type { QuickReply, Reply } from '../../types';
import { ownedBy, typedBookingCode } from './common';
import { procedureName, sessionTime } from './format';
import { apprPayload } from './payloads';

const t = (turn: Turn, key: string, params?: Record<string, string | number>) => turn.deps.i18n.t(`appraisal-chat.${key}`, params);

async function describe(turn: Turn, b: Booking, withDetails: boolean): Promise<string> {
  const time = sessionTime(turn.deps.i18n, b);
  const procedure = await procedureName(turn, b.procedureSlug);
  if (!withDetails) return t(turn, 'status.item', { code: b.code, time, procedure });
  return t(turn, 'status.itemDetails', { code: b.code, time, procedure, business: b.businessName, appraiser: b.appraiserName });
}

function changeChips(turn: Turn, one: Booking | undefined): QuickReply[] {
  return [
    { title: t(turn, 'chips.move'), payload: apprPayload({ kind: 'move', ...(one ? { bookingId: one.id } : {}) }) },
    { title: t(turn, 'chips.cancel'), payload: apprPayload({ kind: 'cancel', ...(one ? { bookingId: one.id } : {}) }) },
  ];
}

export async function showStatus(turn: Turn, service: AppraisalService, text: string): Promise<Reply[]> {
  turn.context.awaiting = undefined;
  const code = typedBookingCode(text);
  if (code) {
    const booking = await service.findByCode(code);
    if (!booking) return [{ text: t(turn, 'status.codeNotFound', { code: code.toUpperCase() }) }];
    const mine = ownedBy(turn, booking);
    const state = t(turn, `status.states.${booking.status}`);
    const line = `${await describe(turn, booking, mine)}\n${t(turn, 'status.state', { state })}`;
    const live = mine && booking.status === 'booked' && booking.start.getTime() > turn.now.getTime();
    return [{ text: line, ...(live ? { quickReplies: changeChips(turn, booking) } : {}) }];
  }
  const upcoming = await service.upcomingFor(turn.conversation.channel, turn.conversation.channelUserId, turn.now);
  if (upcoming.length === 0) {
    return [{ text: t(turn, 'status.none'), quickReplies: [{ title: t(turn, 'chips.book'), payload: apprPayload({ kind: 'book' }) }] }];
  }
  const items = await Promise.all(upcoming.map((b) => describe(turn, b, true)));
  const reply: Reply = { text: [t(turn, 'status.intro', { n: upcoming.length }), ...items].join('\n'), quickReplies: changeChips(turn, upcoming.length === 1 ? upcoming[0] : undefined) };
  if (upcoming.length === 1) reply.buttons = [{ title: t(turn, 'chips.calendar'), url: service.calendarUrl(upcoming[0]!, turn.deps.appBaseUrl) }];
  return [reply];
}
