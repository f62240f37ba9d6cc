/**
 * Which messages one reminder becomes. The channel policies decide (src/channels/zalo/policy.ts,
 * src/channels/messenger/policy.ts); routing asks them, at planning time, whether a message could go
 * out now or after the wait they impose (quiet hours), so a way that is certain to be refused is not
 * queued and the next way is tried instead:
 *
 * 1. each verified, subscribed chat identity: its channel's chat message (Zalo CS inside the 7-day
 *    window, Messenger inside its window — the policy picks the messaging type);
 * 2. for a Zalo identity the chat message cannot reach: a ZNS template to the identity's phone (or
 *    the licence's), addressed with the user id too, so someone who unfollowed the OA is respected;
 * 3. nobody reached that way: a ZNS template to the licence's phone — unless the holder's Zalo
 *    identity unsubscribed or unfollowed the OA: ZNS is Zalo too, and their choice stands;
 * 4. still nothing: no message — the reminder is "no reachable channel" for an officer to phone.
 *
 * The outbox asks the same policies again when it sends (the moment may differ); a refusal then is
 * reconciled onto the reminder (see delivery.ts), never silent.
 */
import type { Channel, ChannelPolicy, OutboundMessage, RecipientFacts } from '../../channels/types';

/** A verified chat identity of the licence, with what the channel knows of the person. */
export interface ReminderIdentity {
  channel: Channel;
  userId: string;
  facts: RecipientFacts;
  /** The person stopped reminders on this channel (`reminder.unsubscribe`). */
  unsubscribed?: boolean;
}

export interface RoutingContext {
  /** The policies of the channels this deployment can send on. */
  policies: Partial<Record<Channel, ChannelPolicy>>;
  /** `ZNS_TEMPLATE_LICENCE_EXPIRY`; unset = no ZNS. */
  znsTemplateId?: string;
  now: Date;
}

export interface ReminderToRoute {
  /** `licence:<id>:expiry:<date>:<step>`: the dedupe key, suffixed per recipient when there are several. */
  key: string;
  licencePhone: string | null;
  text: string;
  templateData: Record<string, string | number>;
}

export interface RouteResult {
  messages: OutboundMessage[];
  /** Why identities (or the phone) could not be used: kept in the reminder's note for officials. */
  notes: string[];
}

type Verdict = { ok: true } | { ok: false; reason: string };

/** Would the policy send this message now, or after the wait it imposes? */
function verdict(policy: ChannelPolicy, message: OutboundMessage, facts: RecipientFacts, now: Date): Verdict {
  let decision = policy.decide(message, facts, now);
  if (decision.action === 'wait') decision = policy.decide(message, facts, decision.until);
  return decision.action === 'refuse' ? { ok: false, reason: decision.reason } : { ok: true };
}

export function routeReminder(ctx: RoutingContext, reminder: ReminderToRoute, identities: readonly ReminderIdentity[]): RouteResult {
  const planned: { suffix: string; message: Omit<OutboundMessage, 'dedupeKey'> }[] = [];
  const notes: string[] = [];
  const znsPhones = new Set<string>();
  const zalo = ctx.policies.zalo;
  const zns = (phone: string, userId?: string): Omit<OutboundMessage, 'dedupeKey'> | undefined =>
    ctx.znsTemplateId
      ? {
          channel: 'zalo',
          recipient: userId ? { userId, phone } : { phone },
          content: { type: 'template', templateId: ctx.znsTemplateId, data: reminder.templateData },
          purpose: 'reminder',
        }
      : undefined;

  /** Channels the holder opted out of (unsubscribed, or unfollowed the Zalo OA). */
  const optedOut = new Set<Channel>();
  for (const identity of identities) {
    const who = `${identity.channel}:${identity.userId}`;
    if (identity.unsubscribed) {
      optedOut.add(identity.channel);
      notes.push(`${who}: unsubscribed from reminders on this channel`);
      continue;
    }
    if (identity.facts.following === false) optedOut.add(identity.channel);
    const policy = ctx.policies[identity.channel];
    if (!policy) {
      notes.push(`${who}: the ${identity.channel} channel cannot send here`);
      continue;
    }
    const chat: Omit<OutboundMessage, 'dedupeKey'> = {
      channel: identity.channel,
      recipient: { userId: identity.userId },
      content: { type: 'reply', reply: { text: reminder.text } },
      purpose: 'reminder',
    };
    const chatVerdict = verdict(policy, { ...chat, dedupeKey: reminder.key }, identity.facts, ctx.now);
    if (chatVerdict.ok) {
      planned.push({ suffix: who, message: chat });
      continue;
    }
    const phone = identity.facts.phone ?? reminder.licencePhone ?? undefined;
    const template = identity.channel === 'zalo' && phone ? zns(phone, identity.userId) : undefined;
    const templateVerdict = template && !znsPhones.has(phone ?? '') ? verdict(policy, { ...template, dedupeKey: reminder.key }, identity.facts, ctx.now) : undefined;
    if (template && phone && templateVerdict?.ok) {
      znsPhones.add(phone);
      planned.push({ suffix: who, message: template });
      continue;
    }
    notes.push(`${who}: ${chatVerdict.reason}${templateVerdict && !templateVerdict.ok ? `; ZNS: ${templateVerdict.reason}` : ''}`);
  }

  const subscribed = identities.filter((i) => !i.unsubscribed).length;
  if (planned.length === 0 && reminder.licencePhone && optedOut.has('zalo')) {
    notes.push(`phone ${reminder.licencePhone}: not used for ZNS, the holder opted out of Zalo`);
  } else if (planned.length === 0 && reminder.licencePhone && zalo) {
    const template = zns(reminder.licencePhone);
    const phoneVerdict = template ? verdict(zalo, { ...template, dedupeKey: reminder.key }, {}, ctx.now) : undefined;
    if (template && phoneVerdict?.ok) planned.push({ suffix: 'zns', message: template });
    else notes.push(`phone ${reminder.licencePhone}: ${phoneVerdict && !phoneVerdict.ok ? phoneVerdict.reason : 'no ZNS template configured (ZNS_TEMPLATE_LICENCE_EXPIRY)'}`);
  } else if (planned.length === 0 && reminder.licencePhone) {
    notes.push(`phone ${reminder.licencePhone}: the Zalo channel (ZNS) is not configured`);
  }
  if (subscribed === 0 && !reminder.licencePhone) notes.push('no subscribed chat identity and no phone on the licence');

  const messages = planned.map(({ suffix, message }) => ({
    ...message,
    dedupeKey: planned.length === 1 ? reminder.key : `${reminder.key}:${suffix}`,
  }));
  return { messages, notes };
}
