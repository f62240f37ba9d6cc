/**
 * `npm run sandbox`: the whole service with fake Zalo and Facebook platforms, so an official (or a
 * developer) can try the Zalo and Messenger channels without a real OA or Page.
 *
 *   npm run sandbox                                   # starts everything on http://localhost:3100
 *   npm run --silent sandbox -- say zalo "lệ phí đăng ký kết hôn bao nhiêu"
 *   npm run --silent sandbox -- say messenger "thường trú cần giấy tờ gì"
 *
 * `say` signs a webhook exactly as the platform would and posts it; the sandbox prints what the fake
 * platform then receives from us. Data lives in data/sandbox (embedded database), apart from `npm start`.
 */
import http from 'node:http';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../src/config';
import { composeServices } from '../../src/compose';
import { migrateDatabase, openDatabase } from '../../src/db';
import { createLogger } from '../../src/logger';
import { signZaloWebhook, startFakeZalo, zaloTextEvent } from './zalo';
import { messengerEvents, messengerWebhookBody, postMessengerWebhook, startFakeGraph } from './graph';

const PORT = 3100;
const APP = `http://localhost:${PORT}`;
/** Sandbox-only credentials: the fakes accept these and nothing else. */
const SANDBOX = {
  zalo: { appId: '1000000000000000001', appSecret: 'sandbox-app-secret', oaSecretKey: 'sandbox-oa-secret', oaId: '2000000000000000002' },
  messenger: { appSecret: 'sandbox-messenger-secret', verifyToken: 'sandbox-verify', pageToken: 'sandbox-page-token' },
};

async function say(channel: string, text: string, user: string): Promise<number> {
  if (channel === 'zalo') {
    const event = zaloTextEvent({ appId: SANDBOX.zalo.appId, userId: user, text, oaId: SANDBOX.zalo.oaId });
    const signed = signZaloWebhook(event, SANDBOX.zalo);
    const res = await fetch(`${APP}/webhooks/zalo`, { method: 'POST', headers: signed.headers, body: signed.rawBody });
    process.stdout.write(`POST /webhooks/zalo -> ${res.status}\n`);
    return res.ok ? 0 : 1;
  }
  if (channel === 'messenger') {
    const res = await postMessengerWebhook(APP, messengerWebhookBody([messengerEvents.text(user, text)]), SANDBOX.messenger.appSecret);
    process.stdout.write(`POST /webhooks/messenger -> ${res.status}\n`);
    return res.status === 200 ? 0 : 1;
  }
  process.stderr.write('usage: npm run --silent sandbox -- say zalo|messenger "message" [user-id]\n');
  return 2;
}

async function serve(): Promise<void> {
  const zalo = await startFakeZalo({ appId: SANDBOX.zalo.appId, appSecret: SANDBOX.zalo.appSecret, initialAccessToken: 'sandbox-at', initialRefreshToken: 'sandbox-rt' });
  const graph = await startFakeGraph({ pageAccessToken: SANDBOX.messenger.pageToken, appSecret: SANDBOX.messenger.appSecret });
  const config = loadConfig({
    PORT: String(PORT),
    DATA_DIR: path.join(PROJECT_ROOT, 'data', 'sandbox'),
    LOG_LEVEL: 'warn',
    ZALO_APP_ID: SANDBOX.zalo.appId,
    ZALO_APP_SECRET: SANDBOX.zalo.appSecret,
    ZALO_OA_SECRET_KEY: SANDBOX.zalo.oaSecretKey,
    ZALO_OA_ID: SANDBOX.zalo.oaId,
    ZALO_ACCESS_TOKEN: 'sandbox-at',
    ZALO_REFRESH_TOKEN: 'sandbox-rt',
    ZALO_API_BASE_URL: zalo.baseUrl,
    ZALO_OAUTH_BASE_URL: zalo.baseUrl,
    ZALO_ZNS_BASE_URL: zalo.baseUrl,
    MESSENGER_APP_SECRET: SANDBOX.messenger.appSecret,
    MESSENGER_VERIFY_TOKEN: SANDBOX.messenger.verifyToken,
    MESSENGER_PAGE_ACCESS_TOKEN: SANDBOX.messenger.pageToken,
    MESSENGER_PAGE_ID: graph.pageId,
    GRAPH_API_BASE_URL: graph.baseUrl,
    GRAPH_API_VERSION: graph.version,
  });
  const logger = createLogger(config.logLevel);
  const database = await openDatabase(config);
  await migrateDatabase(database, config.databaseUrl);
  const services = await composeServices(config, database, logger);
  const server = http.createServer(services.app).listen(PORT);
  services.inbound.start(200);
  services.outbox.start(200);

  // Show what the fake platforms receive, as a person would see it on their phone.
  let seenZalo = 0;
  let seenGraph = 0;
  const show = setInterval(() => {
    for (const m of zalo.received.slice(seenZalo)) {
      const body = m.body as { recipient?: { user_id?: string; phone?: string }; message?: { text?: string } };
      process.stdout.write(`\n[Zalo -> ${body.recipient?.user_id ?? m.body.phone}]\n${body.message?.text ?? JSON.stringify(m.body.template_data)}\n`);
    }
    seenZalo = zalo.received.length;
    for (const m of graph.received.slice(seenGraph)) {
      process.stdout.write(`\n[Messenger -> ${m.recipientId}, ${m.messagingType}]\n${m.message.text ?? m.message.attachment?.payload?.text ?? ''}\n`);
    }
    seenGraph = graph.received.length;
  }, 200);

  process.stdout.write(
    [
      `Sandbox ready: ${APP}/chat (web chat), fake Zalo at ${zalo.baseUrl}, fake Graph API at ${graph.baseUrl}.`,
      'In another terminal, send a signed webhook as the platform would:',
      `  npm run --silent sandbox -- say zalo "lệ phí đăng ký kết hôn bao nhiêu"`,
      `  npm run --silent sandbox -- say messenger "thường trú cần giấy tờ gì"`,
      'Answers the platforms receive are printed here. Ctrl+C stops.',
      '',
    ].join('\n'),
  );
  const stop = async () => {
    clearInterval(show);
    server.close();
    await services.inbound.stop();
    await services.outbox.stop();
    await database.close();
    await zalo.close();
    await graph.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

const [command, channel, text, user] = process.argv.slice(2);
if (command === 'say') {
  say(channel ?? '', text ?? '', user ?? 'sandbox-user-1').then((code) => process.exit(code));
} else {
  serve().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
