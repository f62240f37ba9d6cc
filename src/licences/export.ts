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

/** The CSV text of `licences` (any iterable, so a large register streams from the database). */
export async function licencesToCsv(licences: AsyncIterable<Licence> | Iterable<Licence>): Promise<string> {
  const parts = [`\uFEFF${stringify([EXPORT_COLUMNS.map((k) => CONTRACT_NAMES[k])])}`];
  for await (const l of licences) parts.push(stringify([cells(l)]));
  return parts.join('');
}
