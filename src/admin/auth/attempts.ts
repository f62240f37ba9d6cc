/**
 * Sign-in throttling from `login_attempts` (every attempt is a row):
 * - per email: 5 failures within 15 minutes lock that email for 15 minutes. The lock is computed
 *   the same way whether or not an account exists, so the answer never tells an attacker which
 *   emails are real. Attempts refused during a lock do not extend it.
 * - per address: more than 20 failures within 15 minutes and further attempts are refused until
 *   the window clears.
 */
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { tables, type Db } from '../../db';

const { loginAttempts } = tables;

export const LOCK_AFTER_FAILURES = 5;
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;
export const LOCK_MS = 15 * 60 * 1000;
export const IP_FAILURE_LIMIT = 20;
/** How far back lock-outs are replayed; a lock's state depends on at most the last few windows. */
const HISTORY_MS = 2 * 60 * 60 * 1000;

/** Emails are compared as typed by people: case and surrounding spaces do not matter. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase().slice(0, 320);
}

export async function recordAttempt(db: Db, attempt: { email: string; ip: string; ok: boolean; at: Date }): Promise<void> {
  await db.insert(loginAttempts).values({ email: normalizeEmail(attempt.email), ip: attempt.ip.slice(0, 100), ok: attempt.ok, at: attempt.at });
}

/** True when this address already has `IP_FAILURE_LIMIT` failures in the window. */
export async function addressBlocked(db: Db, ip: string, now: Date): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(loginAttempts)
    .where(
      and(eq(loginAttempts.ip, ip.slice(0, 100)), eq(loginAttempts.ok, false), gt(loginAttempts.at, new Date(now.getTime() - FAILURE_WINDOW_MS))),
    );
  return (row?.n ?? 0) >= IP_FAILURE_LIMIT;
}

/**
 * When the email's lock ends, or null when it is not locked. Replays recent attempts in order:
 * a success clears the count, failures during a lock are ignored, and the 5th failure within 15
 * minutes starts a 15-minute lock.
 */
export async function lockedUntil(db: Db, email: string, now: Date): Promise<Date | null> {
  const rows = await db
    .select({ ok: loginAttempts.ok, at: loginAttempts.at })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, normalizeEmail(email)), gt(loginAttempts.at, new Date(now.getTime() - HISTORY_MS))))
    .orderBy(desc(loginAttempts.at), desc(loginAttempts.id))
    .limit(500);
  let lockEnd: number | null = null;
  let failures: number[] = [];
  for (const { ok, at } of rows.reverse()) {
    const t = at.getTime();
    if (lockEnd !== null && t < lockEnd) continue;
    if (ok) {
      failures = [];
      continue;
    }
    failures = failures.filter((f) => f > t - FAILURE_WINDOW_MS);
    failures.push(t);
    if (failures.length >= LOCK_AFTER_FAILURES) {
      lockEnd = t + LOCK_MS;
      failures = [];
    }
  }
  return lockEnd !== null && lockEnd > now.getTime() ? new Date(lockEnd) : null;
}
