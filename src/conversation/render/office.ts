/** Office information as chat text: address, regular hours grouped by day range, special services. */
import type { Office } from '../../procedures';
import type { Translator } from '../../i18n';

/** Vietnam has kept UTC+7 without daylight saving since 1975, so a fixed offset is exact. */
const VIETNAM_OFFSET_MS = 7 * 3600_000;

export interface VietnamClock {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

export function vietnamClock(at: Date): VietnamClock {
  const local = new Date(at.getTime() + VIETNAM_OFFSET_MS);
  return { weekday: ((local.getUTCDay() + 6) % 7) + 1, minutes: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Regular periods plus special services, all of which count as "open" for a handoff estimate. */
function allPeriods(office: Office) {
  return [...office.hours, ...office.specialHours];
}

export function isOpen(office: Office, at: Date): boolean {
  const { weekday, minutes } = vietnamClock(at);
  return allPeriods(office).some(
    (p) => p.days.includes(weekday) && minutes >= toMinutes(p.open) && minutes < toMinutes(p.close),
  );
}

/** The next moment the office opens after `at`: weekday (1..7) and "HH:mm", within a week. */
export function nextOpening(office: Office, at: Date): { weekday: number; time: string } | undefined {
  const { weekday, minutes } = vietnamClock(at);
  for (let offset = 0; offset < 8; offset += 1) {
    const day = ((weekday - 1 + offset) % 7) + 1;
    const opens = allPeriods(office)
      .filter((p) => p.days.includes(day) && (offset > 0 || toMinutes(p.open) > minutes))
      .map((p) => p.open)
      .sort();
    if (opens[0]) return { weekday: day, time: opens[0] };
  }
  return undefined;
}

/** "Thứ Hai – Thứ Sáu" for consecutive days, "Thứ Hai, Thứ Tư" otherwise. */
export function formatDays(days: number[], i18n: Translator): string {
  const names = i18n.list('common.weekdays');
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const consecutive = sorted.every((d, i) => i === 0 || d === (sorted[i - 1] ?? 0) + 1);
  if (sorted.length > 2 && consecutive) {
    return i18n.t('common.dayRange', { from: names[(sorted[0] ?? 1) - 1] ?? '', to: names[(sorted.at(-1) ?? 1) - 1] ?? '' });
  }
  return sorted.map((d) => names[d - 1] ?? '').join(i18n.t('common.listSeparator'));
}

/** Address, phone and hours of an office, one fact per line. */
export function officeLines(office: Office, i18n: Translator): string[] {
  const lines = [office.name, i18n.t('office.address', { address: office.address })];
  if (office.phone) lines.push(i18n.t('office.phone', { phone: office.phone }));
  lines.push(i18n.t('office.hoursIntro'));
  // Group periods that share the same days: "Thứ Hai – Thứ Sáu: 07:30–11:30, 13:30–17:00".
  const byDays = new Map<string, { days: number[]; periods: string[] }>();
  for (const p of office.hours) {
    const key = [...p.days].sort().join(',');
    const group = byDays.get(key) ?? { days: p.days, periods: [] };
    group.periods.push(i18n.t('office.period', { open: p.open, close: p.close }));
    byDays.set(key, group);
  }
  for (const g of byDays.values()) {
    lines.push(i18n.t('office.hoursLine', { days: formatDays(g.days, i18n), periods: g.periods.join(', ') }));
  }
  if (office.specialHours.length > 0) {
    lines.push(i18n.t('office.specialIntro'));
    for (const s of office.specialHours) {
      lines.push(i18n.t('office.specialLine', { label: s.label, days: formatDays(s.days, i18n), open: s.open, close: s.close }));
      if (s.note) lines.push(i18n.t('office.specialNote', { note: s.note }));
    }
  }
  return lines;
}
