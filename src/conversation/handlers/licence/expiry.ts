/**
 * `licence.expiry`: "is my licence still valid?". Answered only for licences this chat identity is
 * verified to hold; anyone else — whether the number they name exists or not — gets the same
 * invitation to link first.
 */
import { procedurePayload } from '../../payloads';
import { shortTitle } from '../procedure';
import type { Turn } from '../../turn';
import type { QuickReply, Reply } from '../../types';
import { linkedLicences, normaliseLicenceNumber, type LinkedLicence } from '../../../licences/linking';
import { formatDate, vietnamNow } from '../../../nlu/datetime/local-date';
import { button, LINK_PAYLOAD } from './subscribe';
import { identityOf } from './state';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` as `dd/mm/yyyy`. */
export function displayDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** Whole days from today (Vietnam) to `iso`: negative once it is past. */
export function daysUntil(iso: string, now: Date): number {
  return Math.round((Date.parse(`${iso}T00:00:00Z`) - Date.parse(`${formatDate(vietnamNow(now).date)}T00:00:00Z`)) / DAY_MS);
}

function expiryLine(turn: Turn, l: LinkedLicence): string {
  const { i18n } = turn.deps;
  const days = daysUntil(l.expiresOn, turn.now);
  const params = { number: l.number, holder: l.holderName, date: displayDate(l.expiresOn) };
  const line =
    days > 0
      ? i18n.t('licence-chat.expiresIn', { ...params, days })
      : days === 0
        ? i18n.t('licence-chat.expiresToday', params)
        : i18n.t('licence-chat.expiredAgo', { ...params, days: -days });
  return l.unsubscribedAt ? `${line}\n${i18n.t('licence-chat.remindersOff')}` : line;
}

/** How to renew: the licence type's procedure from the knowledge base, with its answers a tap away. */
async function renewal(turn: Turn, licences: readonly LinkedLicence[]): Promise<{ lines: string[]; quickReplies: QuickReply[] }> {
  const { i18n, procedures } = turn.deps;
  const lines: string[] = [];
  const quickReplies: QuickReply[] = [];
  for (const slug of [...new Set(licences.map((l) => l.procedureSlug))]) {
    const p = await procedures.get(slug);
    if (!p || p.status !== 'active') {
      lines.push(i18n.t('licence-chat.renewHintUnknown'));
      continue;
    }
    lines.push(i18n.t('licence-chat.renewHint', { procedure: p.name }));
    if (licences.length === 1) {
      for (const aspect of ['documents', 'steps', 'where'] as const) quickReplies.push({ title: i18n.t(`aspects.${aspect}`), payload: procedurePayload(slug, aspect) });
    } else quickReplies.push({ title: shortTitle(p.name), payload: procedurePayload(slug, 'documents') });
  }
  return { lines: [...new Set(lines)], quickReplies };
}

export async function answerExpiry(turn: Turn, typedNumber: string | undefined): Promise<Reply[]> {
  const { db, i18n } = turn.deps;
  const links = await linkedLicences(db, identityOf(turn));
  const number = typedNumber ? normaliseLicenceNumber(typedNumber) : undefined;
  const asked = number ? links.filter((l) => l.number === number) : links;
  if (asked.length === 0) {
    // The typed number rides on the button, so a tap starts linking exactly that licence.
    const payload = number ? `${LINK_PAYLOAD}:${number}` : LINK_PAYLOAD;
    return [{ text: i18n.t('licence-chat.linkFirst'), quickReplies: [button(turn, 'link', payload)] }];
  }
  const { lines, quickReplies } = await renewal(turn, asked);
  const text = [...asked.map((l) => expiryLine(turn, l)), ...lines].join('\n');
  return [quickReplies.length > 0 ? { text, quickReplies } : { text }];
}
