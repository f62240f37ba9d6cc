/**
 * Booking from the chat (`appraisal.book`): which procedure, business name, address, phone, day,
 * slot, summary, book. The person may give several fields in one message, come back to a draft
 * after asking about something else, or tap an old slot button (it carries what it needs).
 */
import type { AppraisalService } from '../../../appraisal';
import type { Parse } from '../../../nlu/types';
import type { Turn } from '../../turn';
import type { Reply } from '../../types';
import { askNext, confirmation, draftLines, editMenu, slotEnd, stopBooking } from './book-replies';
import { isAppraisalRequest, isOtherIntent, LEAVE_SCORE_FREE_TEXT, lostOnlyTheAppraiser, understoodAsAnswer } from './common';
import { clockOfIso, procedureName, sessionTime, vietnamDay } from './format';
import { isNo, isStop, isYes, looksLikePhoneAttempt, pickOffered, readDayPreference, readsAsAnswerTo, readTypedFields, type TypedFields } from './reading';
import { apprPayload } from './payloads';
import { offerReply, slotPayload } from './slots';
import { bookStep, readState, toSlotRef, writeState, type AppraisalState, type BookDraft, type DayPreference, type EditableField } from './state';

const t = (turn: Turn, key: string, params?: Record<string, string | number>) => turn.deps.i18n.t(`appraisal-chat.${key}`, params);

const MIN_NAME = 2;
const MIN_ADDRESS = 5;
const MAX_NAME = 200;
const MAX_ADDRESS = 300;

/**
 * A procedure the message names outright (not a loose match such as "cơ sở kinh doanh" for the
 * household-business registration): only then is "it cannot be appraised remotely" worth saying.
 */
function clearlyNamed(parse: Parse): boolean {
  const score = parse.procedureCandidates?.find((c) => c.slug === parse.procedure)?.score ?? 0;
  return parse.procedure !== null && score >= CLEAR_PROCEDURE_SCORE;
}
const CLEAR_PROCEDURE_SCORE = 0.9;

function setProcedure(draft: BookDraft, slug: string): void {
  if (draft.procedure === slug) return;
  draft.procedure = slug;
  // Another procedure has its own session length and appraisers: a slot chosen for the old one is void.
  draft.slot = undefined;
  draft.offered = undefined;
}

function setDay(draft: BookDraft, day: DayPreference): void {
  draft.day = day;
  draft.slot = undefined;
  draft.offered = undefined;
  if (draft.editing === 'day') draft.editing = undefined;
}

/** Copies labelled fields and any phone number into the draft; returns lines to say about them. */
function absorb(turn: Turn, draft: BookDraft, fields: TypedFields): string[] {
  const notes: string[] = [];
  if (fields.businessName && fields.businessName.length >= MIN_NAME) draft.businessName = fields.businessName.slice(0, MAX_NAME);
  if (fields.address && fields.address.length >= MIN_ADDRESS) draft.address = fields.address.slice(0, MAX_ADDRESS);
  if (fields.phone) draft.phone = fields.phone;
  else if (fields.invalidPhone) notes.push(t(turn, 'ask.phoneInvalid', { typed: fields.invalidPhone }));
  if (draft.editing && draft.editing !== 'day' && draft.editing !== 'procedure' && (fields[draft.editing] ?? '') !== '') draft.editing = undefined;
  return notes;
}

/** `appraisal.book`: a new draft, or the draft in progress resumed with what this message adds. */
export async function startBooking(turn: Turn, service: AppraisalService, text: string, parse: Parse): Promise<Reply[]> {
  const state = readState(turn);
  const resuming = state.book !== undefined && Object.keys(state.book).length > 0;
  const draft: BookDraft = state.book ?? {};
  state.book = draft;
  const lead: string[] = [];
  const types = await service.types();
  if (parse.procedure && types.some((type) => type.procedureSlug === parse.procedure)) setProcedure(draft, parse.procedure);
  else if (clearlyNamed(parse)) lead.push(t(turn, 'ask.notRemote', { name: await procedureName(turn, parse.procedure!) }));
  else if (!draft.procedure && types.length === 1) setProcedure(draft, types[0]!.procedureSlug);
  if (types.length === 0) {
    state.book = undefined;
    writeState(turn, state);
    return [{ text: t(turn, 'noTypes') }];
  }
  lead.push(...absorb(turn, draft, readTypedFields(text)));
  const day = readDayPreference(text, parse, vietnamDay(turn.now));
  if (day === 'past') lead.push(t(turn, 'ask.dayPast'));
  else if (day) setDay(draft, day);
  if (resuming) lead.unshift(t(turn, 'resume'), ...(await draftLines(turn, service, draft)));
  turn.context.awaiting = undefined;
  return askNext(turn, state, service, lead);
}

