/** How broadcasts and delivery outcomes are named on the console's pages (all text from locales). */
import type { Broadcast, BroadcastStatus, OutcomeKind, ReasonCount, Segment } from '../../broadcasts';
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';

/** Procedure slug -> name, for segments and lists (slugs of retired procedures show as they are). */
export type ProcedureNames = ReadonlyMap<string, string>;

export const tb = (i18n: Translator, key: string, params?: Record<string, string | number>) => i18n.t(`admin-broadcasts.${key}`, params);

export function channelChoiceLabel(i18n: Translator, channel: Segment['channel']): string {
  return tb(i18n, `channels.${channel}`);
}

/** "Người quan tâm trên Zalo", "Người có giấy phép ATTP (mọi kênh)"… */
export function segmentLabel(i18n: Translator, segment: Segment | null, names: ProcedureNames): string {
  if (!segment) return tb(i18n, 'segment.unknown');
  const channel = channelChoiceLabel(i18n, segment.channel);
  switch (segment.kind) {
    case 'followers':
      return tb(i18n, 'segment.describe.followers', { channel });
    case 'licence_holders':
      return tb(i18n, 'segment.describe.licence_holders', { channel, procedure: names.get(segment.procedure) ?? segment.procedure });
    case 'asked_procedure':
      return tb(i18n, 'segment.describe.asked_procedure', { channel, procedure: names.get(segment.procedure) ?? segment.procedure, days: segment.days });
    case 'ward':
      return tb(i18n, 'segment.describe.ward', { channel, ward: segment.ward });
  }
}

const STATUS_BADGE: Record<BroadcastStatus, string> = {
  draft: 'muted',
  scheduled: '',
  sending: 'ok',
  paused: 'warn',
  cancelled: 'muted',
  done: 'ok',
};

export function statusBadge(i18n: Translator, status: BroadcastStatus): Html {
  const cls = STATUS_BADGE[status];
  return html`<span class="badge${cls ? ` ${cls}` : ''}" data-status="${status}">${tb(i18n, `status.${status}`)}</span>`;
}

export function outcomeLabel(i18n: Translator, kind: OutcomeKind | 'pending' | 'optedOut'): string {
  return tb(i18n, `outcome.${kind}`);
}

/** A reason as officials read it: the known explanation, with the channel's own words beside it. */
export function reasonCell(i18n: Translator, reason: Pick<ReasonCount, 'key' | 'reason'>): Html {
  if (!reason.key) return html`${reason.reason}`;
  return html`${tb(i18n, `reasons.${reason.key}`)}<br><small class="muted">${reason.reason}</small>`;
}

/** Whether a broadcast's page should keep refreshing itself. */
export function isLive(b: Pick<Broadcast, 'status'>, inFlight: number): boolean {
  return b.status === 'scheduled' || b.status === 'sending' || inFlight > 0;
}
