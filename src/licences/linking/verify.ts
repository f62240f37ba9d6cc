/**
 * The asker types the code they were sent. A request that sent no code (the details did not match)
 * is checked here too and fails in exactly the same way — wrong, wrong, …, locked, or expired after
 * the same ten minutes — so typing codes teaches a stranger nothing either.
 */
import { and, eq } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import { CODE_TTL_MS, MAX_CODE_ATTEMPTS, codeMatches } from './codes';
import type { ChatIdentity } from './identities';
import { linkIdentity, shownColumns, type LinkedLicence } from './links';

const { licences, licenceLinkCodes } = tables;

/** What the conversation remembers of the "code sent" answer it gave. */
export interface PendingCode {
  /** Set only when a code was really sent. */
  codeId?: string;
  requestedAt: Date;
  /** Wrong guesses against a request that sent no code (a real code counts its own in the database). */
  decoyAttempts: number;
}

export type CodeCheck =
  | { result: 'linked'; licence: LinkedLicence }
  | { result: 'wrong'; attemptsLeft: number }
  /** Too many wrong guesses: this code is dead. */
  | { result: 'locked' }
  | { result: 'expired' };

/** Checks `typed` against the pending request; `decoyAttempts` is the updated count to remember. */
export async function checkCode(db: Db, who: ChatIdentity, pending: PendingCode, typed: string, now: Date): Promise<CodeCheck & { decoyAttempts: number }> {
  if (!pending.codeId) {
    if (now.getTime() - pending.requestedAt.getTime() > CODE_TTL_MS) return { result: 'expired', decoyAttempts: pending.decoyAttempts };
    const attempts = Math.min(pending.decoyAttempts + 1, MAX_CODE_ATTEMPTS);
    return attempts >= MAX_CODE_ATTEMPTS
      ? { result: 'locked', decoyAttempts: attempts }
      : { result: 'wrong', attemptsLeft: MAX_CODE_ATTEMPTS - attempts, decoyAttempts: attempts };
  }
  const keep = { decoyAttempts: pending.decoyAttempts };
  const [row] = await db
    .select()
    .from(licenceLinkCodes)
    .where(and(eq(licenceLinkCodes.id, pending.codeId), eq(licenceLinkCodes.channel, who.channel), eq(licenceLinkCodes.channelUserId, who.channelUserId)))
    .for('update');
  if (!row || row.usedAt || row.expiresAt.getTime() < now.getTime()) return { result: 'expired', ...keep };
  if (row.attempts >= MAX_CODE_ATTEMPTS) return { result: 'locked', ...keep };
  if (!codeMatches(typed, row.codeHash)) {
    const attempts = row.attempts + 1;
    await db.update(licenceLinkCodes).set({ attempts }).where(eq(licenceLinkCodes.id, row.id));
    return attempts >= MAX_CODE_ATTEMPTS ? { result: 'locked', ...keep } : { result: 'wrong', attemptsLeft: MAX_CODE_ATTEMPTS - attempts, ...keep };
  }
  await db.update(licenceLinkCodes).set({ usedAt: now }).where(eq(licenceLinkCodes.id, row.id));
  await linkIdentity(db, row.licenceId, who, 'code', now);
  const [licence] = await db
    .select(shownColumns)
    .from(licences)
    .where(eq(licences.id, row.licenceId));
  if (!licence) return { result: 'expired', ...keep }; // deleted from the register meanwhile
  return { result: 'linked', licence: { ...licence, unsubscribedAt: null }, ...keep };
}
