/**
 * Questions the bot did not understand, grouped so that one question typed many ways is one row:
 * "làm giấy khai sinh", "Lam giay khai sinh?" and "lam  giay khai sinh" are the same request for a
 * training example. SQL groups the exact texts (cheap, indexed by `created_at`); the Vietnamese
 * folding (diacritics, case, punctuation) is done here with the NLU's own `foldVietnamese`, which
 * PostgreSQL cannot reproduce exactly.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { foldVietnamese } from '../../nlu';
import { REDACTED } from '../../privacy/redaction';
import { botReadTextSql, inRange, notUnderstoodSql, rows } from './queries';
import type { AnalyticsRange } from './range';

/** Distinct texts read per request: bounds memory on a long range with a flood of noise. */
export const MAX_DISTINCT_TEXTS = 5000;
export const PAGE_SIZE = 50;

export interface UnansweredGroup {
  /** The grouping key: folded, punctuation removed. */
  key: string;
  /** The spelling shown and offered as a training example: the most frequent one, preferring diacritics. */
  text: string;
  count: number;
  lastSeen: Date;
  /** How many different spellings were merged into this row. */
  variants: number;
}

export interface UnansweredPage {
  groups: UnansweredGroup[];
  /** Groups over every page. */
  total: number;
  page: number;
  pages: number;
  /** True when more than {@link MAX_DISTINCT_TEXTS} distinct texts matched (the oldest were left out). */
  truncated: boolean;
}

/**
 * The grouping key of a message: folded Vietnamese with punctuation dropped, so "Lệ phí?" and
 * "le phi" meet. A message made only of symbols keeps its folded form (it would otherwise be empty).
 */
export function groupingKey(text: string): string {
  const folded = foldVietnamese(text);
  const words = folded.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  return words === '' ? folded : words;
}

const hasDiacritics = (text: string) => foldVietnamese(text) !== text.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();

interface Variant {
  text: string;
  count: number;
  lastSeen: Date;
}

/** Merges exact texts into groups, newest first (ties: most frequent first). */
export function groupTexts(variants: readonly Variant[]): UnansweredGroup[] {
  const byKey = new Map<string, Variant[]>();
  for (const v of variants) {
    const key = groupingKey(v.text);
    const list = byKey.get(key);
    if (list) list.push(v);
    else byKey.set(key, [v]);
  }
  const groups = [...byKey.entries()].map(([key, list]) => {
    const best = [...list].sort(
      (a, b) =>
        b.count - a.count ||
        Number(hasDiacritics(b.text)) - Number(hasDiacritics(a.text)) ||
        b.lastSeen.getTime() - a.lastSeen.getTime(),
    )[0] as Variant;
    return {
      key,
      text: best.text.trim().replace(/\s+/g, ' '),
      count: list.reduce((n, v) => n + v.count, 0),
      lastSeen: new Date(Math.max(...list.map((v) => v.lastSeen.getTime()))),
      variants: list.length,
    };
  });
  return groups.sort((a, b) => b.lastSeen.getTime() - a.lastSeen.getTime() || b.count - a.count || a.key.localeCompare(b.key));
}

/** Every group of not-understood texts in the range (for the page and the CSV export). */
export async function unansweredGroups(db: Db, range: AnalyticsRange): Promise<{ groups: UnansweredGroup[]; truncated: boolean }> {
  const list = await rows<{ text: string; n: number; last_at: Date | string }>(
    db,
    sql`select m.text, count(*)::int as n, max(m.created_at) as last_at
      from messages m join conversations c on c.id = m.conversation_id
      where ${botReadTextSql} and ${notUnderstoodSql} and ${inRange(sql`m.created_at`, range)}
        and m.text <> ${REDACTED}
      group by m.text
      order by last_at desc
      limit ${MAX_DISTINCT_TEXTS + 1}`,
  );
  const truncated = list.length > MAX_DISTINCT_TEXTS;
  const variants = list.slice(0, MAX_DISTINCT_TEXTS).map((r) => ({ text: r.text, count: Number(r.n), lastSeen: new Date(r.last_at) }));
  return { groups: groupTexts(variants), truncated };
}

/** One page (1-based; out-of-range pages are clamped) of not-understood groups. */
export async function unansweredPage(db: Db, range: AnalyticsRange, page: number): Promise<UnansweredPage> {
  const { groups, truncated } = await unansweredGroups(db, range);
  const pages = Math.max(1, Math.ceil(groups.length / PAGE_SIZE));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  return {
    groups: groups.slice((current - 1) * PAGE_SIZE, current * PAGE_SIZE),
    total: groups.length,
    page: current,
    pages,
    truncated,
  };
}
