/**
 * What the appraisal flow remembers between messages, in `context.appraisal`. It is stored as JSON
 * and read back on every message, so it is validated here: a damaged or outdated state is dropped
 * (the person is asked again) rather than trusted. It disappears with the rest of the context after
 * the conversation's idle time (engine.ts), which is the draft's expiry.
 */
import { z } from 'zod';
import type { Turn } from '../../turn';

/** A slot we offered or the person chose: enough to book it without asking again. */
export const slotRefSchema = z.object({
  start: z.iso.datetime(),
  appraiserId: z.string().min(1).max(100),
});
export type SlotRef = z.infer<typeof slotRefSchema>;

/**
 * When the person would like the session: `days` Vietnam calendar days from `from` (`now` = the
 * soonest possible), optionally only mornings or afternoons, and closest to `time` when one was said.
 */
export const dayPreferenceSchema = z.object({
  from: z.union([z.literal('now'), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)]),
  days: z.number().int().min(1).max(31),
  part: z.enum(['morning', 'afternoon']).optional(),
  time: z.string().regex(/^\d{2}:\d{2}$/).optional(),
});
export type DayPreference = z.infer<typeof dayPreferenceSchema>;

/** Fields the person may go back and change before confirming. */
export const EDITABLE = ['procedure', 'businessName', 'address', 'phone', 'day'] as const;
export type EditableField = (typeof EDITABLE)[number];

/** A booking being put together. */
export const bookDraftSchema = z.object({
  procedure: z.string().min(1).max(100).optional(),
  businessName: z.string().min(1).max(200).optional(),
  address: z.string().min(1).max(300).optional(),
  /** 0… form. */
  phone: z.string().regex(/^0\d{9,10}$/).optional(),
  day: dayPreferenceSchema.optional(),
  /** The slots shown last, so "số 2" or "9h" can pick one. */
  offered: z.array(slotRefSchema).max(10).optional(),
  slot: slotRefSchema.optional(),
  /** The field being corrected from the summary. */
  editing: z.enum(EDITABLE).optional(),
});
export type BookDraft = z.infer<typeof bookDraftSchema>;

/** Moving or cancelling one of the person's bookings. */
export const changeSchema = z.object({
  action: z.enum(['reschedule', 'cancel']),
  bookingId: z.string().min(1).max(100).optional(),
  day: dayPreferenceSchema.optional(),
  offered: z.array(slotRefSchema).max(10).optional(),
  slot: slotRefSchema.optional(),
});
export type ChangeState = z.infer<typeof changeSchema>;

export const appraisalStateSchema = z.object({
  book: bookDraftSchema.optional(),
  change: changeSchema.optional(),
  /**
   * Which of the two is waiting for the person's answer. Unset while the person talks about
   * something else: the draft is kept, but free text is no longer read as an answer to it.
   */
  active: z.enum(['book', 'change']).optional(),
});
export type AppraisalState = z.infer<typeof appraisalStateSchema>;

/** The flow's state from the context; anything invalid is dropped. */
export function readState(turn: Turn): AppraisalState {
  const parsed = appraisalStateSchema.safeParse(turn.context.appraisal ?? {});
  if (parsed.success) return parsed.data;
  turn.context.appraisal = undefined;
  return {};
}

/** Stores the state (nothing at all once both the draft and the change are done). */
export function writeState(turn: Turn, state: AppraisalState): void {
  const empty = !state.book && !state.change;
  turn.context.appraisal = empty ? undefined : appraisalStateSchema.parse(state);
}

/** The step a booking draft is at: the field being edited, else the first one missing. */
export type BookStep = EditableField | 'slot' | 'confirm';
export function bookStep(d: BookDraft): BookStep {
  if (d.editing) return d.editing;
  if (!d.procedure) return 'procedure';
  if (!d.businessName) return 'businessName';
  if (!d.address) return 'address';
  if (!d.phone) return 'phone';
  if (!d.slot) return d.day ? 'slot' : 'day';
  return 'confirm';
}

/** The step a reschedule or cancellation is at. */
export type ChangeStep = 'pickBooking' | 'day' | 'slot' | 'confirm';
export function changeStep(c: ChangeState): ChangeStep {
  if (!c.bookingId) return 'pickBooking';
  if (c.action === 'cancel') return 'confirm';
  if (!c.slot) return c.day ? 'slot' : 'day';
  return 'confirm';
}

export const toSlotRef = (s: { start: Date; appraiserId: string }): SlotRef => ({ start: s.start.toISOString(), appraiserId: s.appraiserId });
