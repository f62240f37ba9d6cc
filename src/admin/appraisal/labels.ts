/** Words the appraisal pages share: statuses, outcomes, channels and the status badge. */
import type { Translator } from '../../i18n';
import { html, type Html } from '../html';
import type { BookingStatus } from '../../appraisal/contract';

const STATUS_BADGE: Record<BookingStatus, string> = {
  booked: 'badge',
  completed: 'badge ok',
  no_show: 'badge warn',
  cancelled: 'badge muted',
  rescheduled: 'badge muted',
};

export function statusBadge(i18n: Translator, status: BookingStatus, outcome: string | null): Html {
  const text = status === 'completed' && outcome ? i18n.t(`admin-appraisal.outcome.${outcome}`) : i18n.t(`admin-appraisal.status.${status}`);
  const cls = status === 'completed' && outcome && outcome !== 'passed' ? 'badge warn' : STATUS_BADGE[status];
  return html`<span class="${cls}">${text}</span>`;
}

/** How the session was booked: the chat channel, the portal API or the console. */
export function bookedVia(i18n: Translator, source: string, channel: string | null): string {
  if (source === 'chat' && channel && i18n.has(`admin-appraisal.channels.${channel}`)) {
    return i18n.t('admin-appraisal.session.viaChat', { channel: i18n.t(`admin-appraisal.channels.${channel}`) });
  }
  return i18n.t(`admin-appraisal.sources.${source === 'api' ? 'api' : source === 'console' ? 'console' : 'chat'}`);
}
