/**
 * `npm run --silent licences -- import <file.csv|file.xlsx> [--dry-run]` (DESIGN.md §4.3b, contract):
 * prints `{"imported": n, "updated": n, "rejected": [{"line": n, "reason": "…"}]}`; any rejected row
 * means nothing is written and the exit code is 1.
 * `npm run --silent licences -- export [file.csv]`: the register as CSV (the import's columns).
 */
import fs from 'node:fs';
import { loadTranslator } from '../i18n';
import { formatFromFileName, importLicences, LicenceRepository, licencesToCsv } from '../licences';
import { openCliDatabase } from './open-database';
import { runCli } from './run';

const USAGE =
  'usage: npm run --silent licences -- import <file.csv|file.xlsx> [--dry-run]\n       npm run --silent licences -- export [file.csv]';

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const flags = new Set(rest.filter((a) => a.startsWith('--')));
  const file = rest.find((a) => !a.startsWith('--'));
  const unknown = [...flags].filter((f) => f !== '--dry-run');
  if (unknown.length > 0) {
    process.stderr.write(`unknown option ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  if (command === 'import' && file) {
    const format = formatFromFileName(file);
    const data = fs.readFileSync(file);
    const { config, database } = await openCliDatabase();
    try {
      const i18n = loadTranslator(config.paths.localesDir);
      const { summary } = await importLicences(database.db, i18n, data, format, { dryRun: flags.has('--dry-run') });
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      return summary.rejected.length > 0 ? 1 : 0;
    } finally {
      await database.close();
    }
  }
  if (command === 'export' && !flags.has('--dry-run')) {
    const { database } = await openCliDatabase();
    try {
      const csv = await licencesToCsv(new LicenceRepository(database.db).iterate());
      if (file) fs.writeFileSync(file, csv);
      else process.stdout.write(csv);
      return 0;
    } finally {
      await database.close();
    }
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

runCli(run);
