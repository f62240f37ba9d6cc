/** Shared settings for the Zalo channel tests. */
import type { Config } from '../../../src/config';

export const APP_ID = '3608465248940903967';
export const OA_ID = '388613280878808645';
export const OA_SECRET_KEY = 'oa-secret-key-for-tests';
export const APP_SECRET = 'app-secret-for-tests';
export const USER_ID = '2468458835296117922';

/** A configured Zalo section pointing every base URL at `baseUrl` (one fake plays all three). */
export function zaloConfig(baseUrl = 'http://127.0.0.1:9', over: Partial<Config['zalo']> = {}): Config['zalo'] {
  return {
    appId: APP_ID,
    appSecret: APP_SECRET,
    oaSecretKey: OA_SECRET_KEY,
    oaId: OA_ID,
    accessToken: 'seed-access-token',
    refreshToken: 'seed-refresh-token',
    apiBaseUrl: baseUrl,
    oauthBaseUrl: baseUrl,
    znsBaseUrl: baseUrl,
    ...over,
  };
}
