/**
 * The OA's access/refresh token pair, kept in `zalo_tokens` (one row per OA) and rotated safely.
 *
 * Zalo OA tokens (docs "Xác thực và uỷ quyền cho ứng dụng", spec §4.1–4.3): the access token lives
 * 25 h (`expires_in: "90000"`, a STRING of seconds), the refresh token ~3 months and is SINGLE-USE:
 * `POST {oauthBaseUrl}/v4/oa/access_token` with header `secret_key: <app secret>` and form
 * `refresh_token, app_id, grant_type=refresh_token` returns a new pair and kills the old refresh
 * token. Two processes refreshing with the same refresh token lose the grant (an OA admin must then
 * re-consent in a browser), so a refresh:
 * 1. is single-flight within the process (one in-flight promise), and
 * 2. runs in a transaction holding `SELECT … FOR UPDATE` on the row across the OAuth call: a process
 *    that waited for the lock re-reads the row and, if another process already rotated the pair,
 *    uses that one instead of spending the (now dead) refresh token;
 * 3. stores the new pair and COMMITS before the new access token is handed to anyone.
 *
 * The first pair comes from `ZALO_ACCESS_TOKEN`/`ZALO_REFRESH_TOKEN` when the table has no row; its
 * expiry is unknown, so it is assumed to be 24 h from seeding: refreshed when Zalo refuses it or
 * after 24 h, whichever comes first.
 */
import type { AxiosInstance } from 'axios';
import { eq } from 'drizzle-orm';
import type { Config } from '../../config';
import { tables, type Db } from '../../db';
import type { Logger } from '../../logger';
import { SendError } from '../types';
import type { ZaloTokenSource } from './client';
import { createZaloHttp, postForJson } from './http';

const { zaloTokens } = tables;

/** Refresh proactively when the access token expires within this margin. */
export const REFRESH_MARGIN_MS = 10 * 60_000;
/** Assumed lifetime of a seeded access token whose real expiry we do not know. */
export const SEEDED_TOKEN_LIFETIME_MS = 24 * 3_600_000;
/** Refresh tokens live about three months (spec §4.2). */
const REFRESH_TOKEN_LIFETIME_MS = 90 * 24 * 3_600_000;

export type ZaloTokenRow = typeof zaloTokens.$inferSelect;

export interface ZaloTokenStoreOptions {
  config: Config['zalo'];
  db: Db;
  logger: Logger;
  http?: AxiosInstance;
  now?: () => Date;
}

export interface ZaloTokenStore extends ZaloTokenSource {
  /** The stored row (seeding it from configuration first if needed). */
  current(): Promise<ZaloTokenRow>;
}

/** The row key: the OA id, or the app id when the OA id is not configured. */
export function zaloTokenKey(config: Config['zalo']): string {
  if (config.oaId) return config.oaId;
  if (config.appId) return `app:${config.appId}`;
  throw new SendError('auth', 'Zalo channel is not configured (ZALO_OA_ID / ZALO_APP_ID missing)');
}

