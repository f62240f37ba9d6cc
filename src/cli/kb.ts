/**
 * `npm run kb -- import <file.json|file.csv> [--dry-run]` and `npm run kb -- export [file] [--format json|csv]`.
 * Import prints `{"imported","updated","offices","rejected":[{"line","reason"}]}`; any rejected
 * row means nothing is written and the exit code is 1.
 */
import fs from 'node:fs';
import {
  formatFromFileName,
  importKnowledgeBase,
  proceduresToCsv,
  ProcedureRepository,
  type KnowledgeBaseFile,
} from '../procedures';
import { openCliDatabase } from './open-database';
import { runCli } from './run';

const USAGE = 'usage: npm run kb -- import <file.json|file.csv> [--dry-run]\n       npm run kb -- export [file.json|file.csv] [--format json|csv]';

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const positional = rest.filter((a, i) => !a.startsWith('--') && rest[i - 1] !== '--format');
  const file = positional[0];
  if (command === 'import' && file) {
    const format = formatFromFileName(file);
    const text = fs.readFileSync(file, 'utf8');
    const { database } = await openCliDatabase();
    try {
      const summary = await importKnowledgeBase(new ProcedureRepository(database.db), text, format, {
        dryRun: flags.has('--dry-run'),
      });
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return summary.rejected.length > 0 ? 1 : 0;
    } finally {
      await database.close();
    }
  }
  if (command === 'export') {
    const formatIndex = rest.indexOf('--format');
    const format = formatIndex >= 0 ? rest[formatIndex + 1] : file ? formatFromFileName(file) : 'json';
    if (format !== 'json' && format !== 'csv') throw new Error(`unknown format "${format}" (json or csv)`);
    const { database } = await openCliDatabase();
    try {
      const repo = new ProcedureRepository(database.db);
      const procedures = (await repo.listAll()).map(({ updatedAt: _u, ...p }) => p);
      const body: KnowledgeBaseFile = { offices: await repo.listOffices(), procedures };
      const out = format === 'csv' ? proceduresToCsv(procedures) : `${JSON.stringify(body, null, 2)}\n`;
      if (file) fs.writeFileSync(file, out);
      else process.stdout.write(out);
      return 0;
    } finally {
      await database.close();
    }
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

runCli(run);
