/**
 * Moving (`appraisal.reschedule`) and cancelling (`appraisal.cancel`) a booking from the chat: pick
 * the booking when there are several, pick a new slot (same day-preference logic as booking),
 * confirm, then the service does it (it keeps the history and notifies the appraiser).
 * Only bookings made from this chat identity can be changed here.
 */
import type { AppraisalService, Booking } from '../../../appraisal';
import type { Parse } from '../../../nlu/types';
import type { Turn } from '../../turn';
import type { Reply } from '../../types';
import { HANDOFF } from '../../payloads';
import { confirmation } from './book-replies';
import { isAppraisalRequest, isOtherIntent, ownedBy, lostOnlyTheAppraiser, typedBookingCode, understoodAsAnswer } from './common';
import { chipTime, clockOfIso, sessionTime, vietnamDay } from './format';
import { apprPayload } from './payloads';
import { isNo, isStop, isYes, pickOffered, plain, readDayPreference } from './reading';
import { dayChoices, findSlots, offerHeading, offerReply } from './slots';
import { changeStep, readState, toSlotRef, writeState, type AppraisalState, type ChangeState, type DayPreference } from './state';

type Action = ChangeState['action'];
const t = (turn: Turn, key: string, params?: Record<string, string | number>) => turn.deps.i18n.t(`appraisal-chat.${key}`, params);

const bookChip = (turn: Turn) => ({ title: t(turn, 'chips.book'), payload: apprPayload({ kind: 'book' }) });
const keepChip = (turn: Turn) => ({ title: t(turn, 'chips.keep'), payload: apprPayload({ kind: 'keep' }) });

/** A live booking of this person, or the reason to give instead. */
async function ownLiveBooking(turn: Turn, service: AppraisalService, bookingId: string): Promise<Booking | Reply[]> {
  const booking = await service.get(bookingId);
  if (!booking || !ownedBy(turn, booking)) {
    return [{ text: t(turn, 'change.notYours'), quickReplies: [{ title: turn.deps.i18n.t('menu.human'), payload: HANDOFF }] }];
  }
  if (booking.status !== 'booked' || booking.start.getTime() <= turn.now.getTime()) return [{ text: t(turn, 'change.notChangeable', { code: booking.code }) }];
  return booking;
}

function finish(turn: Turn, state: AppraisalState): void {
  state.change = undefined;
  if (state.active === 'change') state.active = undefined;
  writeState(turn, state);
}

/** `appraisal.reschedule` / `appraisal.cancel`: which booking (a code typed, the only one, or a choice). */
export async function startChange(turn: Turn, service: AppraisalService, action: Action, text: string, parse: Parse, bookingId?: string): Promise<Reply[]> {
  const state = readState(turn);
  turn.context.awaiting = undefined;
  const upcoming = await service.upcomingFor(turn.conversation.channel, turn.conversation.channelUserId, turn.now);
  const code = typedBookingCode(text);
  const named = code ? await service.findByCode(code) : undefined;
  const chosen = bookingId ?? (named && ownedBy(turn, named) ? named.id : undefined) ?? (upcoming.length === 1 ? upcoming[0]!.id : undefined);
  if (!chosen && upcoming.length === 0) {
    finish(turn, state);
    const key = action === 'reschedule' ? 'change.noneToMove' : 'change.noneToCancel';
    return [{ text: t(turn, key), quickReplies: [bookChip(turn)] }];
  }
  const change: ChangeState = { action, ...(chosen ? { bookingId: chosen } : {}) };
  const day = action === 'reschedule' ? readDayPreference(text, parse, vietnamDay(turn.now)) : undefined;
  if (day && day !== 'past') change.day = day;
  state.change = change;
  return askChange(turn, service, state, upcoming);
}

