/**
 * `npm run --silent nlu -- parse [--now ISO-8601]` (DESIGN.md §4.3): reads one message per line on
 * stdin and writes one JSON object per line on stdout, in the same order, every input line
 * answered (a blank line too). stdout carries nothing else; logs go to stderr.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import pino, { type Logger } from 'pino';
import { loadConfig, loadDotEnv, type Config } from '../config';
import { DatabaseInUseError, migrateDatabase, openDatabase } from '../db';
import { createNlu, parseNow, type ProcedureRef } from '../nlu';
import { knowledgeBaseFileSchema, ProcedureRepository, SAMPLE_KB_FILE, toProcedureRef } from '../procedures';

const USAGE =
  'usage: nlu parse [--now <ISO-8601 date-time; without offset = Vietnam time>]  (messages on stdin, one per line)';

/** The sample knowledge base's procedures: what an empty database is seeded with at start. */
async function seedProcedureRefs(config: Config): Promise<ProcedureRef[]> {
  const json: unknown = JSON.parse(await fs.readFile(path.join(config.paths.seedDir, SAMPLE_KB_FILE), 'utf8'));
  return knowledgeBaseFileSchema.parse(json).procedures.map(toProcedureRef);
}

/**
 * The procedures the NLU should recognise: the active ones in the database. When the embedded
 * database is held by a running service (PGlite allows one process), or is still empty, the sample
 * knowledge base the service seeds itself with is used instead, with a note on stderr.
 */
export async function loadProcedureRefs(config: Config, logger: Logger): Promise<ProcedureRef[]> {
  let database;
  try {
    database = await openDatabase(config);
  } catch (err) {
    if (!(err instanceof DatabaseInUseError)) throw err;
    logger.warn('embedded database in use by the running service: using the sample knowledge base');
    return seedProcedureRefs(config);
  }
  try {
    await migrateDatabase(database, config.databaseUrl);
    const active = await new ProcedureRepository(database.db).listActive();
    if (active.length === 0) return seedProcedureRefs(config);
    return active.map(toProcedureRef);
  } finally {
    await database.close();
  }
}

/** Parses `parse [--now ISO]`; returns null on bad arguments. */
function parseArgs(argv: readonly string[]): { now: Date | undefined } | null {
  const [command, ...rest] = argv;
  if (command !== 'parse') return null;
  if (rest.length === 0) return { now: undefined };
  if (rest.length !== 2 || rest[0] !== '--now') return null;
  const now = parseNow(rest[1] ?? '');
  return now === null ? null : { now };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args === null) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  loadDotEnv();
  const config = loadConfig();
  const logger = pino({ name: 'nlu-cli', level: config.logLevel }, pino.destination(2));
  const nlu = await createNlu({
    intentsDir: config.paths.intentsDir,
    cacheDir: config.paths.nluCacheDir,
    procedures: await loadProcedureRefs(config, logger),
    logger,
  });
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    // One answer per line, awaited in turn: output order is input order.
    const p = await nlu.parse(line, args.now ?? new Date());
    const out = { text: p.text, intent: p.intent, score: p.score, procedure: p.procedure, entities: p.entities };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`nlu: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
