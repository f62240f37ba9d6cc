/**
 * Turning a day preference into the few slots worth offering in a chat: on the day (and part of the
 * day) asked for, closest to a time if one was said; when that day is full or not a working day,
 * the soonest after it, so the person always gets something to tap. One chip per start time (two
 * appraisers free at 09:00 are one choice for the business), at most five.
 */
import type { AppraisalService, Slot } from '../../../appraisal';
import type { Translator } from '../../../i18n';
import type { Turn } from '../../turn';
import type { QuickReply, Reply } from '../../types';
import { HANDOFF } from '../../payloads';
import { byStart, chipTime, longDay, nextMonday, sessionTime, vietnamClock, vietnamDay } from './format';
import { apprPayload } from './payloads';
import type { DayPreference } from './state';

export const MAX_OFFERED = 5;
/** How far ahead we look when the preferred day has nothing. */
export const SEARCH_DAYS = 21;

const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
const inPart = (s: Slot, part: DayPreference['part']) => !part || (part === 'morning') === minutes(vietnamClock(s.start)) < 12 * 60;

function distinctStarts(slots: Slot[]): Slot[] {
  const seen = new Set<number>();
  return byStart(slots).filter((s) => !seen.has(s.start.getTime()) && seen.add(s.start.getTime()));
}

function closestTo(slots: Slot[], time: string | undefined): Slot[] {
  if (!time) return slots.slice(0, MAX_OFFERED);
  const target = minutes(time);
  const day = vietnamDay(slots[0]!.start);
  const sameDay = slots.filter((s) => vietnamDay(s.start) === day);
  const ranked = [...sameDay].sort((a, b) => Math.abs(minutes(vietnamClock(a.start)) - target) - Math.abs(minutes(vietnamClock(b.start)) - target));
  return byStart(ranked.slice(0, MAX_OFFERED));
}

export interface Offer {
  slots: Slot[];
  /** False when nothing fitted the preference and these are the soonest after it. */
  asked: boolean;
  /** The first day searched, `YYYY-MM-DD`. */
  from: string;
}

export async function findSlots(service: AppraisalService, procedure: string, pref: DayPreference, now: Date): Promise<Offer> {
  const today = vietnamDay(now);
  const from = pref.from === 'now' || pref.from < today ? today : pref.from;
  const onDays = distinctStarts(await service.freeSlots({ procedure, from, days: pref.days, now }));
  const fitting = onDays.filter((s) => inPart(s, pref.part));
  if (fitting.length > 0) return { slots: closestTo(fitting, pref.time), asked: true, from };
  const later = distinctStarts(await service.freeSlots({ procedure, from, days: Math.max(SEARCH_DAYS, pref.days), now }));
  const laterFitting = later.filter((s) => inPart(s, pref.part));
  return { slots: (laterFitting.length > 0 ? laterFitting : later).slice(0, MAX_OFFERED), asked: false, from };
}

/** "sáng Thứ Sáu, 04/12/2026", "tuần từ Thứ Hai, 30/11/2026", or nothing for "the soonest". */
function describePreference(i18n: Translator, pref: DayPreference, from: string): string {
  const day = longDay(i18n, new Date(`${from}T12:00:00+07:00`));
  const part = pref.part ? i18n.t(`appraisal-chat.parts.${pref.part}`) : '';
  if (pref.days >= 7) return i18n.t('appraisal-chat.slots.stretch', { day, part }).trim();
  return i18n.t('appraisal-chat.slots.day', { day, part }).trim();
}

/** The line that introduces offered slots: the soonest, on the day asked, or the soonest after it. */
export function offerHeading(turn: Turn, pref: DayPreference, offer: Offer): string {
  const { i18n } = turn.deps;
  const part = pref.part ? i18n.t(`appraisal-chat.parts.${pref.part}`) : '';
  if (pref.from === 'now') return i18n.t(part ? 'appraisal-chat.slots.soonestPart' : 'appraisal-chat.slots.soonest', { part });
  const when = describePreference(i18n, pref, offer.from);
  return i18n.t(offer.asked ? 'appraisal-chat.slots.onPreferred' : 'appraisal-chat.slots.notOnPreferred', { when });
}

/**
 * The slots under `heading` as a numbered list and as quick replies made by `payloadOf`, after
 * `lead` lines; with no slot at all, an honest "nothing free" and an official to ask.
 */
export function offerReply(turn: Turn, lead: string[], heading: string, slots: Slot[], payloadOf: (s: Slot) => string, extra: QuickReply[] = []): Reply {
  const { i18n } = turn.deps;
  if (slots.length === 0) {
    const text = [...lead, i18n.t('appraisal-chat.slots.none', { days: SEARCH_DAYS })].join('\n');
    return { text, quickReplies: [{ title: i18n.t('menu.human'), payload: HANDOFF }, ...extra] };
  }
  const lines = [...lead, heading, ...slots.map((s, i) => i18n.t('appraisal-chat.slots.line', { n: i + 1, time: sessionTime(i18n, s) })), i18n.t('appraisal-chat.slots.pick')];
  const quickReplies = slots.map((s) => ({ title: chipTime(i18n, s.start), payload: payloadOf(s) }));
  return { text: lines.join('\n'), quickReplies: [...quickReplies, ...extra] };
}

/** Day choices offered when the person has not said one: soonest, tomorrow morning/afternoon, next week. */
export function dayChoices(turn: Turn, payloadOf: (d: DayPreference) => string): QuickReply[] {
  const { i18n } = turn.deps;
  const tomorrow = vietnamDay(turn.now, 1);
  const choices: [string, DayPreference][] = [
    ['appraisal-chat.dayChoices.soonest', { from: 'now', days: SEARCH_DAYS }],
    ['appraisal-chat.dayChoices.tomorrowMorning', { from: tomorrow, days: 1, part: 'morning' }],
    ['appraisal-chat.dayChoices.tomorrowAfternoon', { from: tomorrow, days: 1, part: 'afternoon' }],
    ['appraisal-chat.dayChoices.nextWeek', { from: nextMonday(turn.now), days: 7 }],
  ];
  return choices.map(([key, day]) => ({ title: i18n.t(key), payload: payloadOf(day) }));
}

export const slotPayload = (procedure: string) => (s: Slot) => apprPayload({ kind: 'slot', procedure, start: s.start, appraiserId: s.appraiserId });
