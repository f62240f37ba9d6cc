/**
 * The running app wired to a fake Zalo platform, as the Zalo end-to-end tests need it: the app's
 * clients reach the fake through the configurable base URLs, and its inbound processor and outbox
 * poll every 100 ms.
 */
import type { Database } from '../../src/db';
import { startFakeZalo, type FakeZalo } from '../fakes/zalo';
import { startApp, type RunningApp } from './app';

/** The app and OA secrets the fake and the signed webhooks share. */
export const ZALO_KEYS = { appId: '1234567890', oaSecretKey: 'oa-secret-key', appSecret: 'app-secret' };

/** The environment that points the app's Zalo channel at `fake`. */
export function zaloEnv(fake: FakeZalo): Record<string, string> {
  return {
    ZALO_APP_ID: ZALO_KEYS.appId,
    ZALO_APP_SECRET: ZALO_KEYS.appSecret,
    ZALO_OA_SECRET_KEY: ZALO_KEYS.oaSecretKey,
    ZALO_OA_ID: '388613280878808645',
    ZALO_ACCESS_TOKEN: 'at-1',
    ZALO_REFRESH_TOKEN: 'rt-1',
    ZALO_API_BASE_URL: fake.baseUrl,
    ZALO_OAUTH_BASE_URL: fake.baseUrl,
    ZALO_ZNS_BASE_URL: fake.baseUrl,
  };
}

/** Starts a fake Zalo and the app against it, with the workers polling. */
export async function startZaloApp(database: Database): Promise<{ fake: FakeZalo; app: RunningApp }> {
  const fake = await startFakeZalo({ appId: ZALO_KEYS.appId, appSecret: ZALO_KEYS.appSecret, initialAccessToken: 'at-1', initialRefreshToken: 'rt-1' });
  const app = await startApp(database, zaloEnv(fake));
  app.services.inbound.start(100);
  app.services.outbox.start(100);
  return { fake, app };
}
