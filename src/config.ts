/**
 * The only reader of `process.env` (DESIGN.md §4.1). Everything else receives a typed `Config`.
 * Invalid configuration stops the process at start with a message naming the variable, rather than
 * failing later in the middle of a conversation.
 */
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** The repository root: seed data, intents and locales are found relative to it. */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const TRUST_PROXY_HELP =
  'false, a number of proxy hops, or comma-separated proxy addresses/CIDRs (loopback, linklocal, uniquelocal allowed); never "true", which would let any client forge its address';

/**
 * Express's `trust proxy` from TRUST_PROXY: `false` (default: the socket address is the client), a
 * hop count, or the proxies' addresses. `true` is refused: every client could then pick its own
 * address with X-Forwarded-For and walk past per-address limits. Undefined when invalid.
 */
export function trustProxySetting(value: string): false | number | string[] | undefined {
  const v = value.trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (/^\d{1,2}$/.test(v)) return Number(v);
  const items = v.split(',').map((s) => s.trim());
  const ok = items.every((s) => ['loopback', 'linklocal', 'uniquelocal'].includes(s) || isIP(s.replace(/\/\d{1,3}$/, '')) !== 0);
  return ok ? items : undefined;
}

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: optionalString,
  /** Connections each process may hold on PostgreSQL (all processes together must fit `max_connections`). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(2).max(500).default(10),
  DATA_DIR: z.string().default('./data'),
  APP_BASE_URL: optionalString,
  /** Load the sample knowledge base into an empty database at start (default on). */
  SEED_SAMPLE_DATA: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
  ZALO_APP_ID: optionalString,
  ZALO_APP_SECRET: optionalString,
  ZALO_OA_SECRET_KEY: optionalString,
  ZALO_OA_ID: optionalString,
  ZALO_ACCESS_TOKEN: optionalString,
  ZALO_REFRESH_TOKEN: optionalString,
  ZALO_API_BASE_URL: z.url().default('https://openapi.zalo.me'),
  ZALO_OAUTH_BASE_URL: z.url().default('https://oauth.zaloapp.com'),
  ZALO_ZNS_BASE_URL: z.url().default('https://business.openapi.zalo.me'),
  MESSENGER_APP_SECRET: optionalString,
  MESSENGER_VERIFY_TOKEN: optionalString,
  MESSENGER_PAGE_ACCESS_TOKEN: optionalString,
  MESSENGER_PAGE_ID: optionalString,
  GRAPH_API_BASE_URL: z.url().default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/).default('v23.0'),
  /** Meta approved the app's Human Agent permission: officials may answer up to 7 days later. */
  MESSENGER_HUMAN_AGENT_APPROVED: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Try the CONFIRMED_EVENT_UPDATE tag for appointment updates outside 24 h (Meta is retiring it). */
  MESSENGER_EVENT_UPDATE_TAG: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  ZNS_TEMPLATE_LICENCE_EXPIRY: optionalString,
  ZNS_TEMPLATE_APPRAISAL_REMINDER: optionalString,
  /** HMAC key of the public `.ics` links of appraisal bookings (see src/appraisal/calendar-link.ts). */
  APPRAISAL_LINK_SECRET: optionalString,
  /** Requests per minute per client address on the public appraisal API. */
  APPRAISAL_API_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(60),
  /** Licence expiry reminders: days before expiry (negative: after it), per licence type overridable in the console. */
  REMINDER_LADDER_DAYS: z
    .string()
    .default('60,30,7,1,-1')
    .refine((v) => /^\s*-?\d{1,4}(\s*,\s*-?\d{1,4})*\s*$/.test(v), 'whole days separated by commas, e.g. 60,30,7,1,-1')
    .transform((v) => [...new Set(v.split(',').map((d) => Number(d.trim())))].sort((x, y) => y - x)),
  ADMIN_EMAIL: optionalString,
  ADMIN_PASSWORD: optionalString,
  /** Days chat content and identities are kept after a person's last activity (src/privacy/retention.ts). */
  RETENTION_CONVERSATION_DAYS: z.coerce.number().int().min(30).default(365),
  /** Days raw webhook events, sent messages' bodies, one-time codes and sign-in attempts are kept. */
  RETENTION_RAW_DAYS: z.coerce.number().int().min(7).default(30),
  /** Minutes of silence after which a conversation's context (the procedure being discussed) is dropped. */
  CONTEXT_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  /** Sends per minute per process; the defaults stay under the platforms' limits (Zalo ~4,000/min per OA). */
  OUTBOX_RATE_ZALO_PER_MINUTE: z.coerce.number().int().min(1).default(3000),
  OUTBOX_RATE_MESSENGER_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  /** Attempts at a transient send failure before the message is marked failed. */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  /** Attempts at processing an inbound event (a bug, a database error) before it is marked failed. */
  INBOUND_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  /** Web chat messages per rolling minute per session, and per client address (in memory, per web process). */
  WEBCHAT_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  WEBCHAT_ADDRESS_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  /** Zalo/Messenger messages per rolling minute per person that the bot answers; the rest are stored unanswered. */
  SENDER_RATE_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  /** Reverse proxies whose X-Forwarded-For is believed (client addresses for limits and logs); see trustProxySetting. */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((v, ctx) => trustProxySetting(v) ?? (ctx.addIssue({ code: 'custom', message: TRUST_PROXY_HELP }), z.NEVER)),
});

export type Role = 'all' | 'web' | 'worker';

