/**
 * Recognising the database's refusals. Drizzle wraps the driver's error (node-postgres and PGlite
 * alike) and keeps the original as `cause`, which carries PostgreSQL's SQLSTATE code.
 */

function sqlState(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}

/** PostgreSQL `exclusion_violation` (23P01): the appraiser's time is already held by another live session. */
export function isExclusionViolation(err: unknown): boolean {
  return sqlState(err) === '23P01';
}

/** PostgreSQL `unique_violation` (23505): e.g. a booking code drawn twice. */
export function isUniqueViolation(err: unknown): boolean {
  return sqlState(err) === '23505';
}
