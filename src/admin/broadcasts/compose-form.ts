/**
 * The compose form: what the official typed (kept as strings to show again), the segment and the
 * message it describes (zod), and field errors as `admin-broadcasts.errors.*` keys.
 *
 * Sending requires a count first: the form only offers "send" after "Đếm", and carries the segment
 * and total that were counted. If the segment changed since (or the count moved), sending is
 * refused and the new count shown, so nobody sends to an audience they have not seen.
 */
import { z } from 'zod';
import { MAX_BROADCAST_CHARS, MAX_TITLE_CHARS, segmentSchema, type Segment } from '../../broadcasts';

export interface ComposeValues {
  title: string;
  text: string;
  kind: string;
  channel: string;
  procedure: string;
  days: string;
  ward: string;
  when: 'now' | 'later';
  /** `YYYY-MM-DDTHH:mm`, Vietnam time (a `datetime-local` input). */
  scheduledAt: string;
  countedSegment: string;
  countedTotal: string;
}

export type FieldErrors = Partial<Record<keyof ComposeValues, string>>;

export const DEFAULT_DAYS = 30;
/** How far ahead a broadcast may be scheduled. */
const MAX_SCHEDULE_AHEAD_MS = 366 * 86_400_000;

export function emptyValues(): ComposeValues {
  return { title: '', text: '', kind: 'followers', channel: 'all', procedure: '', days: String(DEFAULT_DAYS), ward: '', when: 'now', scheduledAt: '', countedSegment: '', countedTotal: '' };
}

/** The posted form as strings (anything missing or not a string is empty). */
export function readComposeValues(body: unknown): ComposeValues {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  const base = emptyValues();
  return {
    title: s('title'),
    text: s('text').replace(/\r\n/g, '\n'),
    kind: s('kind') || base.kind,
    channel: s('channel') || base.channel,
    procedure: s('procedure'),
    days: s('days') || base.days,
    ward: s('ward'),
    when: s('when') === 'later' ? 'later' : 'now',
    scheduledAt: s('scheduledAt'),
    countedSegment: s('countedSegment'),
    countedTotal: s('countedTotal'),
  };
}

/** The segment the form describes, or the errors (keyed by field). */
export function readSegment(v: ComposeValues): { segment?: Segment; errors: FieldErrors } {
  const parsed = segmentSchema.safeParse({ kind: v.kind, channel: v.channel, procedure: v.procedure, days: v.days, ward: v.ward });
  if (parsed.success) return { segment: parsed.data, errors: {} };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = (issue.path[0] as keyof ComposeValues | undefined) ?? 'kind';
    errors[field] ??= /^[a-zA-Z]+$/.test(issue.message) ? issue.message : 'segmentKind';
  }
  return { errors };
}

/** A stable spelling of a segment, to compare what was counted with what is sent. */
export function segmentFingerprint(segment: Segment): string {
  return JSON.stringify(Object.entries(segment).sort(([a], [b]) => a.localeCompare(b)));
}

const messageSchema = z.object({
  title: z.string().transform((s) => s.normalize('NFC').trim()).pipe(z.string().min(1, 'titleEmpty').max(MAX_TITLE_CHARS, 'titleTooLong')),
  text: z.string().transform((s) => s.normalize('NFC').trim()).pipe(z.string().min(1, 'textEmpty').max(MAX_BROADCAST_CHARS, 'textTooLong')),
});

/** `YYYY-MM-DDTHH:mm` on a Vietnamese clock as an instant, or undefined when it is not a real time. */
export function parseVietnamDateTime(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  const at = new Date(`${value}:00+07:00`);
  if (Number.isNaN(at.getTime())) return undefined;
  // Date rolls 31/11 over to 01/12: only a round trip proves the day exists.
  const back = new Date(at.getTime() + 7 * 3_600_000).toISOString().slice(0, 16);
  return back === value ? at : undefined;
}

export interface ComposedMessage {
  title: string;
  text: string;
  scheduledAt: Date;
}

/** Title, text and start time, or the errors. */
export function readMessage(v: ComposeValues, now: Date): { message?: ComposedMessage; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const parsed = messageSchema.safeParse({ title: v.title, text: v.text });
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path[0] as 'title' | 'text'] ??= issue.message;
  let scheduledAt = now;
  if (v.when === 'later') {
    const at = parseVietnamDateTime(v.scheduledAt);
    if (!at) errors.scheduledAt = 'scheduleInvalid';
    else if (at.getTime() <= now.getTime()) errors.scheduledAt = 'schedulePast';
    else if (at.getTime() - now.getTime() > MAX_SCHEDULE_AHEAD_MS) errors.scheduledAt = 'scheduleTooFar';
    else scheduledAt = at;
  }
  if (!parsed.success || Object.keys(errors).length > 0) return { errors };
  return { message: { ...parsed.data, scheduledAt }, errors };
}

/** The text as the preview shows it: cleaned the same way as what is stored, but never refused. */
export function previewText(v: ComposeValues): string {
  return v.text.normalize('NFC').trim();
}