export interface Config {
  env: 'development' | 'test' | 'production';
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  port: number;
  /** Unset: the embedded PGlite database in `dataDir/pglite`. */
  databaseUrl?: string;
  /** Pool size per process on PostgreSQL. */
  databasePoolSize: number;
  dataDir: string;
  appBaseUrl: string;
  seedSampleData: boolean;
  paths: { intentsDir: string; localesDir: string; seedDir: string; nluCacheDir: string };
  conversation: { contextIdleMinutes: number };
  outbox: { ratePerMinute: { zalo: number; messenger: number }; maxAttempts: number };
  inbound: { maxAttempts: number };
  /** Per-sender limits (see src/http/rate-limit.ts, src/conversation/sender-throttle.ts). */
  limits: { webchatPerSessionPerMinute: number; webchatPerAddressPerMinute: number; senderPerMinute: number };
  /** Express `trust proxy`: which X-Forwarded-For hops to believe (TRUST_PROXY). */
  trustProxy: false | number | string[];
  zalo: {
    appId?: string;
    appSecret?: string;
    oaSecretKey?: string;
    oaId?: string;
    accessToken?: string;
    refreshToken?: string;
    apiBaseUrl: string;
    oauthBaseUrl: string;
    znsBaseUrl: string;
  };
  messenger: {
    appSecret?: string;
    verifyToken?: string;
    pageAccessToken?: string;
    pageId?: string;
    graphApiBaseUrl: string;
    graphApiVersion: string;
    humanAgentTagApproved: boolean;
    confirmedEventUpdateTag: boolean;
  };
  zns: { licenceExpiryTemplate?: string; appraisalReminderTemplate?: string };
  appraisal: { linkSecret?: string; apiRatePerMinute: number };
  /** Expiry reminder ladder: days before expiry, largest first (negative: after expiry). */
  reminders: { ladderDays: number[] };
  admin: { email?: string; password?: string };
  /** How long personal data is kept (the nightly retention job, src/privacy). */
  retention: { conversationDays: number; rawDays: number };
}

export class ConfigError extends Error {}

/**
 * Loads `.env` from the project root into the environment when the file exists (variables already
 * set win), so a developer can keep local settings out of the shell.
 */
export function loadDotEnv(file = path.join(PROJECT_ROOT, '.env')): void {
  if (fs.existsSync(file)) process.loadEnvFile(file);
}

/** Reads and validates the environment. Pass an object in tests instead of touching `process.env`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration (see .env.example):\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(PROJECT_ROOT, e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    dataDir,
    appBaseUrl: (e.APP_BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    seedSampleData: e.SEED_SAMPLE_DATA,
    paths: {
      intentsDir: path.join(PROJECT_ROOT, 'intents'),
      localesDir: path.join(PROJECT_ROOT, 'locales'),
      seedDir: path.join(PROJECT_ROOT, 'data', 'seed'),
      nluCacheDir: path.join(dataDir, 'nlu-cache'),
    },
    conversation: { contextIdleMinutes: e.CONTEXT_IDLE_MINUTES },
    outbox: {
      ratePerMinute: { zalo: e.OUTBOX_RATE_ZALO_PER_MINUTE, messenger: e.OUTBOX_RATE_MESSENGER_PER_MINUTE },
      maxAttempts: e.OUTBOX_MAX_ATTEMPTS,
    },
    inbound: { maxAttempts: e.INBOUND_MAX_ATTEMPTS },
    limits: {
      webchatPerSessionPerMinute: e.WEBCHAT_RATE_PER_MINUTE,
      webchatPerAddressPerMinute: e.WEBCHAT_ADDRESS_RATE_PER_MINUTE,
      senderPerMinute: e.SENDER_RATE_PER_MINUTE,
    },
    trustProxy: e.TRUST_PROXY,
    zalo: {
      appId: e.ZALO_APP_ID,
      appSecret: e.ZALO_APP_SECRET,
      oaSecretKey: e.ZALO_OA_SECRET_KEY,
      oaId: e.ZALO_OA_ID,
      accessToken: e.ZALO_ACCESS_TOKEN,
      refreshToken: e.ZALO_REFRESH_TOKEN,
      apiBaseUrl: e.ZALO_API_BASE_URL,
      oauthBaseUrl: e.ZALO_OAUTH_BASE_URL,
      znsBaseUrl: e.ZALO_ZNS_BASE_URL,
    },
    messenger: {
      appSecret: e.MESSENGER_APP_SECRET,
      verifyToken: e.MESSENGER_VERIFY_TOKEN,
      pageAccessToken: e.MESSENGER_PAGE_ACCESS_TOKEN,
      pageId: e.MESSENGER_PAGE_ID,
      graphApiBaseUrl: e.GRAPH_API_BASE_URL,
      graphApiVersion: e.GRAPH_API_VERSION,
      humanAgentTagApproved: e.MESSENGER_HUMAN_AGENT_APPROVED,
      confirmedEventUpdateTag: e.MESSENGER_EVENT_UPDATE_TAG,
    },
    zns: {
      licenceExpiryTemplate: e.ZNS_TEMPLATE_LICENCE_EXPIRY,
      appraisalReminderTemplate: e.ZNS_TEMPLATE_APPRAISAL_REMINDER,
    },
    appraisal: { linkSecret: e.APPRAISAL_LINK_SECRET, apiRatePerMinute: e.APPRAISAL_API_RATE_PER_MINUTE },
    reminders: { ladderDays: e.REMINDER_LADDER_DAYS },
    admin: { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD },
    retention: { conversationDays: e.RETENTION_CONVERSATION_DAYS, rawDays: e.RETENTION_RAW_DAYS },
  };
}

/** Test databases (DESIGN.md §3): PGlite always, plus a real server when this is set. */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const v = env.TEST_DATABASE_URL?.trim();
  return v ? v : undefined;
}