/** A typed message while the draft waits for an answer; undefined when it is about something else. */
export async function answerBook(turn: Turn, service: AppraisalService, text: string, parse: Parse, state: AppraisalState): Promise<Reply[] | undefined> {
  const draft = state.book ?? {};
  state.book = draft;
  const step = bookStep(draft);
  const leave = () => {
    state.active = undefined;
    writeState(turn, state);
    return undefined;
  };
  if (isStop(text)) {
    understoodAsAnswer(turn, draft.procedure);
    return stopBooking(turn, state);
  }
  if (step === 'confirm' && isYes(text)) return confirmBooking(turn, service);
  if (step === 'confirm' && isNo(text)) return editMenu(turn);
  if (isAppraisalRequest(parse, text)) return leave();

  const fields = readTypedFields(text);
  const lead: string[] = [];
  switch (step) {
    case 'procedure': {
      lead.push(...absorb(turn, draft, fields));
      const types = await service.types();
      if (parse.procedure && types.some((type) => type.procedureSlug === parse.procedure)) setProcedure(draft, parse.procedure);
      else if (isOtherIntent(parse, text)) return leave();
      else if (clearlyNamed(parse)) lead.push(t(turn, 'ask.notRemote', { name: await procedureName(turn, parse.procedure!) }));
      else lead.push(t(turn, 'ask.procedureAgain'));
      if (draft.editing === 'procedure' && draft.procedure === parse.procedure) draft.editing = undefined;
      break;
    }
    case 'businessName':
    case 'address': {
      const labelled = Boolean(fields.businessName ?? fields.address ?? fields.phone);
      if (!labelled && !readsAsAnswerTo(step, text) && isOtherIntent(parse, text, LEAVE_SCORE_FREE_TEXT)) return leave();
      lead.push(...absorb(turn, draft, fields));
      if (fields[step] === undefined) {
        // Not labelled: the rest of the message is the answer to the question asked.
        const [min, max] = step === 'businessName' ? [MIN_NAME, MAX_NAME] : [MIN_ADDRESS, MAX_ADDRESS];
        if (fields.rest.replace(/[^\p{L}\p{N}]/gu, '').length >= min) {
          draft[step] = fields.rest.slice(0, max);
          if (draft.editing === step) draft.editing = undefined;
        } else if (!labelled) lead.push(t(turn, `ask.${step}TooShort`));
      }
      break;
    }
    case 'phone':
      if (fields.phone) {
        absorb(turn, draft, fields);
        if (draft.editing === 'phone') draft.editing = undefined;
      } else if (fields.invalidPhone || looksLikePhoneAttempt(text)) {
        lead.push(t(turn, 'ask.phoneInvalid', { typed: fields.invalidPhone ?? text.trim().slice(0, 40) }));
      } else if (isOtherIntent(parse, text)) return leave();
      else lead.push(t(turn, 'ask.phoneMissing'));
      break;
    case 'day':
    case 'slot':
    case 'confirm': {
      const picked = step === 'slot' ? pickOffered(text, parse, draft.offered ?? [], clockOfIso) : undefined;
      if (picked && draft.procedure) return chooseSlot(turn, service, draft.procedure, new Date(picked.start), picked.appraiserId);
      const day = readDayPreference(text, parse, vietnamDay(turn.now));
      const absorbed = fields.phone ?? fields.businessName ?? fields.address;
      if (day === 'past') lead.push(t(turn, 'ask.dayPast'));
      else if (day) setDay(draft, day);
      else if (absorbed) lead.push(...absorb(turn, draft, fields));
      else if (isOtherIntent(parse, text)) return leave();
      else lead.push(t(turn, step === 'day' ? 'ask.dayAgain' : step === 'slot' ? 'ask.slotAgain' : 'ask.confirmAgain'));
      if (day === 'past' && step !== 'day') draft.editing = 'day';
      break;
    }
  }
  understoodAsAnswer(turn, draft.procedure);
  return askNext(turn, state, service, lead);
}

/** A day chosen from the chips. */
export async function chooseDay(turn: Turn, service: AppraisalService, day: DayPreference): Promise<Reply[]> {
  const state = readState(turn);
  const draft: BookDraft = state.book ?? {};
  state.book = draft;
  setDay(draft, day);
  return askNext(turn, state, service);
}

