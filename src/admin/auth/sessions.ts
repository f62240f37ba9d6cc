/**
 * Sign-in sessions kept in `admin_sessions`. The browser holds a random token; the table holds only
 * its SHA-256, the session's CSRF token and its times. A session ends after 8 hours without a
 * request (idle) or 7 days after sign-in (absolute), whichever comes first, and at once when the
 * official is deactivated.
 */
import type { Request } from 'express';
import { and, eq, lt, ne, or } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import type { Official } from '../kit';
import { randomToken, sha256Hex } from './tokens';

const { adminSessions, officials } = tables;

export const SESSION_IDLE_MS = 8 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 7 * 24 * 60 * 60 * 1000;
/** `last_seen_at` is refreshed at most this often, so reading pages does not write on every request. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface ActiveSession {
  official: Official;
  csrfToken: string;
  tokenHash: string;
}

/** The session behind each request, for logout and "revoke my other sessions". */
const sessionOfRequest = new WeakMap<Request, ActiveSession>();

export function attachSession(req: Request, session: ActiveSession): void {
  sessionOfRequest.set(req, session);
  req.official = session.official;
  req.csrfToken = session.csrfToken;
}

export function sessionOf(req: Request): ActiveSession | undefined {
  return sessionOfRequest.get(req);
}

/** Starts a session for an official; returns the cookie token (never stored) and the CSRF token. */
export async function createSession(db: Db, officialId: string, now: Date): Promise<{ token: string; csrfToken: string }> {
  // Expired rows are useless; clearing them here keeps the table small without a separate job.
  await db
    .delete(adminSessions)
    .where(or(lt(adminSessions.expiresAt, now), lt(adminSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS))));
  const token = randomToken();
  const csrfToken = randomToken();
  await db.insert(adminSessions).values({
    tokenHash: sha256Hex(token),
    officialId,
    csrfToken,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
  });
  return { token, csrfToken };
}

/** The live session for a cookie token, or null (unknown, expired — then deleted — or official inactive). */
export async function findSession(db: Db, token: string, now: Date): Promise<ActiveSession | null> {
  const tokenHash = sha256Hex(token);
  const [row] = await db
    .select({
      csrfToken: adminSessions.csrfToken,
      lastSeenAt: adminSessions.lastSeenAt,
      expiresAt: adminSessions.expiresAt,
      id: officials.id,
      email: officials.email,
      name: officials.name,
      role: officials.role,
      active: officials.active,
    })
    .from(adminSessions)
    .innerJoin(officials, eq(officials.id, adminSessions.officialId))
    .where(eq(adminSessions.tokenHash, tokenHash));
  if (!row) return null;
  const idleFor = now.getTime() - row.lastSeenAt.getTime();
  if (!row.active || now >= row.expiresAt || idleFor >= SESSION_IDLE_MS) {
    await revokeSessionByHash(db, tokenHash);
    return null;
  }
  if (idleFor >= TOUCH_EVERY_MS) {
    await db.update(adminSessions).set({ lastSeenAt: now }).where(eq(adminSessions.tokenHash, tokenHash));
  }
  return {
    official: { id: row.id, email: row.email, name: row.name, role: row.role },
    csrfToken: row.csrfToken,
    tokenHash,
  };
}

export async function revokeSessionByHash(db: Db, tokenHash: string): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.tokenHash, tokenHash));
}

/** Ends every session of an official except `keepTokenHash` (after a password change on that session). */
export async function revokeOtherSessions(db: Db, officialId: string, keepTokenHash: string): Promise<void> {
  await db
    .delete(adminSessions)
    .where(and(eq(adminSessions.officialId, officialId), ne(adminSessions.tokenHash, keepTokenHash)));
}

/** Ends every session of an official (deactivated, password reset by an admin). */
export async function revokeAllSessions(db: Db, officialId: string): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.officialId, officialId));
}
