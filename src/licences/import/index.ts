/**
 * Licence import (DESIGN.md §4.3b): a CSV or XLSX register as offices keep it, checked row by row,
 * then written by licence number in one transaction — or, with any rejected row or a dry run, not
 * at all. The preview (what would be inserted, what updated and what changes) feeds the console.
 */
import type { Db } from '../../db';
import type { Locale, Translator } from '../../i18n';
import { ProcedureRepository } from '../../procedures';
import type { Licence, LicenceInput } from '../model';
import { LicenceRepository } from '../repository';
import { problem, type Problem, type RowProblems } from './problem';
import { ProcedureResolver } from './procedure-resolver';
import { parseRows, type ParsedRow } from './rows';
import { readSheet, type SheetFormat } from './sheet';

export { formatFromFileName, type SheetFormat } from './sheet';
export { CONTRACT_NAMES, COLUMN_KEYS, type ColumnKey } from './headers';
export { parseDateCell, toDayFirst } from './dates';
export type { Problem, RowProblems } from './problem';
export type { ParsedRow } from './rows';

/** The JSON the CLI prints (contract). */
export interface LicenceImportSummary {
  imported: number;
  updated: number;
  rejected: { line: number; reason: string }[];
}

export interface LicenceImportResult {
  summary: LicenceImportSummary;
  /** Rows whose number is new. */
  inserts: ParsedRow[];
  /** Rows whose number exists, with the stored licence they replace. */
  updates: (ParsedRow & { before: Licence })[];
  /** True when the rows were written. */
  committed: boolean;
}

export interface ImportOptions {
  dryRun?: boolean;
  /** Language of the rejection reasons; Vietnamese by default. */
  locale?: Locale;
  /** Runs in the import's transaction after the rows are written (the console's audit record). */
  onCommit?: (tx: Db, result: LicenceImportResult) => Promise<void>;
}

/** The human reason of a row's problems, in `locale`: one sentence each. */
export function describeProblems(i18n: Translator, problems: readonly Problem[], locale?: Locale): string {
  return problems.map((p) => i18n.t(`licences.import.errors.${p.key}`, p.params, locale)).join(' ');
}

async function readRows(data: Buffer, format: SheetFormat, resolver: ProcedureResolver) {
  try {
    return parseRows(await readSheet(data, format), resolver);
  } catch (e) {
    const line = (e as { lines?: unknown }).lines;
    const rejected: RowProblems[] = [{ line: typeof line === 'number' ? line : 1, problems: [problem(`unreadable.${format}`)] }];
    return { rows: [], rejected };
  }
}

/** Imports a register file. Nothing is written on a dry run or when any row is rejected. */
export async function importLicences(
  db: Db,
  i18n: Translator,
  data: Buffer,
  format: SheetFormat,
  opts: ImportOptions = {},
): Promise<LicenceImportResult> {
  const resolver = new ProcedureResolver(await new ProcedureRepository(db).listAll());
  const parsed = await readRows(data, format, resolver);
  const rejected = parsed.rejected
    .sort((a, b) => a.line - b.line)
    .map((p) => ({ line: p.line, reason: describeProblems(i18n, p.problems, opts.locale) }));

  const plan = async (executor: Db): Promise<Omit<LicenceImportResult, 'summary' | 'committed'>> => {
    const stored = await new LicenceRepository(executor).findByNumbers(parsed.rows.map((r) => r.licence.number));
    const inserts: ParsedRow[] = [];
    const updates: LicenceImportResult['updates'] = [];
    for (const row of parsed.rows) {
      const before = stored.get(row.licence.number);
      if (before) updates.push({ ...row, before });
      else inserts.push(row);
    }
    return { inserts, updates };
  };

  if (opts.dryRun || rejected.length > 0) {
    const { inserts, updates } = await plan(db);
    // The counts say what was (dry run: would be) written; a refused file writes nothing.
    const counts = rejected.length > 0 ? { imported: 0, updated: 0 } : { imported: inserts.length, updated: updates.length };
    return { summary: { ...counts, rejected }, inserts, updates, committed: false };
  }
  return db.transaction(async (tx) => {
    const { inserts, updates } = await plan(tx);
    const licences: LicenceInput[] = parsed.rows.map((r) => r.licence);
    const written = await new LicenceRepository(tx).upsertMany(licences);
    const result: LicenceImportResult = {
      summary: { imported: written.inserted, updated: written.updated, rejected },
      inserts,
      updates,
      committed: true,
    };
    await opts.onCommit?.(tx, result);
    return result;
  });
}
