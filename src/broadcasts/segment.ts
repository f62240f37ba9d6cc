/**
 * Who an announcement goes to. A segment is chosen by an official, validated here (zod), and
 * resolved in SQL to the set of reachable chat identities, so counting it and freezing it into
 * `broadcast_recipients` use the very same query.
 *
 * Rules that hold for every segment:
 * - Only Zalo and Messenger identities: a web chat session cannot be written to later.
 * - Never anyone in `broadcast_opt_outs` (they tapped "Ngừng nhận thông báo").
 * - Never anyone known to have unfollowed / blocked us (`channel_contacts.following = false`).
 *
 * Validation messages are keys under `admin-broadcasts.errors.`, so the console shows them in the
 * official's language without this component knowing about locales.
 */
import { sql, type SQL } from 'drizzle-orm';
import { PSEUDONYM_PREFIX } from '../privacy/redaction';
import { z } from 'zod';
import type { Db } from '../db';

/** Channels a broadcast can reach (a web chat session is gone once the page is closed). */
export const BROADCAST_CHANNELS = ['zalo', 'messenger'] as const;
export type BroadcastChannel = (typeof BROADCAST_CHANNELS)[number];

export const SEGMENT_KINDS = ['followers', 'licence_holders', 'asked_procedure', 'ward'] as const;
export type SegmentKind = (typeof SEGMENT_KINDS)[number];

/** Longest look-back for "asked about a procedure in the last N days". */
export const MAX_ASKED_DAYS = 365;

const channel = z.enum(['all', ...BROADCAST_CHANNELS], { error: 'segmentChannel' });
const procedure = z
  .string({ error: 'segmentProcedure' })
  .trim()
  .regex(/^[a-z0-9-]{1,100}$/, 'segmentProcedure');

export const segmentSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('followers'), channel }),
    z.object({ kind: z.literal('licence_holders'), channel, procedure }),
    z.object({
      kind: z.literal('asked_procedure'),
      channel,
      procedure,
      days: z.coerce.number({ error: 'segmentDays' }).int('segmentDays').min(1, 'segmentDays').max(MAX_ASKED_DAYS, 'segmentDays'),
    }),
    z.object({
      kind: z.literal('ward'),
      channel,
      ward: z
        .string({ error: 'segmentWard' })
        .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
        .pipe(z.string().min(2, 'segmentWard').max(100, 'segmentWard')),
    }),
  ],
  { error: 'segmentKind' },
);

export type Segment = z.infer<typeof segmentSchema>;

/** `s` for a LIKE pattern: its own `%`, `_` and `\` match literally. */
function likeLiteral(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The raw candidates of a segment, before the rules every segment shares: (channel, channel_user_id). */
function candidates(segment: Segment, now: Date): SQL {
  switch (segment.kind) {
    case 'followers':
      // Zalo says who follows the OA (follow/unfollow events). Messenger has no follow event: whoever
      // has written to the Page is reachable until they block it, which sets following = false.
      return sql`select c.channel, c.channel_user_id from channel_contacts c
        where (c.channel = 'zalo' and c.following is true) or (c.channel = 'messenger' and c.following is not false)`;
    case 'licence_holders':
      return sql`select l.channel, l.channel_user_id from licence_links l join licences x on x.id = l.licence_id
        where x.procedure_slug = ${segment.procedure} and l.unsubscribed_at is null`;
    case 'asked_procedure': {
      const since = new Date(now.getTime() - segment.days * 86_400_000);
      return sql`select c.channel, c.channel_user_id from conversations c join messages m on m.conversation_id = c.id
        where m.direction = 'in' and m.procedure = ${segment.procedure} and m.created_at >= ${since.toISOString()}::timestamptz`;
    }
    case 'ward': {
      // The register's ward is a field of its own (exact, case-insensitive); an address a person
      // shared is free text, so there the ward only has to appear in it.
      const contains = `%${likeLiteral(segment.ward)}%`;
      return sql`select l.channel, l.channel_user_id from licence_links l join licences x on x.id = l.licence_id
          where l.unsubscribed_at is null and lower(trim(x.ward)) = lower(${segment.ward})
        union
        select c.channel, c.channel_user_id from channel_contacts c where c.address ilike ${contains}`;
    }
  }
}

/**
 * The reachable, consenting audience of a segment as a SELECT of distinct (channel, channel_user_id),
 * to be used as a sub-query.
 */
export function audienceQuery(segment: Segment, now: Date): SQL {
  const onlyChannel = segment.channel === 'all' ? sql`` : sql` and s.channel = ${segment.channel}`;
  return sql`select distinct s.channel, s.channel_user_id from (${candidates(segment, now)}) s
    left join channel_contacts cc on cc.channel = s.channel and cc.channel_user_id = s.channel_user_id
    where s.channel in ('zalo', 'messenger')${onlyChannel}
      and cc.following is distinct from false
      and s.channel_user_id not like ${`${PSEUDONYM_PREFIX}%`}
      and not exists (select 1 from broadcast_opt_outs o where o.channel = s.channel and o.channel_user_id = s.channel_user_id)`;
}

/** Rows of a `db.execute` result (both drivers answer `{rows}`). */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

export interface SegmentCount {
  total: number;
  byChannel: Record<BroadcastChannel, number>;
}

/** How many people the segment reaches now, per channel (shown before sending). */
export async function countSegment(db: Db, segment: Segment, now: Date): Promise<SegmentCount> {
  const rows = rowsOf<{ channel: string; n: number | string }>(
    await db.execute(sql`select a.channel, count(*) as n from (${audienceQuery(segment, now)}) a group by a.channel`),
  );
  const byChannel: Record<BroadcastChannel, number> = { zalo: 0, messenger: 0 };
  for (const r of rows) if (r.channel === 'zalo' || r.channel === 'messenger') byChannel[r.channel] = Number(r.n);
  return { total: byChannel.zalo + byChannel.messenger, byChannel };
}
