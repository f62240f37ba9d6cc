/** The first administrator, from `ADMIN_EMAIL`/`ADMIN_PASSWORD`, when the database has no official yet. */
import type { Db } from '../../db';
import type { Logger } from '../../logger';
import { countOfficials, createOfficialAccount } from './officials';
import { PASSWORD_MIN_LENGTH } from './passwords';

/**
 * Creates an `admin` account when no official exists and both values are given. Returns whether
 * it created one. A too-short password is refused (logged), not silently accepted.
 */
export async function ensureFirstAdmin(deps: { db: Db; email?: string; password?: string; logger: Logger; name?: string }): Promise<boolean> {
  const { db, email, password, logger } = deps;
  if ((await countOfficials(db)) > 0) return false;
  if (!email || !password) {
    // Say how to get in, once per start, rather than leaving a newcomer at a sign-in page with no account.
    logger.warn('no official account yet: set ADMIN_EMAIL and ADMIN_PASSWORD, or run `npm run admin -- create`, to sign in at /admin');
    return false;
  }
  if (password.length < PASSWORD_MIN_LENGTH) {
    logger.error({ minLength: PASSWORD_MIN_LENGTH }, 'ADMIN_PASSWORD is too short: first admin not created');
    return false;
  }
  try {
    const row = await createOfficialAccount(db, { email, name: deps.name ?? 'Quản trị viên', role: 'admin', password }, null);
    logger.info({ officialId: row.id, email: row.email }, 'first admin account created from ADMIN_EMAIL');
    return true;
  } catch (err) {
    // Another process (web and worker starting together) created it first: nothing left to do.
    if ((await countOfficials(db)) > 0) return false;
    throw err;
  }
}
