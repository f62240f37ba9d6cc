/**
 * A chat identity asks to be linked to a licence (number + phone). Nothing here may tell a stranger
 * whether a licence exists: the answer depends only on the phone (is a chat known to hold it?) and
 * on the asker's own verified phone — never on the number alone. When the number and phone match
 * the register, a code goes to a chat already known to hold the phone; when they do not, the asker
 * is told exactly the same ("if the details match, a code was sent") and simply never gets a code.
 */
import { and, count, eq, gt, type SQL } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import { enqueueOutbound } from '../../outbox';
import { normaliseLicenceNumber } from '../number';
import { CODE_REQUEST_WINDOW_MS, CODE_TTL_MS, MAX_CODE_REQUESTS, MAX_CODES_PER_LICENCE, generateCode, hashCode } from './codes';
import { reachableHoldersOfPhone, sharedPhoneOf, type ChatIdentity } from './identities';
import { linkIdentity, shownColumns, type LinkedLicence } from './links';

const { licences, licenceLinkCodes } = tables;

export interface LinkRequest {
  /** As typed or as the NLU gave it; normalised here. */
  number: string;
  /** Typed phone, 0… form; when absent, the phone the platform confirmed for the asker is used. */
  phone?: string;
  /**
   * When this identity was told "code sent" lately (kept by the conversation): requests that sent no
   * code leave no row, yet must count towards the limit like the ones that did.
   */
  earlierRequests?: readonly Date[];
}

export type LinkRequestOutcome =
  /** Verified at once: the platform confirmed the asker holds the licence's phone. */
  | { kind: 'linked'; licence: LinkedLicence }
  /** Tell the asker "if the details match, a code was sent". `codeId` is set only when one really was. */
  | { kind: 'code_pending'; codeId?: string }
  /** No chat we could write to is known for that phone: verification must happen elsewhere. */
  | { kind: 'cannot_verify' }
  /** No phone typed and none confirmed by the platform. */
  | { kind: 'need_phone' }
  | { kind: 'rate_limited' };

/** What the code message says (the caller owns the wording and the language). */
export type CodeText = (code: string, licenceNumber: string) => string;

async function licenceByNumber(db: Db, number: string): Promise<LinkedLicence & { phone: string | null } | undefined> {
  const [row] = await db
    .select({ ...shownColumns, phone: licences.phone })
    .from(licences)
    .where(eq(licences.number, normaliseLicenceNumber(number)));
  return row ? { ...row, unsubscribedAt: null } : undefined;
}

/** Codes created after `since` matching `where` (for one asker, or for one licence). */
async function codesSince(db: Db, since: Date, where: SQL | undefined): Promise<number> {
  const [row] = await db.select({ n: count() }).from(licenceLinkCodes).where(and(where, gt(licenceLinkCodes.createdAt, since)));
  return row?.n ?? 0;
}

/** Handles one link request; see the file comment for what each outcome may reveal. */
export async function requestLink(db: Db, who: ChatIdentity, req: LinkRequest, now: Date, codeText: CodeText): Promise<LinkRequestOutcome> {
  const licence = await licenceByNumber(db, req.number);
  const own = await sharedPhoneOf(db, who);
  if (licence && own && licence.phone === own) {
    await linkIdentity(db, licence.id, who, 'zalo_phone_share', now);
    return { kind: 'linked', licence: { ...licence, unsubscribedAt: null } };
  }
  const phone = req.phone ?? own;
  if (!phone) return { kind: 'need_phone' };

  const since = new Date(now.getTime() - CODE_REQUEST_WINDOW_MS);
  const told = (req.earlierRequests ?? []).filter((d) => d > since).length;
  if (Math.max(told, await codesSince(db, since, and(eq(licenceLinkCodes.channel, who.channel), eq(licenceLinkCodes.channelUserId, who.channelUserId)))) >= MAX_CODE_REQUESTS) return { kind: 'rate_limited' };

  const holders = await reachableHoldersOfPhone(db, phone, who, now);
  const target = holders[0];
  if (!target) return { kind: 'cannot_verify' };
  if (!licence || licence.phone !== phone) return { kind: 'code_pending' };
  // Many people asking for one licence within the hour: its holder is spared more codes, silently
  // (saying so would confirm the number and phone to whoever is asking).
  if ((await codesSince(db, since, eq(licenceLinkCodes.licenceId, licence.id))) >= MAX_CODES_PER_LICENCE) return { kind: 'code_pending' };

  const code = generateCode();
  const [row] = await db
    .insert(licenceLinkCodes)
    .values({
      licenceId: licence.id,
      channel: who.channel,
      channelUserId: who.channelUserId,
      codeHash: hashCode(code),
      expiresAt: new Date(now.getTime() + CODE_TTL_MS),
      createdAt: now,
    })
    .returning({ id: licenceLinkCodes.id });
  if (!row) throw new Error('licence link code was not stored');
  await enqueueOutbound(db, [
    {
      dedupeKey: `licence-code:${row.id}`,
      channel: target.channel,
      recipient: { userId: target.channelUserId },
      content: { type: 'reply', reply: { text: codeText(code, licence.number) } },
      purpose: 'reply',
    },
  ]);
  return { kind: 'code_pending', codeId: row.id };
}
