/**
 * Messages to a business about its session — the 24 h and 1 h reminders, and officials' moves and
 * cancellations — queued in the outbox, whose channel policies decide how they go out:
 *
 * - booked from Messenger: a message to the PSID (`appointment_update`: UPDATE inside 24 h, the
 *   CONFIRMED_EVENT_UPDATE tag outside it, per the Messenger policy);
 * - booked from Zalo and the person wrote within the 7-day CS window: a CS message;
 * - otherwise (Zalo outside the window, the web chat — which cannot be pushed to — or the portal
 *   API, which only has a phone): the ZNS template `ZNS_TEMPLATE_APPRAISAL_REMINDER` to the phone.
 *
 * When none of these exists (no template configured, or a cancellation, for which no template is
 * approved), the message is still recorded — an outbox row already `failed` with the reason — so
 * officials see who must be phoned instead; nothing is dropped silently. Each message has a dedupe
 * key, so planning it twice (two workers, a re-run) queues it once.
 */
import { tables, type Db } from '../db';
import { enqueueOutbound } from '../outbox';
import { recipientFacts } from '../channels/contacts';
import { CS_WINDOW_MS } from '../channels/zalo';
import type { OutboundMessage, Recipient } from '../channels/types';
import type { Translator } from '../i18n';
import type { Booking } from './contract';
import { formatSessionTime, procedureName, vietnamClock, vietnamDate } from './format';
import { loadType } from './store';

export type Notice =
  | { kind: 'reminder'; lead: '24h' | '1h' }
  | { kind: 'rescheduled'; previous: Booking }
  | { kind: 'cancelled'; reason: string };

export interface NoticeSettings {
  i18n: Translator;
  znsReminderTemplate?: string;
}

/** queued: a new outbox row; undeliverable: recorded as failed; duplicate: planned before. */
export type NoticeOutcome = 'queued' | 'undeliverable' | 'duplicate';

export function noticeKey(booking: Booking, notice: Notice): string {
  if (notice.kind === 'reminder') return `appraisal:${booking.id}:reminder:${notice.lead}`;
  // A move is keyed on the booking it replaced: it happens once per old row.
  if (notice.kind === 'rescheduled') return `appraisal:${notice.previous.id}:rescheduled`;
  return `appraisal:${booking.id}:cancelled`;
}

async function noticeText(db: Db, booking: Booking, notice: Notice, i18n: Translator): Promise<string> {
  const params = {
    procedure: await procedureName(db, booking.procedureSlug),
    business: booking.businessName,
    when: formatSessionTime(booking.start, i18n),
    code: booking.code,
    appraiser: booking.appraiserName,
  };
  if (notice.kind === 'cancelled') return i18n.t('appraisal.notice.cancelled', { ...params, reason: notice.reason });
  const head =
    notice.kind === 'reminder'
      ? i18n.t(notice.lead === '24h' ? 'appraisal.notice.reminder24h' : 'appraisal.notice.reminder1h', params)
      : i18n.t('appraisal.notice.rescheduled', { ...params, previous: formatSessionTime(notice.previous.start, i18n) });
  const type = await loadType(db, booking.procedureSlug);
  if (!type) return head;
  const how =
    type.videoChannel === 'meeting_link'
      ? type.meetingUrl
        ? i18n.t('appraisal.videoChannel.meeting_link', { url: type.meetingUrl })
        : i18n.t('appraisal.videoChannel.meeting_link_later')
      : i18n.t(`appraisal.videoChannel.${type.videoChannel}`);
  const prepare = type.preparation.map((p) => `- ${p}`).join('\n');
  return `${head}\n${i18n.t('appraisal.notice.how', { how })}\n${i18n.t('appraisal.notice.prepare')}\n${prepare}`;
}

/** Data of the appraisal ZNS template (keys documented in .env.example). */
export function znsTemplateData(booking: Booking): Record<string, string> {
  return {
    customer_name: booking.businessName.slice(0, 100),
    booking_code: booking.code,
    appraisal_date: vietnamDate(booking.start),
    appraisal_time: vietnamClock(booking.start),
  };
}

type Route = { message: Omit<OutboundMessage, 'dedupeKey' | 'purpose'> } | { undeliverable: string; channel: string; recipient: Recipient };

async function route(db: Db, booking: Booking, notice: Notice, text: string, settings: NoticeSettings, now: Date): Promise<Route> {
  const reply = { type: 'reply' as const, reply: { text } };
  if (booking.channel === 'messenger' && booking.channelUserId) {
    return { message: { channel: 'messenger', recipient: { userId: booking.channelUserId }, content: reply } };
  }
  const userId = booking.channel === 'zalo' ? booking.channelUserId ?? undefined : undefined;
  if (userId) {
    const facts = await recipientFacts(db, 'zalo', userId);
    const inWindow = facts.lastInboundAt !== undefined && now.getTime() - facts.lastInboundAt.getTime() < CS_WINDOW_MS;
    if (inWindow) return { message: { channel: 'zalo', recipient: { userId }, content: reply } };
  }
  const recipient: Recipient = { userId, phone: booking.phone };
  // The approved template states a session's date and time: right for a reminder or a new time,
  // wrong for a cancellation.
  if (notice.kind === 'cancelled') {
    return { undeliverable: 'cancellation notice: the business is not reachable in a chat and no ZNS template exists for cancellations; please phone', channel: 'zalo', recipient };
  }
  if (!settings.znsReminderTemplate) {
    return {
      undeliverable: 'the business is not reachable in a chat and ZNS_TEMPLATE_APPRAISAL_REMINDER is not configured; please phone',
      channel: 'zalo',
      recipient,
    };
  }
  return {
    message: { channel: 'zalo', recipient, content: { type: 'template', templateId: settings.znsReminderTemplate, data: znsTemplateData(booking) } },
  };
}

/** Queues (or records as undeliverable) one notice about `booking`, inside the caller's transaction. */
export async function enqueueNotice(db: Db, booking: Booking, notice: Notice, settings: NoticeSettings, now: Date): Promise<NoticeOutcome> {
  const dedupeKey = noticeKey(booking, notice);
  const text = await noticeText(db, booking, notice, settings.i18n);
  const r = await route(db, booking, notice, text, settings, now);
  if ('message' in r) {
    const added = await enqueueOutbound(db, [{ ...r.message, dedupeKey, purpose: 'appointment_update' }], { plannedAt: now });
    return added > 0 ? 'queued' : 'duplicate';
  }
  const rows = await db
    .insert(tables.outbox)
    .values({
      dedupeKey,
      channel: r.channel,
      recipient: r.recipient,
      content: { type: 'reply', reply: { text } },
      purpose: 'appointment_update',
      status: 'failed',
      failureReason: r.undeliverable,
    })
    .onConflictDoNothing()
    .returning({ id: tables.outbox.id });
  return rows.length > 0 ? 'undeliverable' : 'duplicate';
}
