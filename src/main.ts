/**
 * Composition root: config -> database (migrated) -> components -> HTTP server and/or worker.
 * `--role=web|worker` runs one of them (Procfile); without it, both run in one process, which the
 * embedded PGlite database requires (it allows a single process).
 */
import http, { type Server } from 'node:http';
import { loadConfig, loadDotEnv, type Role } from './config';
import { openDatabase, migrateDatabase } from './db';
import { bufferedStdout, createLogger } from './logger';
import { composeServices } from './compose';
import { handoffQueueReport } from './conversation/jobs';
import { appraisalRemindersJob } from './appraisal';
import { licenceRemindersJob } from './licences/reminders';
import { broadcastDeliveryJob } from './broadcasts';
import { retentionJob } from './privacy';
import { startScheduler, type Scheduler } from './worker/scheduler';
import { listenForWakeups, type WakeupListener } from './worker/wakeups';

/** How often a web process looks for knowledge-base edits made elsewhere (console, CLI, other process). */
const KB_SYNC_MS = 30_000;
/** Longest we wait for in-flight requests on shutdown before closing anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

function roleFromArgs(argv: string[]): Role {
  const arg = argv.find((a) => a.startsWith('--role='))?.slice('--role='.length) ?? 'all';
  if (arg !== 'all' && arg !== 'web' && arg !== 'worker') throw new Error(`unknown --role=${arg} (web, worker or all)`);
  return arg;
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const logger = createLogger(config.logLevel, undefined, bufferedStdout());
  let role = roleFromArgs(process.argv.slice(2));
  if (!config.databaseUrl && role !== 'all') {
    logger.warn({ role }, 'the embedded database allows one process: running web and worker together');
    role = 'all';
  }

  const database = await openDatabase(config);
  await migrateDatabase(database, config.databaseUrl);
  logger.info({ database: database.kind, role }, 'database ready');

  let server: Server | undefined;
  let scheduler: Scheduler | undefined;
  let wakeups: WakeupListener | undefined;
  const services = await composeServices(config, database, logger, { processHere: role !== 'web' });
  // Every role answers citizens (web: web chat; worker: Zalo and Messenger), so every role picks up
  // knowledge-base edits made in another process.
  const kbTimer = setInterval(() => {
    services.syncKnowledgeBase().catch((err: unknown) => logger.error({ err }, 'knowledge base sync failed'));
  }, KB_SYNC_MS);
  kbTimer.unref();

  if (role !== 'worker') {
    const web = http.createServer(services.app);
    // A port already taken ends the start with its error (exit code 1), never a "ready" that is not.
    await new Promise<void>((resolve, reject) => {
      web.once('error', reject);
      web.listen(config.port, () => {
        web.off('error', reject);
        resolve();
      });
    });
    server = web;
    logger.info({ url: `${config.appBaseUrl}/chat`, port: config.port }, 'web chat ready');
  }
  if (role !== 'web') {
    const reminders = licenceRemindersJob({
      db: database.db,
      i18n: services.i18n,
      logger: logger.child({ component: 'licence-reminders' }),
      channels: services.channels,
      outbox: services.outbox,
      ladderDays: config.reminders.ladderDays,
      znsTemplateId: config.zns.licenceExpiryTemplate,
    });
    const broadcasts = broadcastDeliveryJob(database.db, {
      i18n: services.i18n,
      logger: logger.child({ component: 'broadcasts' }),
      onQueued: () => services.outbox.nudge(),
    });
    const appraisalReminders = appraisalRemindersJob(database.db, config, logger.child({ component: 'appraisal-reminders' }));
    scheduler = startScheduler(
      [
        handoffQueueReport(database.db, logger),
        appraisalReminders,
        reminders,
        broadcasts,
        retentionJob(database.db, config.retention, logger.child({ component: 'privacy' })),
      ],
      logger.child({ component: 'worker' }),
    );
    // Replies are produced and delivered by the worker role (in one process on PGlite).
    services.inbound.start();
    services.outbox.start();
    services.inbound.nudge();
    services.outbox.nudge();
    // Web processes store webhooks and officials' replies and wake us (they also reach us by polling).
    if (config.databaseUrl) {
      wakeups = listenForWakeups(
        config.databaseUrl,
        { inbound: () => services.inbound.nudge(), outbox: () => services.outbox.nudge() },
        logger.child({ component: 'wakeups' }),
      );
    }
    logger.info({ channels: Object.keys(services.channels) }, 'inbound processor and outbox started');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    services.state.shuttingDown = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long: closing open connections');
      server?.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    clearInterval(kbTimer);
    // Stop accepting, let in-flight requests finish (keep-alive sockets that are idle close now).
    if (server) {
      const closed = new Promise<void>((resolve) => server?.close(() => resolve()));
      server.closeIdleConnections();
      await closed;
    }
    await scheduler?.stop();
    await wakeups?.stop();
    // Finish the event or send in progress (its result is recorded), then stop taking new ones.
    await services.inbound.stop();
    await services.outbox.stop();
    await database.close();
    clearTimeout(force);
    logger.info('stopped');
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // The logger may not exist yet (bad configuration): stderr is the one place sure to be read.
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
