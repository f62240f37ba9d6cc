/**
 * The register as CSV, in the import's own columns and date format, so an export edited in Excel
 * imports back unchanged. Formula-like text is neutralised (src/spreadsheet-safety.ts); a UTF-8 BOM
 * makes Excel read the Vietnamese correctly.
 */
import { stringify } from 'csv-stringify/sync';
import { neutralizeCell } from '../spreadsheet-safety';
import { CONTRACT_NAMES, toDayFirst, type ColumnKey } from './import';
import type { Licence } from './model';

const EXPORT_COLUMNS: readonly ColumnKey[] = ['number', 'type', 'holder', 'phone', 'issuedOn', 'expiresOn', 'address', 'ward'];

function cells(l: Licence): string[] {
  const values: Record<ColumnKey, string> = {
    number: l.number,
    type: l.procedureSlug,
    holder: l.holderName,
    phone: l.phone ?? '',
    issuedOn: l.issuedOn ? toDayFirst(l.issuedOn) : '',
    expiresOn: toDayFirst(l.expiresOn),
    address: l.address ?? '',
    ward: l.ward ?? '',
  };
  return EXPORT_COLUMNS.map((key) => neutralizeCell(values[key]));
}

/** The CSV of `licences` line by line, header first: a large register streams to the response. */
export async function* licencesCsvLines(licences: AsyncIterable<Licence> | Iterable<Licence>): AsyncGenerator<string> {
  yield `\uFEFF${stringify([EXPORT_COLUMNS.map((k) => CONTRACT_NAMES[k])])}`;
  for await (const l of licences) yield stringify([cells(l)]);
}

/** The whole CSV text of `licences`. */
export async function licencesToCsv(licences: AsyncIterable<Licence> | Iterable<Licence>): Promise<string> {
  const parts: string[] = [];
  for await (const line of licencesCsvLines(licences)) parts.push(line);
  return parts.join('');
}
