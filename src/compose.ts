/**
 * Wires the components together on an open database. Shared by `main.ts`, the CLIs and the
 * end-to-end tests, so they all run the same assembly.
 */
import type { RequestListener } from 'node:http';
import type { Config } from './config';
import type { Database } from './db';
import { createConversation, ConversationStore, type Conversation } from './conversation';
import { loadTranslator, type Translator } from './i18n';
import type { Logger } from './logger';
import { createNlu, type Nlu } from './nlu';
import { ProcedureRepository, seedSampleKnowledgeBase, toProcedureRef } from './procedures';
import { createApp } from './http/app';
import { ensureFirstAdmin } from './admin';
import { inboundAcceptor } from './channels/inbound/store';
import { configuredChannels, type ChannelRegistry } from './channels/registry';
import { InboundProcessor } from './conversation/processor';
import { OutboxWorker } from './outbox';
import { ProcedureRepository as Procedures } from './procedures';
import type { Db } from './db';
import { createAppraisalService, resolveLinkSecret, seedSampleAppraisal, type AppraisalService } from './appraisal';
import { wakeupChannel, wakeupNotifier } from './worker/wakeups';

export interface Services {
  procedures: ProcedureRepository;
  nlu: Nlu;
  i18n: Translator;
  conversation: Conversation;
  /** The web process's request handler (`http.createServer(app)`): webhooks first, then express. */
  app: RequestListener;
  state: { shuttingDown: boolean };
  channels: ChannelRegistry;
  /** Turns stored channel events into queued replies. */
  inbound: InboundProcessor;
  /** Delivers queued messages to the platforms. */
  outbox: OutboxWorker;
  /** Re-reads procedure names and aliases into the NLU if the knowledge base changed. */
  syncKnowledgeBase(): Promise<boolean>;
  /** Remote appraisal on the pool. */
  appraisal: AppraisalService;
  /** The appraisal service on another `db` (a conversation turn's transaction), same settings. */
  appraisalFor(db: Db): AppraisalService;
}

/** The NLU's view of the knowledge base: the active procedures. */
async function procedureRefs(repo: ProcedureRepository) {
  return (await repo.listActive()).map(toProcedureRef);
}

/**
 * `processHere: false` (a `--role=web` process): webhooks and officials' replies are stored for the
 * worker processes instead of being processed in this process — a web process's CPU goes to
 * acknowledging webhooks quickly, not to the NLU and sends. On PostgreSQL the workers are woken at
 * once (src/worker/wakeups.ts); they also poll.
 */
export async function composeServices(
  config: Config,
  database: Database,
  logger: Logger,
  { processHere = true }: { processHere?: boolean } = {},
): Promise<Services> {
  const procedures = new ProcedureRepository(database.db);
  if (config.seedSampleData) {
    const seeded = await seedSampleKnowledgeBase(procedures, config.paths.seedDir);
    if (seeded) logger.info(seeded, 'sample knowledge base loaded');
    const appraisalSeeded = await seedSampleAppraisal(database.db, config.paths.seedDir);
    if (appraisalSeeded) logger.info(appraisalSeeded, 'sample appraisal calendar loaded');
  }
  const i18n = loadTranslator(config.paths.localesDir);
  const appraisalLink = resolveLinkSecret(config);
  logger.info({ source: appraisalLink.source }, 'appraisal calendar link key');
  const appraisalFor = (db: Db) =>
    createAppraisalService(db, { linkSecret: appraisalLink.secret, i18n, znsReminderTemplate: config.zns.appraisalReminderTemplate });
  const appraisal = appraisalFor(database.db);
  const nlu = await createNlu({
    intentsDir: config.paths.intentsDir,
    cacheDir: config.paths.nluCacheDir,
    procedures: await procedureRefs(procedures),
    logger: logger.child({ component: 'nlu' }),
  });
  logger.info({ trainingMs: nlu.trainingMs, fromCache: nlu.fromCache }, 'nlu ready');
  const conversationFor = (db: Db) =>
    createConversation({
      db,
      appBaseUrl: config.appBaseUrl,
      appraisal: appraisalFor,
      store: new ConversationStore(db),
      procedures: db === database.db ? procedures : new Procedures(db),
      nlu,
      i18n,
      contextIdleMinutes: config.conversation.contextIdleMinutes,
      logger: logger.child({ component: 'conversation' }),
    });
  const conversation = conversationFor(database.db);
  const channels = configuredChannels(config, database.db, logger);
  const outbox = new OutboxWorker({
    db: database.db,
    channels,
    logger: logger.child({ component: 'outbox' }),
    ratePerMinute: config.outbox.ratePerMinute,
    maxAttempts: config.outbox.maxAttempts,
  });
  const inbound = new InboundProcessor({
    db: database.db,
    conversationFor,
    logger: logger.child({ component: 'inbound' }),
    maxAttempts: config.inbound.maxAttempts,
    onReplies: () => outbox.nudge(),
    senderLimit: { perMinute: config.limits.senderPerMinute, i18n },
  });
  // Who starts on new work: this process, or — in a web process on PostgreSQL — the workers, woken.
  const elsewhere = !processHere && database.kind === 'postgres';
  const wakeOutbox = processHere ? () => outbox.nudge() : elsewhere ? wakeupNotifier(database.db, 'outbox', logger) : undefined;
  // Webhooks' events: this process's processor is nudged, or the webhooks' insert itself NOTIFYs the workers.
  const accept = inboundAcceptor(
    database,
    processHere ? { onAccepted: () => inbound.nudge() } : elsewhere ? { notifyChannel: wakeupChannel('inbound') } : {},
  );
  const state = { shuttingDown: false };

  let knownChange = (await procedures.lastChangedAt())?.getTime() ?? 0;
  const syncKnowledgeBase = async () => {
    const changed = (await procedures.lastChangedAt())?.getTime() ?? 0;
    if (changed === knownChange) return false;
    knownChange = changed;
    nlu.setProcedures(await procedureRefs(procedures));
    logger.info('knowledge base changed: procedure names reloaded');
    return true;
  };
  await ensureFirstAdmin({ db: database.db, email: config.admin.email, password: config.admin.password, logger });
  const app = createApp({
    database,
    conversation,
    nlu,
    i18n,
    logger,
    state,
    accept,
    config,
    onKnowledgeBaseChanged: () => {
      syncKnowledgeBase().catch((err: unknown) => logger.error({ err }, 'knowledge base sync failed'));
    },
    onOutbound: () => wakeOutbox?.(),
    appraisal: { service: appraisal, linkSecret: appraisalLink.secret },
  });
  return {
    procedures,
    nlu,
    i18n,
    conversation,
    app,
    state,
    channels,
    inbound,
    outbox,
    syncKnowledgeBase,
    appraisal,
    appraisalFor,
  };
}