export function createZaloTokenStore(opts: ZaloTokenStoreOptions): ZaloTokenStore {
  const { config, db } = opts;
  const http = opts.http ?? createZaloHttp();
  const now = opts.now ?? (() => new Date());
  const log = opts.logger.child({ component: 'zalo-tokens' });
  let cached: ZaloTokenRow | undefined;
  let inflight: Promise<ZaloTokenRow> | undefined;

  const fresh = (row: ZaloTokenRow) => row.accessExpiresAt.getTime() - now().getTime() > REFRESH_MARGIN_MS;

  async function load(): Promise<ZaloTokenRow> {
    const key = zaloTokenKey(config);
    const [row] = await db.select().from(zaloTokens).where(eq(zaloTokens.oaId, key));
    if (row) return row;
    if (!config.accessToken || !config.refreshToken) {
      throw new SendError('auth', 'no Zalo OA token pair: set ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN');
    }
    const t = now();
    // Another process may seed at the same moment: the first insert wins, both read the same row.
    await db
      .insert(zaloTokens)
      .values({
        oaId: key,
        accessToken: config.accessToken,
        refreshToken: config.refreshToken,
        accessExpiresAt: new Date(t.getTime() + SEEDED_TOKEN_LIFETIME_MS),
        refreshExpiresAt: null,
        updatedAt: t,
      })
      .onConflictDoNothing();
    const [seeded] = await db.select().from(zaloTokens).where(eq(zaloTokens.oaId, key));
    if (!seeded) throw new SendError('transient', 'Zalo token row vanished right after seeding');
    log.info({ oa: key }, 'zalo token pair seeded from configuration');
    return seeded;
  }

  /** Calls Zalo OAuth with the (locked) row's refresh token; throws SendError on any failure. */
  async function exchange(refreshToken: string): Promise<{ accessToken: string; refreshToken: string; expiresInMs: number }> {
    if (!config.appId || !config.appSecret) throw new SendError('auth', 'ZALO_APP_ID / ZALO_APP_SECRET missing: cannot refresh');
    const form = new URLSearchParams({ refresh_token: refreshToken, app_id: config.appId, grant_type: 'refresh_token' });
    const url = `${config.oauthBaseUrl.replace(/\/+$/, '')}/v4/oa/access_token`;
    // Success has no `error` field: {access_token, refresh_token, expires_in: "90000"}; failures are
    // {error: -14xxx, error_name, error_reason, ref_doc} (spec §4.1.2) — hence the manual check.
    const res = await postForJson(http, url, form.toString(), {
      secret_key: config.appSecret,
      'Content-Type': 'application/x-www-form-urlencoded',
    }).catch((err: unknown) => {
      if (err instanceof SendError && err.kind === 'permanent') throw new SendError('auth', `Zalo token refresh refused: ${err.message}`, err.platformCode);
      throw err;
    });
    return parseRefresh(res);
  }

  function parseRefresh(body: Record<string, unknown>): { accessToken: string; refreshToken: string; expiresInMs: number } {
    const { access_token: at, refresh_token: rt, expires_in: exp } = body;
    if (typeof at === 'string' && at && typeof rt === 'string' && rt) {
      const seconds = Number(exp);
      const expiresInMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : SEEDED_TOKEN_LIFETIME_MS;
      return { accessToken: at, refreshToken: rt, expiresInMs };
    }
    const code = typeof body.error === 'number' ? body.error : undefined;
    const name = typeof body.error_name === 'string' ? body.error_name : 'no token in the response';
    throw new SendError('auth', `Zalo token refresh refused (${code ?? '?'}: ${name}); an OA admin may need to re-authorise the app`, code);
  }

  /** The locked read-decide-rotate-commit; see the file comment. */
  async function rotate(failedToken: string | undefined): Promise<ZaloTokenRow> {
    const key = zaloTokenKey(config);
    cached ??= await load();
    const row = await db.transaction(async (tx) => {
      const [locked] = await tx.select().from(zaloTokens).where(eq(zaloTokens.oaId, key)).for('update');
      if (!locked) throw new SendError('transient', 'Zalo token row missing');
      // Keep the stored pair unless Zalo refused exactly this token or it expires soon: a different
      // token means another process rotated the pair while we waited for the lock.
      const refusedThisOne = failedToken !== undefined && locked.accessToken === failedToken;
      if (!refusedThisOne && fresh(locked)) return locked;
      const t = now();
      const pair = await exchange(locked.refreshToken);
      const next = {
        accessToken: pair.accessToken,
        refreshToken: pair.refreshToken,
        accessExpiresAt: new Date(t.getTime() + pair.expiresInMs),
        refreshExpiresAt: new Date(t.getTime() + REFRESH_TOKEN_LIFETIME_MS),
        updatedAt: t,
      };
      await tx.update(zaloTokens).set(next).where(eq(zaloTokens.oaId, key));
      log.info({ oa: key, reason: failedToken === undefined ? 'expiring' : 'refused', expiresAt: next.accessExpiresAt }, 'zalo token pair rotated');
      return { ...locked, ...next };
    });
    // Committed: only now is the new token used.
    cached = row;
    return row;
  }

  /** Single-flight within the process: concurrent callers share one rotation. */
  function refresh(failedToken: string | undefined): Promise<ZaloTokenRow> {
    inflight ??= rotate(failedToken)
      .catch((err: unknown) => {
        // A refused refresh needs a person (an OA admin re-authorising the app): say so loudly.
        if (err instanceof SendError && err.kind === 'auth') log.error({ err: err.message }, 'zalo token refresh failed');
        throw err;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  }

  return {
    async current() {
      cached ??= await load();
      return cached;
    },
    async getAccessToken() {
      cached ??= await load();
      if (fresh(cached)) return cached.accessToken;
      return (await refresh(undefined)).accessToken;
    },
    async refreshAfterFailure(failedToken) {
      const row = await refresh(failedToken);
      if (row.accessToken === failedToken) throw new SendError('auth', 'Zalo refused the access token and it could not be replaced');
      return row.accessToken;
    },
  };
}
