/**
 * The knowledge base as a spreadsheet: one procedure per row, so officials can edit it in Excel or
 * LibreOffice. Lists go one item per line inside a cell (Alt+Enter in Excel). A document line reads
 * `<form> x<quantity>: <name> (<note>)`, e.g. `certified_copy x1: Giấy chứng nhận kết hôn (nếu có)`.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { neutralizeCell, restoreCell } from '../spreadsheet-safety';
import { documentFormSchema, type Procedure, type ProcedureInput } from './model';

export const CSV_COLUMNS = [
  'slug',
  'name',
  'aliases',
  'field',
  'agency',
  'level',
  'documents',
  'fee_vnd',
  'fee_text',
  'fee_exemptions',
  'processing_time',
  'processing_working_days',
  'steps',
  'office',
  'where_note',
  'online_level',
  'online_url',
  'legal_basis',
  'is_sample',
  'status',
] as const;

export interface CsvRow {
  /** 1-based line of the file where the row starts (the header is line 1). */
  line: number;
  record: Record<string, string>;
}

/** Splits a CSV file into rows with their line numbers; a CSV syntax error throws with its line. */
export function readCsvRows(text: string): CsvRow[] {
  const records = parse(text.replace(/^\uFEFF/, ''), {
    columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
    skip_empty_lines: true,
    relax_column_count: false,
    info: true,
    trim: false,
  }) as { record: Record<string, string>; info: { lines: number; raw?: string } }[];
  // csv-parse reports the line a record ENDS on; multi-line cells make it differ from the start.
  return records.map(({ record, info }) => ({
    line: info.lines - countNewlines(Object.values(record).join('')),
    // Our exports protect formula-like cells with a leading quote: take it off again.
    record: Object.fromEntries(Object.entries(record).map(([k, v]) => [k, restoreCell(v)])),
  }));
}

function countNewlines(s: string): number {
  return (s.match(/\n/g) ?? []).length;
}

const items = (cell: string | undefined): string[] =>
  (cell ?? '')
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter(Boolean);

const DOCUMENT_LINE = /^([a-z_]+)\s*(?:x(\d+))?\s*:\s*(.+?)(?:\s*\(([^()]*)\))?$/;

/** Turns a row into the input of `procedureSchema` (validation happens there). */
export function rowToProcedure(record: Record<string, string>): ProcedureInput {
  const documents = items(record.documents).map((line) => {
    const m = DOCUMENT_LINE.exec(line);
    if (!m) throw new Error(`document line "${line}" is not "<form> x<n>: <name> (<note>)"`);
    const form = documentFormSchema.safeParse(m[1]);
    if (!form.success) {
      throw new Error(`document form "${m[1]}" must be one of ${documentFormSchema.options.join(', ')}`);
    }
    return { form: form.data, quantity: m[2] ? Number(m[2]) : 1, name: m[3] ?? '', note: m[4] };
  });
  const feeVnd = (record.fee_vnd ?? '').replace(/[.\s]/g, '');
  const days = (record.processing_working_days ?? '').trim();
  return {
    slug: (record.slug ?? '').trim(),
    name: (record.name ?? '').trim(),
    aliases: items(record.aliases),
    field: (record.field ?? '').trim(),
    agency: (record.agency ?? '').trim(),
    level: (record.level ?? '').trim() as ProcedureInput['level'],
    documents,
    fee: {
      amountVnd: feeVnd === '' ? null : Number(feeVnd),
      text: record.fee_text?.trim() || undefined,
      exemptions: items(record.fee_exemptions),
    },
    processingTime: { text: (record.processing_time ?? '').trim(), workingDays: days === '' ? null : Number(days) },
    steps: items(record.steps),
    where: { officeSlug: (record.office ?? '').trim(), note: record.where_note?.trim() || undefined },
    onlineService: {
      level: (record.online_level ?? '').trim() as ProcedureInput['onlineService']['level'],
      url: record.online_url?.trim() || undefined,
    },
    legalBasis: items(record.legal_basis),
    isSample: /^(true|1|yes|có)$/i.test((record.is_sample ?? '').trim()),
    status: ((record.status ?? '').trim() || 'active') as ProcedureInput['status'],
  };
}

/** The procedures as a CSV file that `rowToProcedure` reads back unchanged. */
export function proceduresToCsv(list: Procedure[]): string {
  const rows = list.map((p) => ({
    slug: p.slug,
    name: p.name,
    aliases: p.aliases.join('\n'),
    field: p.field,
    agency: p.agency,
    level: p.level,
    documents: p.documents
      .map((d) => `${d.form} x${d.quantity}: ${d.name}${d.note ? ` (${d.note})` : ''}`)
      .join('\n'),
    fee_vnd: p.fee.amountVnd === null ? '' : String(p.fee.amountVnd),
    fee_text: p.fee.text ?? '',
    fee_exemptions: p.fee.exemptions.join('\n'),
    processing_time: p.processingTime.text,
    processing_working_days: p.processingTime.workingDays === null ? '' : String(p.processingTime.workingDays),
    steps: p.steps.join('\n'),
    office: p.where.officeSlug,
    where_note: p.where.note ?? '',
    online_level: p.onlineService.level,
    online_url: p.onlineService.url ?? '',
    legal_basis: p.legalBasis.join('\n'),
    is_sample: p.isSample ? 'true' : 'false',
    status: p.status,
  }));
  // Cells that a spreadsheet would run as formulas are neutralised (see spreadsheet-safety.ts).
  const safe = rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, neutralizeCell(v)])));
  // The BOM makes Excel open the file as UTF-8, so Vietnamese text is not garbled.
  return `\uFEFF${stringify(safe, { header: true, columns: [...CSV_COLUMNS] })}`;
}
