/**
 * CSV for Excel, the office's spreadsheet: UTF-8 with a byte-order mark (without it Excel reads
 * Vietnamese as Windows-1252 mojibake), CRLF line ends, RFC 4180 quoting — and formula injection
 * neutralised: a cell whose text starts with `=`, `+`, `-`, `@`, tab or carriage return would be run
 * as a formula when opened (`=cmd|' /C calc'!A0`), so it is prefixed with a single quote, which makes
 * spreadsheets treat it as text. Stored text here can come from citizens (their questions) and
 * from officials (procedure names), so no text cell is trusted.
 */

import { neutralizeCell } from '../../spreadsheet-safety';

export const BOM = '\uFEFF';

export type Cell = string | number | null;

/** A text cell made safe to open in a spreadsheet. Numbers are left alone (a negative number is data). */
export const neutralise = neutralizeCell;

function cell(value: Cell): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? String(value) : neutralise(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: BOM, header row, data rows. */
export function toCsv(header: readonly string[], data: readonly (readonly Cell[])[]): string {
  return BOM + [header, ...data].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
