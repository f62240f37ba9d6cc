/**
 * `npm run --silent reminders -- run [--now <ISO-8601>] [--max-wait <seconds>]` (DESIGN.md §4.3b):
 * one scheduler tick of the licence expiry reminders as if it were that moment — plan what is due,
 * deliver through the outbox and the channel policies (channels configured from the environment, as
 * the service does), wait until the outbox is drained or only waiting on policy — then print a JSON
 * summary on stdout and exit 0. Logs go to stderr.
 *
 * The tick's clock starts at `--now` and runs at real speed, so rate-limit waits pass as they would;
 * a time without an offset is Vietnam time. The cron job runs the same tick with the real clock.
 */
import pino from 'pino';
import { configuredChannels } from '../channels/registry';
import { loadTranslator } from '../i18n';
import { runReminderTick } from '../licences/reminders';
import { parseNow } from '../nlu';
import { OutboxWorker } from '../outbox';
import { openCliDatabase } from './open-database';
import { runCli } from './run';

const USAGE = 'usage: npm run --silent reminders -- run [--now <ISO-8601>] [--max-wait <seconds>]';

/** The value after `--name` (or in `--name=value`). */
function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command !== 'run') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const nowArg = option(rest, '--now');
  const start = nowArg === undefined ? new Date() : parseNow(nowArg);
  if (!start) {
    process.stderr.write(`--now: "${nowArg}" is not an ISO-8601 date or date-time\n${USAGE}\n`);
    return 2;
  }
  const maxWaitArg = option(rest, '--max-wait');
  const maxWaitSeconds = maxWaitArg === undefined ? undefined : Number(maxWaitArg);
  if (maxWaitSeconds !== undefined && !(Number.isFinite(maxWaitSeconds) && maxWaitSeconds >= 0)) {
    process.stderr.write(`--max-wait: "${maxWaitArg}" is not a number of seconds\n${USAGE}\n`);
    return 2;
  }

  const { config, database } = await openCliDatabase();
  const logger = pino({ name: 'reminders-cli', level: config.logLevel }, pino.destination(2));
  try {
    const startedAt = Date.now();
    const clock = () => new Date(start.getTime() + (Date.now() - startedAt));
    const channels = configuredChannels(config, database.db, logger);
    const outbox = new OutboxWorker({
      db: database.db,
      channels,
      logger: logger.child({ component: 'outbox' }),
      ratePerMinute: config.outbox.ratePerMinute,
      maxAttempts: config.outbox.maxAttempts,
      clock,
    });
    const summary = await runReminderTick(
      {
        db: database.db,
        i18n: loadTranslator(config.paths.localesDir),
        logger,
        channels,
        outbox,
        ladderDays: config.reminders.ladderDays,
        znsTemplateId: config.zns.licenceExpiryTemplate,
      },
      { clock, maxWaitMs: maxWaitSeconds === undefined ? undefined : maxWaitSeconds * 1000 },
    );
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

runCli(run, { prefix: 'reminders: ' });
