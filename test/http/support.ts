/** The running app with both channels' webhooks switched on, for the HTTP-layer suites of this folder. */
import type { TestDatabase } from '../support/db';
import { startApp, type RunningApp } from '../support/app';

/** Credentials that turn both webhooks on (nothing is sent: the workers are not started). */
export const WEBHOOKS_ON = {
  ZALO_APP_ID: '1234567890',
  ZALO_APP_SECRET: 'app-secret',
  ZALO_OA_SECRET_KEY: 'oa-secret-key',
  MESSENGER_APP_SECRET: 'messenger-secret',
  MESSENGER_VERIFY_TOKEN: 'verify-me',
};

/** Starts the app once for the enclosing `describe` and stops it after; call the result inside tests. */
export function useRunningApp(getDb: () => TestDatabase, env: Record<string, string> = WEBHOOKS_ON): () => RunningApp {
  let app: RunningApp | undefined;
  beforeAll(async () => {
    app = await startApp(getDb().database, env);
  });
  afterAll(async () => {
    await app?.close();
  });
  return () => {
    if (!app) throw new Error('app not started');
    return app;
  };
}
