/**
 * Shared pieces of the hostile-input suites: fast-check settings with a fixed seed, the running app
 * with both platform webhooks switched on (secrets known to the tests, no platform reachable), and
 * row counts used to prove that refused input left nothing behind.
 *
 * Replaying a failure: fast-check's error message gives `seed` and `path`; put them in
 * `SECURITY_FC_SEED` / `SECURITY_FC_PATH` and rerun the one file. Exploring with other seeds works
 * the same way (`SECURITY_FC_SEED=123`).
 */
import fc from 'fast-check';
import request from 'supertest';
import type { Role } from '../../src/admin/kit';
import type { Database, DriverKind } from '../../src/db';
import { startApp, type RunningApp } from '../support/app';
import { openTestDatabase, type TestDatabase } from '../support/db';
import { createOfficial, signIn, type SignedIn } from '../admin/auth/support';

/** The seed every property starts from, so a run is reproducible; override to explore or replay. */
export const FC_SEED = Number(process.env.SECURITY_FC_SEED ?? 20_260_808);

/** fast-check parameters: the fixed seed, `numRuns`, and the failure path when replaying one. */
export function fcParams(numRuns: number): fc.Parameters<unknown> {
  const path = process.env.SECURITY_FC_PATH;
  return { seed: FC_SEED, numRuns, ...(path ? { path } : {}) };
}

/** Webhook credentials the app is started with, so tests can sign as the platforms do. */
export const WEBHOOK_KEYS = {
  zalo: { appId: '3608465248940903967', oaSecretKey: 'zalo-oa-secret-for-fuzzing', oaId: '388613280878808645' },
  messenger: { appSecret: 'messenger-app-secret-for-fuzzing' },
} as const;

/** An address nothing listens on: a reply that tried to leave would fail, never reach a real platform. */
const NOWHERE = 'http://127.0.0.1:9';

/**
 * The real app with the Zalo and Messenger webhooks switched on. No platform sender is configured
 * (no Zalo app secret, no Page token), so replies stay in the outbox and nothing leaves the machine.
 */
export function startHostileApp(database: Database, env: Record<string, string> = {}): Promise<RunningApp> {
  return startApp(database, {
    ZALO_APP_ID: WEBHOOK_KEYS.zalo.appId,
    ZALO_OA_SECRET_KEY: WEBHOOK_KEYS.zalo.oaSecretKey,
    ZALO_OA_ID: WEBHOOK_KEYS.zalo.oaId,
    ZALO_API_BASE_URL: NOWHERE,
    ZALO_OAUTH_BASE_URL: NOWHERE,
    ZALO_ZNS_BASE_URL: NOWHERE,
    MESSENGER_APP_SECRET: WEBHOOK_KEYS.messenger.appSecret,
    MESSENGER_VERIFY_TOKEN: 'verify-token-for-fuzzing',
    GRAPH_API_BASE_URL: NOWHERE,
    // The properties send hundreds of requests a minute from one address: flood limits are tested elsewhere.
    WEBCHAT_RATE_PER_MINUTE: '1000000',
    WEBCHAT_ADDRESS_RATE_PER_MINUTE: '1000000',
    SENDER_RATE_PER_MINUTE: '1000000',
    ...env,
  });
}

/** Rows in `table` (a fixed name from the tests, never input). */
export async function countRows(database: Database, table: string): Promise<number> {
  const [row] = await database.query<{ n: string | number }>(`select count(*) as n from ${table}`);
  return Number(row?.n ?? 0);
}

/** A status the server must never answer to hostile input. */
export const isServerError = (status: number): boolean => status >= 500;

export interface HostileHarness {
  /** The file's own database (migrated, not emptied between tests: the properties count rows). */
  db(): TestDatabase;
  app(): RunningApp;
  /** A new official with `role`, signed in through the real form. */
  signedIn(role: Role): Promise<SignedIn & { email: string }>;
}

/** Opens a database of `kind` and starts the hostile app on it for the whole `describe` (call it inside one). */
export function useHostileApp(kind: DriverKind, env: Record<string, string> = {}): HostileHarness {
  let db: (TestDatabase & { drop(): Promise<void> }) | undefined;
  let app: RunningApp | undefined;
  let officials = 0;
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    app = await startHostileApp(db.database, env);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('the hostile app is not started');
    return v;
  };
  return {
    db: () => need(db),
    app: () => need(app),
    async signedIn(role) {
      officials += 1;
      const official = await createOfficial(need(db).database.db, { role, email: `${role}-${officials}-${kind}@motcua.test` });
      return { ...(await signIn(request.agent(need(app).baseUrl), official.email, official.password)), email: official.email };
    },
  };
}
