/**
 * What the bot says while a booking is put together: the question for the next missing field, the
 * free slots, the summary to confirm, and the confirmation of a booked (or moved) session with the
 * date, time, appraiser, what to prepare, how the call happens and the `.ics` link.
 */
import type { AppraisalService, AppraisalType, Booking } from '../../../appraisal';
import type { Turn } from '../../turn';
import type { QuickReply, Reply } from '../../types';
import { procedureLabel, procedureName, sessionTime } from './format';
import { apprPayload } from './payloads';
import { dayChoices, findSlots, offerHeading, offerReply, slotPayload } from './slots';
import { bookStep, toSlotRef, writeState, type AppraisalState, type BookDraft } from './state';

const t = (turn: Turn, key: string, params?: Record<string, string | number>) => turn.deps.i18n.t(`appraisal-chat.${key}`, params);

export const stopChip = (turn: Turn): QuickReply => ({ title: t(turn, 'chips.stop'), payload: apprPayload({ kind: 'stop' }) });

/** The procedures that can be appraised remotely, as chips. */
export async function typeChips(turn: Turn, service: AppraisalService): Promise<QuickReply[]> {
  const types = await service.types();
  return Promise.all(types.map(async (type) => ({ title: await procedureLabel(turn, type.procedureSlug), payload: apprPayload({ kind: 'procedure', slug: type.procedureSlug }) })));
}

/** The session's end for a start, from the type's length. */
export async function slotEnd(service: AppraisalService, procedure: string, start: Date): Promise<Date> {
  const type = await service.type(procedure);
  return new Date(start.getTime() + (type?.sessionMinutes ?? 0) * 60_000);
}

/** "• Thủ tục: …" lines for the fields filled so far. */
export async function draftLines(turn: Turn, service: AppraisalService, d: BookDraft): Promise<string[]> {
  const lines: string[] = [];
  if (d.procedure) lines.push(t(turn, 'summary.procedure', { value: await procedureName(turn, d.procedure) }));
  if (d.businessName) lines.push(t(turn, 'summary.businessName', { value: d.businessName }));
  if (d.address) lines.push(t(turn, 'summary.address', { value: d.address }));
  if (d.phone) lines.push(t(turn, 'summary.phone', { value: d.phone }));
  if (d.procedure && d.slot) {
    const start = new Date(d.slot.start);
    lines.push(t(turn, 'summary.time', { value: sessionTime(turn.deps.i18n, { start, end: await slotEnd(service, d.procedure, start) }) }));
  }
  return lines;
}

/** The question for the draft's current step (after `lead` lines), stored state included. */
export async function askNext(turn: Turn, state: AppraisalState, service: AppraisalService, lead: string[] = []): Promise<Reply[]> {
  const draft = state.book ?? {};
  state.book = draft;
  state.active = 'book';
  const step = bookStep(draft);
  const reply = await (async (): Promise<Reply> => {
    const editing = draft.editing === step;
    switch (step) {
      case 'procedure':
        return { text: [...lead, t(turn, 'ask.procedure')].join('\n'), quickReplies: [...(await typeChips(turn, service)), stopChip(turn)] };
      case 'businessName':
      case 'address':
      case 'phone': {
        const current = editing ? draft[step] : undefined;
        const question = current ? t(turn, `ask.${step}Edit`, { value: current }) : t(turn, `ask.${step}`);
        return { text: [...lead, question].join('\n'), quickReplies: [stopChip(turn)] };
      }
      case 'day':
        return {
          text: [...lead, t(turn, 'ask.day')].join('\n'),
          quickReplies: [...dayChoices(turn, (day) => apprPayload({ kind: 'day', day })), stopChip(turn)],
        };
      case 'slot': {
        const procedure = draft.procedure!;
        const offer = await findSlots(service, procedure, draft.day!, turn.now);
        draft.offered = offer.slots.map(toSlotRef);
        const otherDay = { title: t(turn, 'chips.otherDay'), payload: apprPayload({ kind: 'edit', field: 'day' }) };
        return offerReply(turn, lead, offerHeading(turn, draft.day!, offer), offer.slots, slotPayload(procedure), [otherDay, stopChip(turn)]);
      }
      case 'confirm':
        return summary(turn, service, draft, lead);
    }
  })();
  writeState(turn, state);
  return [reply];
}

