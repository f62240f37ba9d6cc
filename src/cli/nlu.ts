/**
 * `npm run --silent nlu -- parse [--now ISO-8601]` (DESIGN.md §4.3): reads one message per line on
 * stdin and writes one JSON object per line on stdout, in the same order, every input line
 * answered (a blank line too). stdout carries nothing else; logs go to stderr.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import pino from 'pino';
import { z } from 'zod';
import { createNlu, type ProcedureRef } from '../nlu';

/** The project root (src/cli -> ../..); paths move to config later. */
const ROOT = path.resolve(__dirname, '../..');
const INTENTS_DIR = path.join(ROOT, 'intents');
const CACHE_DIR = path.join(ROOT, 'data', 'nlu-cache');
const KNOWLEDGE_BASE = path.join(ROOT, 'data', 'seed', 'knowledge-base.json');

const USAGE =
  'usage: nlu parse [--now <ISO-8601 date-time; without offset = Vietnam time>]  (messages on stdin, one per line)';

/** Only what the NLU needs of the knowledge-base file; the rest is the procedures component's. */
const knowledgeBaseRefsSchema = z.object({
  procedures: z.array(
    z.object({ slug: z.string().min(1), name: z.string().min(1), aliases: z.array(z.string()).default([]) }),
  ),
});

/** The procedures the NLU should recognise; for now from the seed knowledge base file. */
export async function loadProcedureRefs(): Promise<ProcedureRef[]> {
  const json: unknown = JSON.parse(await fs.readFile(KNOWLEDGE_BASE, 'utf8'));
  return knowledgeBaseRefsSchema
    .parse(json)
    .procedures.map(({ slug, name, aliases }) => ({ slug, name, aliases }));
}

/** ISO-8601 date or date-time; the time zone part (Z or ±hh:mm) is optional. */
const ISO_NOW = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * The instant of `--now`. Without a time zone the time is Vietnam local time (the office's clock,
 * not this machine's), and a bare date is its midnight; null when not ISO-8601.
 */
export function parseNow(iso: string): Date | null {
  const m = ISO_NOW.exec(iso);
  if (!m) return null;
  const hasTime = iso.includes('T');
  const full = hasTime ? (m[1] !== undefined ? iso : `${iso}+07:00`) : `${iso}T00:00:00+07:00`;
  const now = new Date(full);
  return Number.isNaN(now.getTime()) ? null : now;
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
  const logger = pino({ name: 'nlu-cli' }, pino.destination(2));
  const nlu = await createNlu({
    intentsDir: INTENTS_DIR,
    cacheDir: CACHE_DIR,
    procedures: await loadProcedureRefs(),
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
