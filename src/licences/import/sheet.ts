/**
 * Reading a spreadsheet into rows of cells with the line numbers an official sees: the CSV file's
 * line (a quoted cell may span lines: the row's first line counts) or the XLSX row number.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { restoreCell } from '../../spreadsheet-safety';
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

/** A CSV file's rows; a CSV syntax error throws with `lines` set to where it was found. */
export function readCsv(data: Buffer | string): SheetRow[] {
  const text = (typeof data === 'string' ? data : data.toString('utf8')).replace(/^\uFEFF/, '');
  const records = parse(text, {
    delimiter: detectDelimiter(text),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  // csv-parse reports the line a record ENDS on; a cell with line breaks makes the start earlier.
  return records.map(({ record, info }) => ({
    line: info.lines - record.reduce((n, cell) => n + (cell.match(/\r?\n/g) ?? []).length, 0),
    cells: record.map(restore),
  }));
}

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

/** A cell as trimmed text ('' when empty); numbers as typed (no thousands separators). */
export function cellText(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  return String(cell).normalize('NFC').replace(/\s+/g, ' ').trim();
}
