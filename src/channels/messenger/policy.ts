/**
 * When and how a message may go out on Messenger (DESIGN.md §5; Messenger Platform policy).
 *
 * Rules relied on:
 * - Standard messaging: the Page may message a person for 24 hours after the person's last message
 *   (Messenger Platform policy overview; Send API reference "Before You Start"). Inside it the Send
 *   API's `messaging_type` says why: RESPONSE "in response to a received message", UPDATE "being sent
 *   proactively and is not in response to a received message … inside the 24-hour standard messaging
 *   window" (Send API reference, `messaging_type`). So replies go as RESPONSE and reminders,
 *   broadcasts and appointment updates as UPDATE: both are allowed; UPDATE is the honest label.
 * - Outside 24 h only MESSAGE_TAG sends, and only for the tag's use case (Message Tags docs):
 *   HUMAN_AGENT lets a human answer "within 7 days after a user message" and needs Meta's approval
 *   of the Human Agent permission (App Review) -> opt-in via `humanAgentTagApproved`;
 *   CONFIRMED_EVENT_UPDATE covers "reminders or updates for an event they have registered for" —
 *   our booked appraisals. Meta deprecated it with ACCOUNT_UPDATE and POST_PURCHASE_UPDATE
 *   (effective 27 April 2026, chatwoot/chatwoot#14674); we still try it (DESIGN §5) and the sender
 *   reports the resulting error 100 as 'outside_window' so the outbox falls back.
 *   Tags never cover promotional content, so broadcasts and plain reminders are refused outside 24 h.
 * - Messenger has no quiet hours, but a district office pinging citizens at 23:00 is rude: a reminder
 *   or broadcast due at night (22:00–06:00 Vietnam time, as Zalo enforces) waits for 06:00 when the
 *   window will still be open then; when it would close first it goes now, and the sender delivers
 *   proactive messages at night as SILENT_PUSH (no sound). Replies are never held: the person is
 *   waiting for them.
 */
import type { ChannelPolicy, OutboundMessage, PolicyDecision, RecipientFacts } from '../types';

export const HOUR_MS = 3_600_000;
/** The standard messaging window. */
export const STANDARD_WINDOW_MS = 24 * HOUR_MS;
/** The HUMAN_AGENT tag's window. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR_MS;
/** Vietnam is UTC+7 all year (no daylight saving). */
const VIETNAM_OFFSET_MS = 7 * HOUR_MS;
const NIGHT_START_HOUR = 22;
const MORNING_HOUR = 6;
/** A held message must still find the window open this long after 06:00 (the outbox needs time). */
const MORNING_MARGIN_MS = 30 * 60_000;

/** True between 22:00 and 06:00 in Vietnam. */
export function isVietnamNight(at: Date): boolean {
  const hour = new Date(at.getTime() + VIETNAM_OFFSET_MS).getUTCHours();
  return hour >= NIGHT_START_HOUR || hour < MORNING_HOUR;
}

/** The next 06:00 Vietnam time strictly after `at`. */
export function nextVietnamMorning(at: Date): Date {
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  const morning = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), MORNING_HOUR);
  const next = morning > local.getTime() ? morning : morning + 24 * HOUR_MS;
  return new Date(next - VIETNAM_OFFSET_MS);
}

export interface MessengerPolicyOptions {
  /** Meta approved this app's Human Agent permission: officials may answer up to 7 days later. Default false. */
  humanAgentTagApproved?: boolean;
  /** Try CONFIRMED_EVENT_UPDATE for appointment updates outside 24 h (default true, see above). */
  confirmedEventUpdateTag?: boolean;
  /** Hold reminders and broadcasts due at night until 06:00 when the window allows (default true). */
  holdProactiveAtNight?: boolean;
}

/**
 * The Messenger `ChannelPolicy`: decides per message whether it may be sent now, how
 * (`messagingType`, `tag`), or why not (`refuse` reasons are shown to officials).
 */
export class MessengerPolicy implements ChannelPolicy {
  private readonly humanAgentTagApproved: boolean;
  private readonly confirmedEventUpdateTag: boolean;
  private readonly holdProactiveAtNight: boolean;

  constructor(options: MessengerPolicyOptions = {}) {
    this.humanAgentTagApproved = options.humanAgentTagApproved ?? false;
    this.confirmedEventUpdateTag = options.confirmedEventUpdateTag ?? true;
    this.holdProactiveAtNight = options.holdProactiveAtNight ?? true;
  }

  decide(message: OutboundMessage, facts: RecipientFacts, now: Date): PolicyDecision {
    if (message.content.type === 'template') {
      return refuse('templates are a Zalo feature (ZNS); Messenger has no pre-approved template messages');
    }
    if (!message.recipient.userId) return refuse('no Messenger PSID for this recipient');
    if (facts.following === false) return refuse('the person has blocked or left the conversation with the Page');
    if (!facts.lastInboundAt) {
      return refuse('the person has never written to the Page; Messenger does not allow the Page to write first');
    }
    const elapsed = Math.max(0, now.getTime() - facts.lastInboundAt.getTime());
    const hoursAgo = `${Math.floor(elapsed / HOUR_MS)} h ago`;
    const purpose = message.purpose;

    if (elapsed < STANDARD_WINDOW_MS) {
      if (purpose === 'reply' || purpose === 'human_reply') return send({ via: 'messenger', messagingType: 'RESPONSE' });
      if ((purpose === 'reminder' || purpose === 'broadcast') && this.holdProactiveAtNight && isVietnamNight(now)) {
        const morning = nextVietnamMorning(now);
        const windowEnds = facts.lastInboundAt.getTime() + STANDARD_WINDOW_MS;
        if (morning.getTime() + MORNING_MARGIN_MS < windowEnds) {
          return { action: 'wait', until: morning, reason: 'night in Vietnam (22:00–06:00): reminders and broadcasts wait for 06:00' };
        }
      }
      return send({ via: 'messenger', messagingType: 'UPDATE' });
    }

    if (purpose === 'human_reply') {
      if (elapsed >= HUMAN_AGENT_WINDOW_MS) {
        return refuse(`outside the Messenger 24-hour window and past the 7-day human agent window (last message ${hoursAgo})`);
      }
      if (!this.humanAgentTagApproved) {
        return refuse(
          `outside the Messenger 24-hour window (last message ${hoursAgo}); answering later needs the HUMAN_AGENT tag, which Meta has not approved for this app`,
        );
      }
      return send({ via: 'messenger', messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    }
    if (purpose === 'appointment_update' && this.confirmedEventUpdateTag) {
      return send({ via: 'messenger', messagingType: 'MESSAGE_TAG', tag: 'CONFIRMED_EVENT_UPDATE' });
    }
    return refuse(`outside the Messenger 24-hour window (last message from the person ${hoursAgo})`);
  }
}

function send(mode: Extract<PolicyDecision, { action: 'send' }>['mode']): PolicyDecision {
  return { action: 'send', mode };
}

function refuse(reason: string): PolicyDecision {
  return { action: 'refuse', reason };
}