/** The question for the change's current step. */
async function askChange(turn: Turn, service: AppraisalService, state: AppraisalState, upcoming?: Booking[], lead: string[] = []): Promise<Reply[]> {
  const change = state.change!;
  const { i18n } = turn.deps;
  state.active = 'change';
  writeState(turn, state);
  if (!change.bookingId) {
    const list = upcoming ?? (await service.upcomingFor(turn.conversation.channel, turn.conversation.channelUserId, turn.now));
    const lines = list.map((b, i) => t(turn, 'change.pickLine', { n: i + 1, code: b.code, time: sessionTime(i18n, b) }));
    const quickReplies = list.slice(0, 10).map((b) => ({ title: chipTime(i18n, b.start), payload: apprPayload({ kind: change.action === 'reschedule' ? 'move' : 'cancel', bookingId: b.id }) }));
    const question = t(turn, change.action === 'reschedule' ? 'change.pickMove' : 'change.pickCancel');
    return [{ text: [...lead, question, ...lines].join('\n'), quickReplies: [...quickReplies, keepChip(turn)] }];
  }
  const booking = await ownLiveBooking(turn, service, change.bookingId);
  if (Array.isArray(booking)) {
    finish(turn, state);
    return booking;
  }
  const current = sessionTime(i18n, booking);
  const step = changeStep(change);
  if (change.action === 'cancel') {
    return [
      {
        text: [...lead, t(turn, 'change.confirmCancel', { code: booking.code, time: current })].join('\n'),
        quickReplies: [{ title: t(turn, 'chips.cancelYes'), payload: apprPayload({ kind: 'cancelOk', bookingId: booking.id }) }, keepChip(turn)],
      },
    ];
  }
  if (step === 'day') {
    const text = [...lead, t(turn, 'change.askDay', { code: booking.code, time: current })].join('\n');
    return [{ text, quickReplies: [...dayChoices(turn, (day) => apprPayload({ kind: 'moveDay', bookingId: booking.id, day })), keepChip(turn)] }];
  }
  if (step === 'slot') {
    const offer = await findSlots(service, booking.procedureSlug, change.day!, turn.now);
    change.offered = offer.slots.map(toSlotRef);
    writeState(turn, state);
    const payloadOf = (s: { start: Date; appraiserId: string }) => apprPayload({ kind: 'moveTo', bookingId: booking.id, start: s.start, appraiserId: s.appraiserId });
    const otherDay = { title: t(turn, 'chips.otherDay'), payload: apprPayload({ kind: 'move', bookingId: booking.id }) };
    return [offerReply(turn, lead, offerHeading(turn, change.day!, offer), offer.slots, payloadOf, [otherDay, keepChip(turn)])];
  }
  const slot = change.slot!;
  const start = new Date(slot.start);
  const to = sessionTime(i18n, { start, end: new Date(start.getTime() + (booking.end.getTime() - booking.start.getTime())) });
  return [
    {
      text: [...lead, t(turn, 'change.confirmMove', { code: booking.code, from: current, to })].join('\n'),
      quickReplies: [
        { title: t(turn, 'chips.moveYes'), payload: apprPayload({ kind: 'moveOk', bookingId: booking.id, start, appraiserId: slot.appraiserId }) },
        { title: t(turn, 'chips.otherTime'), payload: apprPayload({ kind: 'move', bookingId: booking.id }) },
        keepChip(turn),
      ],
    },
  ];
}

/** A new day for the move (chips). */
export async function chooseMoveDay(turn: Turn, service: AppraisalService, bookingId: string, day: DayPreference): Promise<Reply[]> {
  const state = readState(turn);
  state.change = { action: 'reschedule', bookingId, day };
  return askChange(turn, service, state);
}

/** A new slot for the move (chips or typed): ask to confirm. */
export async function chooseMoveSlot(turn: Turn, service: AppraisalService, bookingId: string, start: Date, appraiserId: string): Promise<Reply[]> {
  const state = readState(turn);
  const day = state.change?.bookingId === bookingId ? state.change.day : undefined;
  state.change = { action: 'reschedule', bookingId, day: day ?? { from: vietnamDay(start), days: 1 }, slot: { start: start.toISOString(), appraiserId } };
  return askChange(turn, service, state);
}

/** Moves the booking; a slot taken meanwhile gets alternatives. */
export async function moveBooking(turn: Turn, service: AppraisalService, bookingId: string, start: Date, appraiserId: string): Promise<Reply[]> {
  const state = readState(turn);
  const booking = await ownLiveBooking(turn, service, bookingId);
  if (Array.isArray(booking)) {
    finish(turn, state);
    return booking;
  }
  const first = await service.reschedule(bookingId, start, { kind: 'business' }, turn.now, appraiserId);
  const result = lostOnlyTheAppraiser(first) ? await service.reschedule(bookingId, start, { kind: 'business' }, turn.now) : first;
  if (result.ok) {
    finish(turn, state);
    return confirmation(turn, service, result.booking, 'moved');
  }
  if (result.reason === 'not_changeable' || result.reason === 'unknown_procedure') {
    finish(turn, state);
    return [{ text: t(turn, 'change.notChangeable', { code: booking.code }) }];
  }
  const time = sessionTime(turn.deps.i18n, { start, end: new Date(start.getTime() + (booking.end.getTime() - booking.start.getTime())) });
  const lead = t(turn, result.reason === 'slot_taken' ? 'slotTaken' : 'slotGone', { time });
  state.change = { action: 'reschedule', bookingId, day: { from: vietnamDay(start), days: 1 }, offered: result.alternatives.map(toSlotRef) };
  state.active = 'change';
  writeState(turn, state);
  if (result.alternatives.length === 0) return askChange(turn, service, { ...state, change: { action: 'reschedule', bookingId } }, undefined, [lead]);
  const payloadOf = (s: { start: Date; appraiserId: string }) => apprPayload({ kind: 'moveTo', bookingId, start: s.start, appraiserId: s.appraiserId });
  return [offerReply(turn, [lead], t(turn, 'slots.alternatives'), result.alternatives, payloadOf, [keepChip(turn)])];
}

