/**
 * Signed webhook requests for the load benches, each with a fresh platform event id and the current
 * timestamp, so the app's dedupe never short-circuits the store: every request is a new event to
 * verify, store and acknowledge. Bodies and signatures come from the platform fakes in test/fakes
 * (computed independently of src/), and the channel credentials the app under test is given.
 */
import { randomBytes } from 'node:crypto';
import { signZaloWebhook, zaloTextEvent } from '../../../test/fakes/zalo/webhook-events';
import { DEFAULT_PAGE_ID, messengerEvents, messengerWebhookBody, newMid, signMessengerWebhook } from '../../../test/fakes/graph/webhooks';

/** The Zalo app and OA the bench's fake platform and signed webhooks share. */
export const BENCH_ZALO = {
  appId: '2718281828459045',
  appSecret: 'bench-zalo-app-secret',
  oaSecretKey: 'bench-zalo-oa-secret-key',
  oaId: '388613280878808645',
  accessToken: 'bench-access-token',
  refreshToken: 'bench-refresh-token',
} as const;

/** The Messenger app and Page of the bench. */
export const BENCH_MESSENGER = {
  appSecret: 'bench-messenger-app-secret',
  verifyToken: 'bench-verify-token',
  pageAccessToken: 'bench-page-access-token',
  pageId: DEFAULT_PAGE_ID,
} as const;

/**
 * The app's environment for both channels, their platform clients pointed at `platformBaseUrl`
 * (a fake; for the ingest bench nothing is ever sent, so any local URL will do).
 */
export function channelEnv(platformBaseUrl: string): Record<string, string> {
  return {
    ZALO_APP_ID: BENCH_ZALO.appId,
    ZALO_APP_SECRET: BENCH_ZALO.appSecret,
    ZALO_OA_SECRET_KEY: BENCH_ZALO.oaSecretKey,
    ZALO_OA_ID: BENCH_ZALO.oaId,
    ZALO_ACCESS_TOKEN: BENCH_ZALO.accessToken,
    ZALO_REFRESH_TOKEN: BENCH_ZALO.refreshToken,
    ZALO_API_BASE_URL: platformBaseUrl,
    ZALO_OAUTH_BASE_URL: platformBaseUrl,
    ZALO_ZNS_BASE_URL: platformBaseUrl,
    MESSENGER_APP_SECRET: BENCH_MESSENGER.appSecret,
    MESSENGER_VERIFY_TOKEN: BENCH_MESSENGER.verifyToken,
    MESSENGER_PAGE_ACCESS_TOKEN: BENCH_MESSENGER.pageAccessToken,
    MESSENGER_PAGE_ID: BENCH_MESSENGER.pageId,
    GRAPH_API_BASE_URL: platformBaseUrl,
  };
}

/** One webhook request ready to send byte for byte. */
export interface SignedWebhook {
  path: string;
  /** The id the app stores and dedupes on (Zalo `msg_id`, Messenger `mid`). */
  platformEventId: string;
  rawBody: string;
  headers: Record<string, string>;
}

/** A `user_send_text` from Zalo user `userId`, signed with `X-ZEvent-Signature`. */
export function signedZaloText(userId: string, text: string): SignedWebhook {
  const platformEventId = randomBytes(16).toString('hex');
  const signed = signZaloWebhook(zaloTextEvent({ appId: BENCH_ZALO.appId, oaId: BENCH_ZALO.oaId, userId, text, msgId: platformEventId }), BENCH_ZALO);
  return { path: '/webhooks/zalo', platformEventId, rawBody: signed.rawBody, headers: signed.headers };
}

/** A text message from Messenger PSID `psid`, signed with `X-Hub-Signature-256`. */
export function signedMessengerText(psid: string, text: string): SignedWebhook {
  const platformEventId = newMid();
  const body = messengerWebhookBody([messengerEvents.text(psid, text, { mid: platformEventId })]);
  const signed = signMessengerWebhook(body, BENCH_MESSENGER.appSecret);
  return { path: '/webhooks/messenger', platformEventId, rawBody: signed.rawBody, headers: signed.headers };
}

/** Zalo user ids and Messenger PSIDs of the bench's simulated people (numeric strings, as the platforms send). */
export const zaloUserId = (n: number): string => `84${String(1_000_000_000 + n)}`;
export const messengerPsid = (n: number): string => `25${String(1_000_000_000_000 + n)}`;
