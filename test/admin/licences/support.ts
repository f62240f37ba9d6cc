/** The licence console on the real auth stack (sessions, CSRF, audit) against the test database. */
import request from 'supertest';
import type { Db } from '../../../src/db';
import type { Role } from '../../../src/admin/kit';
import { licencesRouter } from '../../../src/admin/licences';
import { createAdminTestApp, createOfficial, signIn, type SignedIn } from '../auth/support';

export function licencesApp(db: Db) {
  return createAdminTestApp(db, { routers: (kit, i18n) => [licencesRouter({ db, kit, i18n })] }).app;
}

/** A signed-in agent of a new official with `role`, and the official's id. */
export async function signedIn(db: Db, app: ReturnType<typeof licencesApp>, role: Role): Promise<SignedIn & { id: string }> {
  const official = await createOfficial(db, { role });
  const session = await signIn(request.agent(app), official.email, official.password);
  return { ...session, id: official.id };
}

/** A page's text without tags and entities (shared with the knowledge-base tests). */
export { text } from '../knowledge-base/test-kit';