/** Cancels the booking (already confirmed by the person). */
export async function cancelBooking(turn: Turn, service: AppraisalService, bookingId: string): Promise<Reply[]> {
  const state = readState(turn);
  const booking = await ownLiveBooking(turn, service, bookingId);
  finish(turn, state);
  if (Array.isArray(booking)) return booking;
  const cancelled = await service.cancel(bookingId, t(turn, 'change.cancelReason'), { kind: 'business' }, turn.now);
  if (!cancelled) return [{ text: t(turn, 'change.notChangeable', { code: booking.code }) }];
  return [{ text: t(turn, 'change.cancelled', { code: cancelled.code, time: sessionTime(turn.deps.i18n, cancelled) }), quickReplies: [bookChip(turn)] }];
}

/** "Giữ lịch": nothing changes. */
export function keepBooking(turn: Turn): Reply[] {
  const state = readState(turn);
  finish(turn, state);
  return [{ text: t(turn, 'stopped.change') }];
}

/** A typed message while a change waits for an answer; undefined when it is about something else. */
export async function answerChange(turn: Turn, service: AppraisalService, text: string, parse: Parse, state: AppraisalState): Promise<Reply[] | undefined> {
  const change = state.change!;
  const step = changeStep(change);
  const understood = turn.understood;
  const leave = () => {
    state.active = undefined;
    writeState(turn, state);
    turn.understood = understood;
    return undefined;
  };
  understoodAsAnswer(turn, undefined);
  if (step === 'confirm' && change.bookingId) {
    // At "cancel this booking?", "hủy" means yes; "thôi" and "không" keep it.
    const yes = isYes(text) || (change.action === 'cancel' && ['huy', 'huy lich', 'huy di', 'co huy'].includes(plain(text)));
    if (yes && change.action === 'cancel') return cancelBooking(turn, service, change.bookingId);
    if (yes && change.slot) return moveBooking(turn, service, change.bookingId, new Date(change.slot.start), change.slot.appraiserId);
    if (isNo(text) || isStop(text)) return keepBooking(turn);
  }
  if (isStop(text)) return keepBooking(turn);
  if (isAppraisalRequest(parse, text)) return leave();
  if (step === 'pickBooking') {
    const upcoming = await service.upcomingFor(turn.conversation.channel, turn.conversation.channelUserId, turn.now);
    if (typedBookingCode(text)) return startChange(turn, service, change.action, text, parse);
    const index = /^(?:so |lich |cai )?([1-9])$/.exec(plain(text))?.[1];
    const picked = index ? upcoming[Number(index) - 1] : undefined;
    if (picked) return startChange(turn, service, change.action, text, parse, picked.id);
    if (isOtherIntent(parse, text)) return leave();
    return askChange(turn, service, state, upcoming, [t(turn, 'change.pickAgain')]);
  }
  if (step === 'slot') {
    const picked = pickOffered(text, parse, change.offered ?? [], clockOfIso);
    if (picked) return chooseMoveSlot(turn, service, change.bookingId!, new Date(picked.start), picked.appraiserId);
  }
  const day = readDayPreference(text, parse, vietnamDay(turn.now));
  if (day && day !== 'past' && change.action === 'reschedule') {
    state.change = { action: 'reschedule', bookingId: change.bookingId, day };
    return askChange(turn, service, state);
  }
  if (day !== 'past' && isOtherIntent(parse, text)) return leave();
  const again = day === 'past' ? 'ask.dayPast' : step === 'confirm' ? 'ask.confirmAgain' : step === 'slot' ? 'ask.slotAgain' : 'ask.dayAgain';
  return askChange(turn, service, state, undefined, [t(turn, again)]);
}
