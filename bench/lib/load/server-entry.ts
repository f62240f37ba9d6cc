/**
 * The server a load bench runs in a child process of its own (forked with `--import tsx` by
 * `child-server.ts`), so the load generator never shares an event loop with what it measures.
 *
 *   server-entry.ts bare              Express (the app's version) answering 200 `{}` to everything,
 *                                     parsing nothing: the baseline.
 *   server-entry.ts bare-http         node:http answering 200 `{}` to everything, parsing nothing:
 *                                     what Node alone can do here (the app serves webhooks without
 *                                     express, src/http/webhooks.ts).
 *   server-entry.ts ingest            The real app (config from the environment, migrations, every
 *                                     router) serving webhooks as a web process whose processing
 *                                     runs elsewhere: verify, dedupe, store, acknowledge.
 *   server-entry.ts receivers         Only the two webhook receivers and the same acceptor on the same
 *                                     database, without the app-wide duties (request log, security
 *                                     headers): what the ingest path itself costs.
 *   server-entry.ts main --role=R     `src/main.ts` itself, unchanged (the end-to-end bench).
 *
 * In every mode the process answers the parent's IPC `stats` (peak RSS, CPU time); in `ingest` mode
 * also `verify` (which acknowledged events are stored). It reports `ready` with its port when it
 * listens (`main` mode: the parent polls `/readyz` or the log instead).
 */
import http, { type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../../../src/config';
import { loadTranslator } from '../../../src/i18n';
import { composeServices } from '../../../src/compose';
import { migrateDatabase, openDatabase, type Database } from '../../../src/db';
import { bufferedStdout, createLogger } from '../../../src/logger';
import { inboundAcceptor } from '../../../src/channels/inbound/store';
import { wakeupChannel } from '../../../src/worker/wakeups';
import { messengerWebhookReceiver } from '../../../src/channels/messenger';
import { zaloWebhookReceiver } from '../../../src/channels/zalo';
import { webhookPosts } from '../../../src/http/webhooks';
import type { ChildMessage, ChildStats, ParentMessage, ServerMode, VerifyResult } from './protocol';

function send(message: ChildMessage): void {
  if (process.send && process.connected) process.send(message);
}

function ownStats(): ChildStats {
  const usage = process.resourceUsage();
  return { maxRssKb: usage.maxRSS, cpuMs: Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000) };
}

async function verify(database: Database, ids: string[]): Promise<VerifyResult> {
  const [total] = await database.query<{ n: number }>('select count(*)::int as n from inbound_events');
  // A join on unnest (hash join), not `= any(...)`, which would compare every row with every id.
  const [matched] = await database.query<{ n: number }>(
    'select count(*)::int as n from inbound_events e join unnest($1::text[]) as t(id) on t.id = e.platform_event_id',
    [ids],
  );
  return { storedEvents: total?.n ?? 0, matched: matched?.n ?? 0 };
}

function answerParent(database: Database | undefined): void {
  process.on('message', (raw: ParentMessage) => {
    void (async () => {
      try {
        if (raw.type === 'stats') send({ type: 'stats', requestId: raw.requestId, stats: ownStats() });
        else if (raw.type === 'verify') {
          if (!database) throw new Error('verify needs a database (ingest or receivers mode)');
          send({ type: 'verify', requestId: raw.requestId, result: await verify(database, raw.platformEventIds) });
        }
      } catch (err) {
        send({ type: 'error', requestId: raw.requestId, message: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
}

/**
 * Serves `app` on a free port and tells the parent; on SIGTERM stops taking connections, closes
 * `database` once the requests in flight are answered, and lets the process end.
 */
async function serve(app: RequestListener, database?: Database): Promise<void> {
  const server: Server = await new Promise((resolve) => {
    const s = http.createServer(app).listen(0, '127.0.0.1', () => resolve(s));
  });
  answerParent(database);
  process.once('SIGTERM', () => {
    server.closeIdleConnections();
    server.close(() => {
      void (database?.close() ?? Promise.resolve()).finally(() => {
        if (process.connected) process.disconnect();
      });
    });
  });
  send({ type: 'ready', port: (server.address() as AddressInfo).port });
}

/** The configured database (DATABASE_URL or PGlite in DATA_DIR), migrated, as src/main.ts opens it. */
async function configuredDatabase() {
  const config = loadConfig();
  // As src/main.ts writes its logs.
  const logger = createLogger(config.logLevel, undefined, bufferedStdout());
  const database = await openDatabase(config);
  await migrateDatabase(database, config.databaseUrl);
  return { config, logger, database };
}

async function bare(): Promise<void> {
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res) => {
    res.status(200).json({});
  });
  await serve(app);
}

async function ingest(): Promise<void> {
  const { config, logger, database } = await configuredDatabase();
  // As a `--role=web` process: it stores and acknowledges, and on PostgreSQL wakes the workers
  // elsewhere with a NOTIFY (part of what is measured); nothing here processes or sends.
  const services = await composeServices(config, database, logger, { processHere: false });
  await services.inbound.stop();
  await services.outbox.stop();
  await serve(services.app, database);
}

async function bareHttp(): Promise<void> {
  await serve((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': '2' });
    res.end('{}');
  });
}

async function receivers(): Promise<void> {
  const { config, logger, database } = await configuredDatabase();
  const accept = inboundAcceptor(database, { notifyChannel: database.kind === 'postgres' ? wakeupChannel('inbound') : undefined });
  const webhooks = webhookPosts(
    [
      zaloWebhookReceiver({ config: config.zalo, accept, logger: logger.child({ channel: 'zalo' }) }),
      messengerWebhookReceiver({ config: config.messenger, accept, logger: logger.child({ channel: 'messenger' }) }),
    ],
    // No request log, no security headers: what the app-wide duties cost shows as the difference.
    { securityHeaders: { set: [], remove: [] }, logRequest: () => undefined, i18n: loadTranslator(path.join(PROJECT_ROOT, 'locales')), logger },
  );
  await serve((req, res) => {
    if (webhooks(req, res)) return;
    res.writeHead(404).end();
  }, database);
}

async function main(): Promise<void> {
  answerParent(undefined);
  // src/main.ts shuts itself down on SIGTERM; the IPC channel would keep the process alive after it.
  process.once('SIGTERM', () => {
    if (process.connected) process.disconnect();
  });
  // A CommonJS project: src/main.ts starts itself when loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('../../../src/main');
}

const mode = process.argv[2] as ServerMode | undefined;
const modes: Record<ServerMode, () => Promise<void>> = { bare, 'bare-http': bareHttp, ingest, receivers, main };
const run = mode === undefined ? undefined : modes[mode];
if (!run) {
  process.stderr.write(`usage: server-entry.ts bare|bare-http|ingest|receivers|main [--role=web|worker|all] (got ${String(mode)})\n`);
  process.exit(2);
}
run().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
