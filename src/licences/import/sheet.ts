/**
 * Reading a spreadsheet into rows of cells with the line numbers an official sees: the CSV file's
 * line (a quoted cell may span lines: the row's first line counts) or the XLSX row number.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { restoreCell } from '../../spreadsheet-safety';
import { toStorableText } from '../../storable-text';
import type { Cell } from './dates';

export interface SheetRow {
  line: number;
  cells: Cell[];
}

export type SheetFormat = 'csv' | 'xlsx';

export function formatFromFileName(file: string): SheetFormat {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.xlsx$/i.test(file)) return 'xlsx';
  throw new Error(`cannot tell the format of "${file}": use a .csv or .xlsx file`);
}

/** Text cells lose the quote our exports put before formula-like text. */
const restore = (cell: Cell): Cell => (typeof cell === 'string' ? restoreCell(cell) : cell);

/**
 * The separator of a CSV file: `;` (what Excel writes where the decimal mark is a comma, as in
 * Vietnamese settings) or `,`, whichever the header line has more of outside quotes.
 */
function detectDelimiter(text: string): ';' | ',' | '\t' {
  const firstLine = (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').replace(/"[^"]*"/g, '');
  const count = (c: string): number => firstLine.split(c).length - 1;
  const counts = { ';': count(';'), ',': count(','), '\t': count('\t') } as const;
  if (counts['\t'] > counts[';'] && counts['\t'] > counts[',']) return '\t';
  return counts[';'] > counts[','] ? ';' : ',';
}

/** A CSV file's rows; a CSV syntax error throws with `lines` set to the line of the record it broke. */
export function readCsv(data: Buffer | string): SheetRow[] {
  const text = (typeof data === 'string' ? data : data.toString('utf8')).replace(/^\uFEFF/, '');
  const bytes = Buffer.from(text, 'utf8');
  /** The line after the line breaks of the first `offset` bytes. */
  const lineAt = (offset: number): number => 1 + lineBreaks(bytes.subarray(0, offset).toString('utf8'));
  let records: { record: string[]; info: { bytes: number } }[];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as typeof records;
  } catch (e) {
    // csv-parse's own `lines` is where it stopped reading; the official needs where the broken record starts.
    const complete = (e as { bytes_records?: unknown }).bytes_records;
    if (typeof complete === 'number') Object.assign(e as object, { lines: lineAt(complete) });
    throw e;
  }
  // A record starts on the line after the line breaks of everything before it, counted as an
  // editor shows them (CRLF, CR or LF is one break): csv-parse's own `lines` counts each CR and LF
  // inside a quoted cell, and a stray CR inside a cell, as a line of its own.
  let line = 1;
  let consumed = 0;
  let endedWithCr = false;
  return records.map(({ record, info }) => {
    const row = { line, cells: record.map(restore) };
    const slice = bytes.subarray(consumed, info.bytes).toString('utf8');
    // A CRLF split between two records (CR ends one, LF starts the next) is still one break.
    line += lineBreaks(slice) - (endedWithCr && slice.startsWith('\n') ? 1 : 0);
    endedWithCr = slice.endsWith('\r');
    consumed = info.bytes;
    return row;
  });
}

const lineBreaks = (text: string): number => (text.match(/\r\n|\r|\n/g) ?? []).length;

/** One XLSX cell's value as we use it: rich text and formulas give their text or result. */
function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as ExcelJS.CellFormulaValue).result;
    return result === undefined || typeof result === 'object' && !(result instanceof Date) ? null : cellValue(result as ExcelJS.CellValue);
  }
  if ('hyperlink' in value) return typeof value.text === 'string' ? value.text : null;
  return null;
}

/** The rows of the workbook's first sheet that has any. */
export async function readXlsx(data: Buffer): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  // exceljs's typings want its own Buffer flavour; a Node Buffer is what it reads.
  await workbook.xlsx.load(data as unknown as ArrayBuffer);
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) return [];
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: Cell[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = restore(cellValue(cell.value));
    });
    rows.push({ line: rowNumber, cells: Array.from(cells, (c) => c ?? null) });
  });
  return rows;
}

export async function readSheet(data: Buffer, format: SheetFormat): Promise<SheetRow[]> {
  return format === 'csv' ? readCsv(data) : readXlsx(data);
}

/**
 * A cell as trimmed text ('' when empty); numbers as typed (no thousands separators). Characters
 * the database cannot store (NUL, half surrogates: a file saved in another encoding is full of them)
 * are dropped or replaced first, so such a cell is empty or readable, never a failed write.
 */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return toStorableText(String(cell)).normalize('NFC').replace(/\s+/g, ' ').trim();
}
