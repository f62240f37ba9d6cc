/**
 * The `.ics` links are public (a phone's calendar app fetches them without signing in) yet must not
 * let anyone enumerate bookings: the path carries an HMAC of the booking id.
 *
 * The key: `APPRAISAL_LINK_SECRET` when set (required for several processes on different
 * machines); otherwise derived from the platform secrets already configured (changing those
 * invalidates old links, which is acceptable: the chat sends a fresh one with every confirmation);
 * otherwise a random key created once in `DATA_DIR`, which the single-process PGlite default keeps.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config';

const KEY_FILE = 'appraisal-link.key';
const TOKEN_LENGTH = 32;

export function calendarToken(secret: string, bookingId: string): string {
  return createHmac('sha256', secret).update(`appraisal-ics:${bookingId}`).digest('base64url').slice(0, TOKEN_LENGTH);
}

export function isValidCalendarToken(secret: string, bookingId: string, token: string): boolean {
  const expected = Buffer.from(calendarToken(secret, bookingId));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Where the link key comes from, per the order above; `source` is logged (never the key). */
export function resolveLinkSecret(config: Config): { secret: string; source: 'config' | 'platform-secrets' | 'data-dir' } {
  if (config.appraisal.linkSecret) return { secret: config.appraisal.linkSecret, source: 'config' };
  const platform = [config.zalo.appSecret, config.zalo.oaSecretKey, config.messenger.appSecret].filter((s): s is string => Boolean(s));
  if (platform.length > 0) {
    const derived = createHmac('sha256', platform.join('\n')).update('appraisal-calendar-links').digest('hex');
    return { secret: derived, source: 'platform-secrets' };
  }
  const file = path.join(config.dataDir, KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    try {
      // 'wx': two processes starting together do not overwrite each other's key.
      fs.writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  return { secret: fs.readFileSync(file, 'utf8').trim(), source: 'data-dir' };
}
