/**
 * The appraisal-booking flow (issue 6) in the chat: book a remote (video call) appraisal, see,
 * move or cancel one's sessions, in a few turns a shop owner on Zalo or Messenger finds natural.
 * The rules (free slots, no double booking, history, notices) live in the appraisal service; this
 * flow only talks. Its state is in `context.appraisal` (./state.ts) and expires with the context.
 */
import type { Parse } from '../../../nlu/types';
import type { ConversationFlow } from '../../flow';
import type { Turn } from '../../turn';
import type { Reply } from '../../types';
import { notOnThisChannel } from '../smalltalk';
import { stopBooking } from './book-replies';
import { answerBook, chooseDay, chooseProcedure, chooseSlot, confirmBooking, editField, startBooking } from './book';
import { answerChange, cancelBooking, chooseMoveDay, chooseMoveSlot, keepBooking, moveBooking, startChange } from './change';
import { serviceOf } from './common';
import { PREFIX, readApprPayload } from './payloads';
import { isContinue } from './reading';
import { readState, writeState } from './state';
import { showStatus } from './status';

/** What a tapped chip means, as if it had been typed: no text, the intent known. */
const tapped = (intent: Parse['intent']): Parse => ({ text: '', intent, score: 1, procedure: null, entities: [] });

/** The person turned to another appraisal request: the draft waits, no longer reading answers. */
function pause(turn: Turn): void {
  const state = readState(turn);
  if (state.active) writeState(turn, { ...state, active: undefined });
}

export const appraisalFlow: ConversationFlow = {
  payloadPrefix: PREFIX,
  intents: ['appraisal.book', 'appraisal.reschedule', 'appraisal.cancel', 'appraisal.status'],

  async onIntent(turn, parse) {
    const service = serviceOf(turn);
    if (!service) return notOnThisChannel(turn, 'appraisal');
    switch (parse.intent) {
      case 'appraisal.book':
        return startBooking(turn, service, parse.text, parse);
      case 'appraisal.status':
        pause(turn);
        return showStatus(turn, service, parse.text);
      case 'appraisal.reschedule':
        pause(turn);
        return startChange(turn, service, 'reschedule', parse.text, parse);
      default: {
        const state = readState(turn);
        // "hủy lịch" in the middle of booking, with nothing booked yet: the draft is what goes.
        if (state.book) {
          const upcoming = await service.upcomingFor(turn.conversation.channel, turn.conversation.channelUserId, turn.now);
          if (upcoming.length === 0) return stopBooking(turn, state);
        }
        pause(turn);
        return startChange(turn, service, 'cancel', parse.text, parse);
      }
    }
  },

  async onPayload(turn, rest): Promise<Reply[]> {
    const service = serviceOf(turn);
    if (!service) return notOnThisChannel(turn, 'appraisal');
    const p = readApprPayload(rest);
    turn.context.fallbacks = 0;
    turn.context.awaiting = undefined;
    if (!p) return startBooking(turn, service, '', tapped('appraisal.book'));
    switch (p.kind) {
      case 'book':
        return startBooking(turn, service, '', tapped('appraisal.book'));
      case 'status':
        return showStatus(turn, service, '');
      case 'procedure':
        return chooseProcedure(turn, service, p.slug);
      case 'day':
        return chooseDay(turn, service, p.day);
      case 'slot':
        return chooseSlot(turn, service, p.procedure, p.start, p.appraiserId);
      case 'confirm':
        return confirmBooking(turn, service);
      case 'edit':
        return editField(turn, service, p.field);
      case 'stop':
        return stopBooking(turn, readState(turn));
      case 'move':
        return startChange(turn, service, 'reschedule', '', tapped('appraisal.reschedule'), p.bookingId);
      case 'moveDay':
        return chooseMoveDay(turn, service, p.bookingId, p.day);
      case 'moveTo':
        return chooseMoveSlot(turn, service, p.bookingId, p.start, p.appraiserId);
      case 'moveOk':
        return moveBooking(turn, service, p.bookingId, p.start, p.appraiserId);
      case 'cancel':
        return startChange(turn, service, 'cancel', '', tapped('appraisal.cancel'), p.bookingId);
      case 'cancelOk':
        return cancelBooking(turn, service, p.bookingId);
      case 'keep':
        return keepBooking(turn);
    }
  },

  async onText(turn, text, parse) {
    const service = serviceOf(turn);
    if (!service) return undefined;
    const state = readState(turn);
    if (state.active === 'book' && state.book) return answerBook(turn, service, text, parse, state);
    if (state.active === 'change' && state.change) return answerChange(turn, service, text, parse, state);
    if (state.book && isContinue(text)) {
      turn.understood = { intent: 'appraisal.book', score: 1, procedure: state.book.procedure ?? null };
      return startBooking(turn, service, '', tapped('appraisal.book'));
    }
    return undefined;
  },
};