/** Everything gathered, to check before booking, with confirm / change buttons. */
async function summary(turn: Turn, service: AppraisalService, draft: BookDraft, lead: string[]): Promise<Reply> {
  const lines = [...lead, t(turn, 'summary.intro'), ...(await draftLines(turn, service, draft)), t(turn, 'summary.question')];
  return {
    text: lines.join('\n'),
    quickReplies: [
      { title: t(turn, 'chips.confirm'), payload: apprPayload({ kind: 'confirm' }) },
      { title: t(turn, 'chips.changeTime'), payload: apprPayload({ kind: 'edit', field: 'day' }) },
      { title: t(turn, 'chips.editInfo'), payload: apprPayload({ kind: 'edit', field: 'menu' }) },
      stopChip(turn),
    ],
  };
}

/** Which field to correct. */
export function editMenu(turn: Turn): Reply[] {
  const fields = ['businessName', 'address', 'phone', 'procedure'] as const;
  return [
    {
      text: t(turn, 'edit.ask'),
      quickReplies: fields.map((field) => ({ title: t(turn, `edit.fields.${field}`), payload: apprPayload({ kind: 'edit', field }) })),
    },
  ];
}

/** How the call will happen, from the type's video channel. */
function howLine(turn: Turn, type: AppraisalType | undefined, phone: string): string {
  if (!type) return t(turn, 'booked.how.unknown', { phone });
  if (type.videoChannel === 'meeting_link') {
    return type.meetingUrl ? t(turn, 'booked.how.meeting_link', { url: type.meetingUrl, phone }) : t(turn, 'booked.how.meeting_link_later', { phone });
  }
  return t(turn, `booked.how.${type.videoChannel}`, { phone });
}

/** The confirmation of a booked or moved session, with the calendar link and change buttons. */
export async function confirmation(turn: Turn, service: AppraisalService, booking: Booking, kind: 'booked' | 'moved'): Promise<Reply[]> {
  const { i18n } = turn.deps;
  const type = await service.type(booking.procedureSlug);
  const lines = [
    t(turn, kind === 'booked' ? 'booked.title' : 'booked.movedTitle'),
    t(turn, 'booked.code', { code: booking.code }),
    t(turn, 'booked.procedure', { name: await procedureName(turn, booking.procedureSlug) }),
    t(turn, 'booked.business', { name: booking.businessName, address: booking.address }),
    t(turn, 'booked.time', { time: sessionTime(i18n, booking) }),
    t(turn, 'booked.appraiser', { name: booking.appraiserName }),
    howLine(turn, type, booking.phone),
  ];
  if (type && type.preparation.length > 0) {
    lines.push(t(turn, 'booked.prepare'), ...type.preparation.map((item) => t(turn, 'booked.prepareItem', { item })));
  }
  lines.push(t(turn, 'booked.reminders'));
  return [
    {
      text: lines.join('\n'),
      buttons: [{ title: t(turn, 'chips.calendar'), url: service.calendarUrl(booking, turn.deps.appBaseUrl) }],
      quickReplies: [
        { title: t(turn, 'chips.move'), payload: apprPayload({ kind: 'move', bookingId: booking.id }) },
        { title: t(turn, 'chips.cancel'), payload: apprPayload({ kind: 'cancel', bookingId: booking.id }) },
      ],
    },
  ];
}

/** The person gave up the booking: forget the draft, say how to come back. */
export function stopBooking(turn: Turn, state: AppraisalState): Reply[] {
  state.book = undefined;
  if (state.active === 'book') state.active = undefined;
  writeState(turn, state);
  return [{ text: t(turn, 'stopped.book'), quickReplies: [{ title: t(turn, 'chips.bookAgain'), payload: apprPayload({ kind: 'book' }) }] }];
}
