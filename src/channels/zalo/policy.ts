/**
 * Whether and how a message may go out on Zalo now (DESIGN.md §5, issue 3 "channel policy").
 *
 * Windows (Zalo docs "Điều kiện gửi tin Tư vấn", spec §5.2): a CS message is free within 48 h of the
 * person's last interaction, possibly billed from 48 h to 7 days, and rejected (-230) after 7 days.
 * Outside the window, only a pre-approved ZNS template to a phone number can reach the person.
 *
 * Quiet hours: no Zalo/ZNS sends 22:00–06:00 Vietnam time (issue 3); ZNS refuses night sends with
 * -133 and promotional OA messages with -234. Zalo itself allows CS replies 24/24 (spec §15.3), and a
 * person who wrote to us at 23:00 is awake and waiting, so a DIRECT reply — purpose 'reply' or
 * 'human_reply' within `DIRECT_REPLY_GRACE_MS` of their last message — goes out at night. Everything
 * else (reminders, broadcasts, appointment updates, late replies) waits until 06:00 the next morning.
 *
 * Someone who unfollowed the OA is not contacted on Zalo at all (not even by ZNS): they chose to stop
 * hearing from the office there; the outbox records the refusal and may use another channel.
 */
import type { ChannelPolicy, OutboundMessage, PolicyDecision, RecipientFacts } from '../types';
import { toZnsPhone } from './phone';
import { isQuietHours, quietHoursEnd } from './vn-time';

const HOUR_MS = 3_600_000;
/** Free CS replies within 48 h of the person's last message. */
export const FREE_WINDOW_MS = 48 * HOUR_MS;
/** CS messages are rejected after 7 days without interaction (-230). */
export const CS_WINDOW_MS = 7 * 24 * HOUR_MS;
/** A reply counts as "direct" (may be sent at night) this long after the person's message. */
export const DIRECT_REPLY_GRACE_MS = 15 * 60_000;

export const REFUSE_UNFOLLOWED = 'the person unfollowed the OA';
export const REFUSE_OUTSIDE_WINDOW = 'outside the Zalo 7-day window and no ZNS template/phone';

/** Is this a reply to something the person said just now (allowed during quiet hours)? */
function isDirectReply(message: OutboundMessage, facts: RecipientFacts, now: Date): boolean {
  if (message.purpose !== 'reply' && message.purpose !== 'human_reply') return false;
  if (!facts.lastInboundAt) return false;
  const age = now.getTime() - facts.lastInboundAt.getTime();
  return age >= -60_000 && age <= DIRECT_REPLY_GRACE_MS;
}

/** The send decision ignoring the clock: which mode, or why not at all. */
function route(message: OutboundMessage, facts: RecipientFacts, now: Date): PolicyDecision {
  const { content, recipient } = message;
  if (content.type === 'template') {
    // Templates exist only as ZNS, addressed by phone, whatever the window. The sender addresses
    // `recipient.phone`, so that is what must be valid (a phone only in `facts` would be approved
    // here and then fail at send time): the outbox puts the known phone on the recipient.
    if (!recipient.phone || !toZnsPhone(recipient.phone)) {
      return { action: 'refuse', reason: facts.phone ? 'the ZNS template needs recipient.phone (the phone is only in the facts)' : 'no valid phone number for the ZNS template' };
    }
    return { action: 'send', mode: { via: 'zalo_zns', templateId: content.templateId } };
  }
  const age = facts.lastInboundAt ? now.getTime() - facts.lastInboundAt.getTime() : undefined;
  if (age === undefined || age > CS_WINDOW_MS) return { action: 'refuse', reason: REFUSE_OUTSIDE_WINDOW };
  if (!recipient.userId) return { action: 'refuse', reason: 'no Zalo user id for a customer-service message' };
  // 48 h – 7 days: still a CS message, but Zalo may bill it (spec §5.2); nothing to decide here.
  return { action: 'send', mode: { via: 'zalo_cs' } };
}

/** The Zalo `ChannelPolicy`. Pure: the same message, facts and time always give the same decision. */
export function createZaloPolicy(): ChannelPolicy {
  return {
    decide(message, facts, now) {
      if (facts.following === false) return { action: 'refuse', reason: REFUSE_UNFOLLOWED };
      const decision = route(message, facts, now);
      if (decision.action !== 'send') return decision;
      if (isQuietHours(now) && !isDirectReply(message, facts, now)) {
        return { action: 'wait', until: quietHoursEnd(now), reason: 'Zalo quiet hours (22:00–06:00 Vietnam time)' };
      }
      return decision;
    },
  };
}

/** True when a CS message sent now would be in the free 48-hour window (billing insight for officials). */
export function inFreeWindow(facts: RecipientFacts, now: Date): boolean {
  return facts.lastInboundAt !== undefined && now.getTime() - facts.lastInboundAt.getTime() <= FREE_WINDOW_MS;
}
