/**
 * The CSV exports: the same numbers as the charts, one row per day (or week, or key), with
 * Vietnamese headers. Daily reports list every day of the period, quiet days as zeros, so a
 * spreadsheet chart made from them has no holes.
 */
import type { Db } from '../../db';
import type { Translator } from '../../i18n';
import { toCsv, type Cell } from './csv';
import { handoffsPerDay, messagesPerDay, ratingsPerWeek, topIntents, topProcedures } from './queries';
import { CHANNELS, daysOf, type AnalyticsRange } from './range';
import { unansweredGroups } from './unanswered';
import { intentLabel } from './labels';

export const REPORTS = ['messages', 'intents', 'procedures', 'handoffs', 'ratings', 'unanswered'] as const;
export type Report = (typeof REPORTS)[number];

export function isReport(name: unknown): name is Report {
  return typeof name === 'string' && (REPORTS as readonly string[]).includes(name);
}

/** The CSV text of `report` for `range`. */
export async function exportCsv(db: Db, i18n: Translator, report: Report, range: AnalyticsRange): Promise<string> {
  const h = (key: string) => i18n.t(`admin-analytics.csv.${key}`);
  const { header, data } = await build(db, i18n, report, range, h);
  return toCsv(header, data);
}

/** `analytics-<report>-<from>-<to>.csv`: ASCII only, safe in a Content-Disposition header. */
export function csvFileName(report: Report, range: AnalyticsRange): string {
  return `analytics-${report}-${range.from}-${range.to}${range.channel ? `-${range.channel}` : ''}.csv`;
}

async function build(
  db: Db,
  i18n: Translator,
  report: Report,
  range: AnalyticsRange,
  h: (key: string) => string,
): Promise<{ header: string[]; data: Cell[][] }> {
  switch (report) {
    case 'messages': {
      const counts = new Map((await messagesPerDay(db, range)).map((r) => [`${r.day}|${r.channel}`, r.count]));
      const data = daysOf(range).map((day) => {
        const perChannel = CHANNELS.map((ch) => counts.get(`${day}|${ch}`) ?? 0);
        return [day, ...perChannel, perChannel.reduce((a, b) => a + b, 0)];
      });
      return { header: [h('day'), ...CHANNELS.map((ch) => i18n.t(`admin-analytics.channels.${ch}`)), h('total')], data };
    }
    case 'intents': {
      const list = await topIntents(db, range, null);
      return { header: [h('intent'), h('label'), h('count')], data: list.map((r) => [r.key, intentLabel(i18n, r.key), r.count]) };
    }
    case 'procedures': {
      const list = await topProcedures(db, range, null);
      return { header: [h('procedure'), h('name'), h('count')], data: list.map((r) => [r.key, r.label, r.count]) };
    }
    case 'handoffs': {
      const byDay = new Map((await handoffsPerDay(db, range)).map((r) => [r.day, r]));
      const data = daysOf(range).map((day) => {
        const r = byDay.get(day);
        return [day, r?.requested ?? 0, r?.answered ?? 0, r?.medianMinutes ?? null, r?.p90Minutes ?? null];
      });
      return { header: [h('day'), h('requested'), h('answered'), h('medianMinutes'), h('p90Minutes')], data };
    }
    case 'ratings': {
      const list = await ratingsPerWeek(db, range);
      return { header: [h('week'), h('count'), h('average')], data: list.map((r) => [r.week, r.count, r.average]) };
    }
    case 'unanswered': {
      const { groups } = await unansweredGroups(db, range);
      return {
        header: [h('text'), h('count'), h('lastSeen'), h('variants')],
        data: groups.map((g) => [g.text, g.count, g.lastSeen.toISOString(), g.variants]),
      };
    }
  }
}
