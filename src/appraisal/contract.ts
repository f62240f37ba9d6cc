/**
 * What the rest of the system may ask of the appraisal component: the chat flow, the public API
 * (DESIGN.md §4.2) and the console all book, move and cancel sessions through this one interface,
 * so the rules (free slots, no double booking, history, notifications) live in one place.
 */
import type { Channel } from '../conversation/types';

/** One checklist item the appraiser goes through during the call. */
export interface ChecklistItem {
  key: string;
  label: string;
}

/** A procedure that can be appraised remotely, and how its sessions go. */
export interface AppraisalType {
  procedureSlug: string;
  sessionMinutes: number;
  bufferMinutes: number;
  videoChannel: 'zalo_video' | 'messenger_video' | 'meeting_link';
  meetingUrl: string | null;
  checklist: ChecklistItem[];
  /** What the business must prepare (Vietnamese sentences). */
  preparation: string[];
  licenceValidityDays: number;
}

/** A free session time. */
export interface Slot {
  start: Date;
  end: Date;
  appraiserId: string;
}

export type BookingStatus = 'booked' | 'rescheduled' | 'cancelled' | 'completed' | 'no_show';

export interface Booking {
  id: string;
  /** Short code people can quote ("TĐ-7K3M9Q"). */
  code: string;
  procedureSlug: string;
  appraiserId: string;
  appraiserName: string;
  start: Date;
  end: Date;
  status: BookingStatus;
  businessName: string;
  address: string;
  /** 0… form. */
  phone: string;
  channel: Channel | null;
  channelUserId: string | null;
  source: 'chat' | 'api' | 'console';
  rescheduledFrom: string | null;
  outcome: 'passed' | 'needs_fixes' | 'failed' | null;
}

export interface BookingRequest {
  procedure: string;
  start: Date;
  /** A given appraiser; any free appraiser at `start` when absent. */
  appraiserId?: string;
  businessName: string;
  address: string;
  /** Any Vietnamese form (0…, +84…, spaces); stored as 0…. */
  phone: string;
  /** Who booked from a chat: reminders and change notices go there. */
  channel?: Channel;
  channelUserId?: string;
  source: 'chat' | 'api' | 'console';
}

/** Why a booking or a reschedule did not happen, with the next free slots to offer instead. */
export type BookingRefusal =
  /** Someone else took that time, or the appraiser's last session that day, a moment ago. */
  | { ok: false; reason: 'slot_taken'; alternatives: Slot[] }
  /** Not a free slot at all: outside hours, a day off, in the past, over capacity, unknown appraiser. */
  | { ok: false; reason: 'not_available'; alternatives: Slot[] }
  /** The procedure cannot be appraised remotely. */
  | { ok: false; reason: 'unknown_procedure'; alternatives: [] }
  /** The booking is not live any more (cancelled, already held, or not found). */
  | { ok: false; reason: 'not_changeable'; alternatives: [] };

export type BookingResult = { ok: true; booking: Booking } | BookingRefusal;

/** Who made a change: officials' changes are notified to the business. */
export type ChangedBy = { kind: 'business' } | { kind: 'official'; officialId: string };

export interface AppraisalService {
  /** Procedures that can be appraised remotely. */
  types(): Promise<AppraisalType[]>;
  type(procedureSlug: string): Promise<AppraisalType | undefined>;
  /**
   * Free slots for `procedure` on `days` Vietnam calendar days from `from` (`YYYY-MM-DD`), not
   * before `now` plus the minimum notice, earliest first; at most `limit` when given.
   */
  freeSlots(query: {
    procedure: string;
    from: string;
    days: number;
    now: Date;
    limit?: number;
    /** A booking being moved: its own time counts as free (additive, optional). */
    ignoreBooking?: string;
  }): Promise<Slot[]>;
  book(request: BookingRequest, now: Date): Promise<BookingResult>;
  /** Moves a live booking to `start` (history kept: the old row is closed, a new one booked). */
  reschedule(bookingId: string, start: Date, by: ChangedBy, now: Date, appraiserId?: string): Promise<BookingResult>;
  /** Cancels a live booking; undefined when it was not live. */
  cancel(bookingId: string, reason: string, by: ChangedBy, now: Date): Promise<Booking | undefined>;
  get(bookingId: string): Promise<Booking | undefined>;
  findByCode(code: string): Promise<Booking | undefined>;
  /** Live (booked, not yet held) bookings made from this chat identity, soonest first. */
  upcomingFor(channel: Channel, channelUserId: string, now: Date): Promise<Booking[]>;
  /** Public link to the booking's `.ics` calendar file (unguessable). */
  calendarUrl(booking: Booking, appBaseUrl: string): string;
  /** Every booking (any status) starting in `[from, to)`, earliest first; one appraiser's when given. */
  bookingsBetween(from: Date, to: Date, appraiserId?: string): Promise<Booking[]>;
  /** All appraisers, active or not, by name. */
  appraisers(): Promise<AppraiserInfo[]>;
}

/** An appraiser as the console lists them. */
export interface AppraiserInfo {
  id: string;
  name: string;
  /** The console account, when the appraiser signs in. */
  officialId: string | null;
  procedures: string[];
  active: boolean;
}
