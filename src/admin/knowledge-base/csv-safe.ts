/**
 * Spreadsheet formula injection: Excel and LibreOffice run a cell that starts with `=`, `+`, `-` or
 * `@` (and tab/CR, which some versions skip before such a sign) as a formula, so a procedure name
 * like `=HYPERLINK(…)` would become a live link in an official's spreadsheet. The OWASP advice is to
 * prefix such cells with a single quote, which spreadsheets show as text.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeCell(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/**
 * The same CSV with every dangerous cell neutralised. It is re-read and re-written with the CSV
 * library rather than patched as text, so quoting and multi-line cells stay intact.
 */
export function neutralizeCsv(csv: string): string {
  const bom = csv.startsWith('\uFEFF') ? '\uFEFF' : '';
  const rows = parse(csv.slice(bom.length), { relax_column_count: true }) as string[][];
  return bom + stringify(rows.map((row) => row.map(neutralizeCell)));
}
