/**
 * Knowledge-base import: a JSON file (the export format) or a CSV file (one procedure per row).
 * All-or-nothing: every row is checked first and every problem reported with its line; only a file
 * without problems is written, in one transaction.
 */
import { z } from 'zod';
import { arrayElementLines } from './json-lines';
import { readCsvRows, rowToProcedure } from './csv';
import { officeSchema, procedureSchema, type Office, type Procedure } from './model';
import type { ProcedureRepository } from './repository';

export interface Rejection {
  line: number;
  reason: string;
}

export interface ParsedKnowledgeBase {
  procedures: Procedure[];
  offices: Office[];
  rejected: Rejection[];
  /** The line each accepted procedure starts on, same order as `procedures`. */
  lines: number[];
}

export interface ImportSummary {
  imported: number;
  updated: number;
  offices: number;
  rejected: Rejection[];
}

export type KbFormat = 'json' | 'csv';

export function formatFromFileName(file: string): KbFormat {
  if (/\.json$/i.test(file)) return 'json';
  if (/\.csv$/i.test(file)) return 'csv';
  throw new Error(`cannot tell the format of "${file}": use a .json or .csv file`);
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(row)'}: ${i.message}`).join('; ');
}

/** Validates a file's content without writing anything. */
export function parseKnowledgeBase(text: string, format: KbFormat): ParsedKnowledgeBase {
  const result = format === 'json' ? parseJson(text) : parseCsv(text);
  const seen = new Map<string, number>();
  result.procedures.forEach((p, i) => {
    const line = result.lines[i] ?? 0;
    const first = seen.get(p.slug);
    if (first !== undefined) result.rejected.push({ line, reason: `slug "${p.slug}" already on line ${first}` });
    else seen.set(p.slug, line);
  });
  return result;
}

function parseJson(raw: string): ParsedKnowledgeBase {
  const text = raw.replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { procedures: [], offices: [], lines: [], rejected: [{ line: 1, reason: `not valid JSON: ${(e as Error).message}` }] };
  }
  const isArray = Array.isArray(data);
  const root = isArray ? { procedures: data } : data;
  const shape = z.object({ procedures: z.array(z.unknown()).default([]), offices: z.array(z.unknown()).default([]) });
  const top = shape.safeParse(root);
  if (!top.success) return { procedures: [], offices: [], lines: [], rejected: [{ line: 1, reason: describe(top.error) }] };
  const procLines = arrayElementLines(text, 'procedures');
  const officeLines = isArray ? [] : arrayElementLines(text, 'offices');
  const out: ParsedKnowledgeBase = { procedures: [], offices: [], rejected: [], lines: [] };
  top.data.offices.forEach((o, i) => {
    const r = officeSchema.safeParse(o);
    if (r.success) out.offices.push(r.data);
    else out.rejected.push({ line: officeLines[i] ?? 1, reason: `office: ${describe(r.error)}` });
  });
  top.data.procedures.forEach((p, i) => {
    const r = procedureSchema.safeParse(p);
    if (r.success) {
      out.procedures.push(r.data);
      out.lines.push(procLines[i] ?? 1);
    } else out.rejected.push({ line: procLines[i] ?? 1, reason: describe(r.error) });
  });
  return out;
}

function parseCsv(text: string): ParsedKnowledgeBase {
  const out: ParsedKnowledgeBase = { procedures: [], offices: [], rejected: [], lines: [] };
  let rows;
  try {
    rows = readCsvRows(text);
  } catch (e) {
    const err = e as Error & { lines?: number };
    return { ...out, rejected: [{ line: err.lines ?? 1, reason: `not valid CSV: ${err.message}` }] };
  }
  for (const { line, record } of rows) {
    try {
      const r = procedureSchema.safeParse(rowToProcedure(record));
      if (r.success) {
        out.procedures.push(r.data);
        out.lines.push(line);
      } else out.rejected.push({ line, reason: describe(r.error) });
    } catch (e) {
      out.rejected.push({ line, reason: (e as Error).message });
    }
  }
  return out;
}

/**
 * Imports a file into the knowledge base. Procedures must name an office that exists in the file
 * or in the database. With `dryRun`, or when anything is rejected, nothing is written.
 */
export async function importKnowledgeBase(
  repo: ProcedureRepository,
  text: string,
  format: KbFormat,
  opts: { dryRun?: boolean } = {},
): Promise<ImportSummary> {
  const parsed = parseKnowledgeBase(text, format);
  const known = new Set([...parsed.offices.map((o) => o.slug), ...(await repo.listOffices()).map((o) => o.slug)]);
  parsed.procedures.forEach((p, i) => {
    if (!known.has(p.where.officeSlug)) {
      parsed.rejected.push({ line: parsed.lines[i] ?? 0, reason: `where.officeSlug: no office "${p.where.officeSlug}"` });
    }
  });
  parsed.rejected.sort((a, b) => a.line - b.line);
  if (parsed.rejected.length > 0 || opts.dryRun) {
    const existing = new Set((await repo.listAll()).map((p) => p.slug));
    const updated = parsed.procedures.filter((p) => existing.has(p.slug)).length;
    return {
      imported: parsed.rejected.length ? 0 : parsed.procedures.length - updated,
      updated: parsed.rejected.length ? 0 : updated,
      offices: parsed.rejected.length ? 0 : parsed.offices.length,
      rejected: parsed.rejected,
    };
  }
  const { inserted, updated } = await repo.upsert({ procedures: parsed.procedures, offices: parsed.offices });
  return { imported: inserted, updated, offices: parsed.offices.length, rejected: [] };
}