/** A slot tapped (possibly from an old message): checked against the calendar, then the next question or the summary. */
export async function chooseSlot(turn: Turn, service: AppraisalService, procedure: string, start: Date, appraiserId: string): Promise<Reply[]> {
  const state = readState(turn);
  const draft: BookDraft = state.book ?? {};
  state.book = draft;
  if (!(await service.type(procedure))) return askNext(turn, state, service, [t(turn, 'ask.procedureAgain')]);
  setProcedure(draft, procedure);
  const day = vietnamDay(start);
  const free = await service.freeSlots({ procedure, from: day, days: 1, now: turn.now });
  const still = free.find((s) => s.start.getTime() === start.getTime() && s.appraiserId === appraiserId) ?? free.find((s) => s.start.getTime() === start.getTime());
  if (!still) {
    setDay(draft, { from: day, days: 1 });
    const time = sessionTime(turn.deps.i18n, { start, end: await slotEnd(service, procedure, start) });
    return askNext(turn, state, service, [t(turn, 'slotGone', { time })]);
  }
  draft.slot = toSlotRef(still);
  draft.offered = undefined;
  if (draft.editing === 'day') draft.editing = undefined;
  return askNext(turn, state, service);
}

/** A field to correct from the summary ("menu": which one). */
export async function editField(turn: Turn, service: AppraisalService, field: EditableField | 'menu'): Promise<Reply[]> {
  const state = readState(turn);
  if (!state.book) return expired(turn, service);
  if (field === 'menu') return editMenu(turn);
  state.book.editing = field;
  if (field === 'day') state.book.offered = undefined;
  return askNext(turn, state, service);
}

/** The draft is gone (idle too long): start again rather than book half-known details. */
export async function expired(turn: Turn, service: AppraisalService): Promise<Reply[]> {
  const state = readState(turn);
  state.book = {};
  return askNext(turn, state, service, [t(turn, 'expired')]);
}

/** Books the confirmed draft; a slot taken meanwhile gets the alternatives the service offers. */
export async function confirmBooking(turn: Turn, service: AppraisalService): Promise<Reply[]> {
  const state = readState(turn);
  const draft = state.book;
  if (!draft || bookStep(draft) !== 'confirm' || draft.editing) return draft ? askNext(turn, state, service) : expired(turn, service);
  const procedure = draft.procedure!;
  const slot = draft.slot!;
  understoodAsAnswer(turn, procedure);
  const book = (appraiserId: string | undefined) =>
    service.book(
      {
        procedure,
        start: new Date(slot.start),
        ...(appraiserId ? { appraiserId } : {}),
        businessName: draft.businessName!,
        address: draft.address!,
        phone: draft.phone!,
        channel: turn.conversation.channel,
        channelUserId: turn.conversation.channelUserId,
        source: 'chat',
      },
      turn.now,
    );
  const first = await book(slot.appraiserId);
  const result = lostOnlyTheAppraiser(first) ? await book(undefined) : first;
  if (result.ok) {
    state.book = undefined;
    state.active = undefined;
    writeState(turn, state);
    return confirmation(turn, service, result.booking, 'booked');
  }
  draft.slot = undefined;
  if (result.reason === 'unknown_procedure') {
    draft.procedure = undefined;
    return askNext(turn, state, service, [t(turn, 'ask.procedureAgain')]);
  }
  const start = new Date(slot.start);
  const time = sessionTime(turn.deps.i18n, { start, end: await slotEnd(service, procedure, start) });
  const lead = t(turn, result.reason === 'slot_taken' ? 'slotTaken' : 'slotGone', { time });
  state.active = 'book';
  if (result.alternatives.length === 0) {
    draft.day = undefined;
    return askNext(turn, state, service, [lead]);
  }
  draft.day ??= { from: vietnamDay(start), days: 1 };
  draft.offered = result.alternatives.map(toSlotRef);
  writeState(turn, state);
  const otherDay = { title: t(turn, 'chips.otherDay'), payload: apprPayload({ kind: 'edit', field: 'day' }) };
  return [offerReply(turn, [lead], t(turn, 'slots.alternatives'), result.alternatives, slotPayload(procedure), [otherDay])];
}


/** A procedure chosen from the chips. */
export async function chooseProcedure(turn: Turn, service: AppraisalService, slug: string): Promise<Reply[]> {
  const state = readState(turn);
  const draft: BookDraft = state.book ?? {};
  state.book = draft;
  if (await service.type(slug)) {
    setProcedure(draft, slug);
    if (draft.editing === 'procedure') draft.editing = undefined;
    return askNext(turn, state, service);
  }
  return askNext(turn, state, service, [t(turn, 'ask.procedureAgain')]);
}
