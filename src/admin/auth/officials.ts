/**
 * Officials' accounts: reading, creating and changing them. Password hashes never leave this file
 * except for verification; `publicView` is what goes into pages and the audit log.
 */
import { asc, eq, and, sql } from 'drizzle-orm';
import { tables, type Db } from '../../db';
import type { Role } from '../kit';
import { hashPassword } from './passwords';
import { normalizeEmail } from './attempts';
import { writeAudit } from './audit';

const { officials } = tables;

export type OfficialRow = typeof officials.$inferSelect;

/** An account without its secrets, for pages and the audit log's before/after. */
export interface OfficialView {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
}

export function publicView(row: OfficialRow): OfficialView {
  return { id: row.id, email: row.email, name: row.name, role: row.role, active: row.active };
}

export class DuplicateEmailError extends Error {
  constructor(email: string) {
    super(`an official with email ${email} already exists`);
  }
}

/** PostgreSQL's unique_violation, whether the driver error is wrapped (Drizzle) or not. */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === '23505') return true;
  }
  return false;
}

export async function findOfficialByEmail(db: Db, email: string): Promise<OfficialRow | undefined> {
  const [row] = await db.select().from(officials).where(eq(sql`lower(${officials.email})`, normalizeEmail(email)));
  return row;
}

export async function getOfficial(db: Db, id: string): Promise<OfficialRow | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined;
  const [row] = await db.select().from(officials).where(eq(officials.id, id));
  return row;
}

export async function listOfficials(db: Db): Promise<OfficialRow[]> {
  return db.select().from(officials).orderBy(asc(officials.name), asc(officials.email));
}

export async function countOfficials(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(officials);
  return row?.n ?? 0;
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(officials)
    .where(and(eq(officials.role, 'admin'), eq(officials.active, true)));
  return row?.n ?? 0;
}

/** Inserts an account; throws `DuplicateEmailError` for a taken email (any case). */
export async function insertOfficial(
  db: Db,
  input: { email: string; name: string; role: Role; passwordHash: string },
): Promise<OfficialRow> {
  const email = input.email.trim();
  if (await findOfficialByEmail(db, email)) throw new DuplicateEmailError(email);
  try {
    const [row] = await db
      .insert(officials)
      .values({ email, name: input.name.trim(), role: input.role, passwordHash: input.passwordHash })
      .returning();
    if (!row) throw new Error('insert returned no row');
    return row;
  } catch (err) {
    // Two creations of one email at the same moment: the unique index decides.
    if (isUniqueViolation(err)) throw new DuplicateEmailError(email);
    throw err;
  }
}

/**
 * Creates an account and its audit row in one transaction (the password is hashed first, outside
 * it). `actorId` is the admin who did it, null for the CLI and the first-admin bootstrap.
 */
export async function createOfficialAccount(
  db: Db,
  input: { email: string; name: string; role: Role; password: string },
  actorId: string | null,
): Promise<OfficialRow> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const row = await insertOfficial(tx, { email: input.email, name: input.name, role: input.role, passwordHash });
    await writeAudit(tx, { officialId: actorId, action: 'official.create', entity: 'official', entityId: row.id, after: publicView(row) });
    return row;
  });
}

export async function updateOfficial(
  db: Db,
  id: string,
  changes: { name: string; role: Role; active: boolean },
): Promise<OfficialRow | undefined> {
  const [row] = await db.update(officials).set(changes).where(eq(officials.id, id)).returning();
  return row;
}

/** Stores a new password hash (from `hashPassword`, computed before any transaction) and the time of the change. */
export async function setPasswordHash(db: Db, id: string, passwordHash: string, now: Date): Promise<void> {
  await db.update(officials).set({ passwordHash, passwordChangedAt: now }).where(eq(officials.id, id));
}

/** Mirrors the sign-in throttle onto the account, so the users page can show who is locked out. */
export async function setLockState(db: Db, id: string, state: { failedLogins: number; lockedUntil: Date | null }): Promise<void> {
  await db.update(officials).set(state).where(eq(officials.id, id));
}
