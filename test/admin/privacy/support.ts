/** The personal-data console on the real auth stack (sessions, CSRF, audit) against the test database. */
import request from 'supertest';
import { desc, eq } from 'drizzle-orm';
import { tables, type Db } from '../../../src/db';
import type { Role } from '../../../src/admin/kit';
import { privacyRouter } from '../../../src/admin/privacy';
import { createLogger } from '../../../src/logger';
import { createAdminTestApp, createOfficial, signIn, type SignedIn } from '../auth/support';

export const RETENTION = { conversationDays: 365, rawDays: 30 };

export function privacyApp(db: Db) {
  return createAdminTestApp(db, { routers: (kit, i18n) => [privacyRouter({ db, kit, i18n, logger: createLogger('silent'), retention: RETENTION })] }).app;
}

/** A signed-in agent of a new official with `role`. */
export async function signedIn(db: Db, app: ReturnType<typeof privacyApp>, role: Role): Promise<SignedIn & { id: string }> {
  const official = await createOfficial(db, { role });
  const session = await signIn(request.agent(app), official.email, official.password);
  return { ...session, id: official.id };
}

/** The erase form's fingerprint on a review page. */
export function fingerprintFrom(page: string): string {
  const m = /name="fingerprint" value="([0-9a-f]{64})"/.exec(page);
  if (!m?.[1]) throw new Error('no fingerprint on the page');
  return m[1];
}

/** Audit rows about personal data, newest first. */
export function privacyAudit(db: Db) {
  return db.select().from(tables.auditLog).where(eq(tables.auditLog.entity, 'personal_data')).orderBy(desc(tables.auditLog.id));
}

export { text } from '../knowledge-base/test-kit';
