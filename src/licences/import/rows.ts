/**
 * Checks a spreadsheet's rows and turns the good ones into licences. Every problem is reported with
 * its line, so an official can fix the whole file in one pass; a file with any problem is not
 * written at all (the caller's rule).
 */
import { extractPhones, normalizePhone } from '../../nlu';
import type { LicenceInput } from '../model';
import { normaliseLicenceNumber } from '../number';
import { parseDateCell, type Cell } from './dates';
import { looksLikeHeader, mapHeader, type ColumnKey, type ColumnMap } from './headers';
import type { Params } from '../../i18n';
import { problem, type Problem, type RowProblems } from './problem';
import type { ProcedureResolver } from './procedure-resolver';
import { cellText, type SheetRow } from './sheet';

/** A licence read from a row, with the row's line. */
export interface ParsedRow {
  line: number;
  licence: LicenceInput;
}

export interface ParsedSheet {
  rows: ParsedRow[];
  rejected: RowProblems[];
}

/** Rows before the header that may hold a title ("DANH SÁCH GIẤY PHÉP…") or notes. */
const MAX_TITLE_ROWS = 10;
/** A licence number is short text; anything longer is a misplaced cell. */
const MAX_NUMBER_LENGTH = 60;

const isBlank = (cells: readonly Cell[]): boolean => cells.every((c) => cellText(c) === '');

/**
 * The phone in a cell, 0… form: "0912 345 678", "+84 912…", or a number cell that lost its
 * leading zero (912345678). Undefined when the cell is empty, null when it is not a phone.
 */
function parsePhone(cell: Cell | undefined): string | null | undefined {
  const typed = cellText(cell);
  if (typed === '') return undefined;
  const direct = normalizePhone(typed);
  if (direct) return direct;
  const digits = typed.replace(/\D/g, '');
  if (/^[1-9]\d{8,9}$/.test(digits) && !/^84/.test(digits)) return normalizePhone(`0${digits}`);
  // "0912 345 678 (anh Nam)" or two numbers in one cell: the first phone is the contact.
  return extractPhones(typed)[0]?.value ?? null;
}

export function parseRows(sheet: readonly SheetRow[], resolver: ProcedureResolver): ParsedSheet {
  const content = sheet.filter((r) => !isBlank(r.cells));
  const headerIndex = content.slice(0, MAX_TITLE_ROWS).findIndex((r) => looksLikeHeader(r.cells.map(cellText)));
  const header = content[headerIndex === -1 ? 0 : headerIndex];
  if (!header) return { rows: [], rejected: [{ line: 1, problems: [problem('emptyFile')] }] };
  const mapped = mapHeader(header.cells.map(cellText));
  if (!mapped.ok) return { rows: [], rejected: [{ line: header.line, problems: [mapped.problem] }] };

  const out: ParsedSheet = { rows: [], rejected: [] };
  const firstLineOf = new Map<string, number>();
  for (const row of content.slice(content.indexOf(header) + 1)) {
    const { licence, problems } = parseRow(row, mapped.columns, resolver);
    // A repeated number is reported even when either row has other problems: fix both at once.
    const first = licence.number ? firstLineOf.get(licence.number) : undefined;
    if (first !== undefined) problems.push(problem('duplicateNumber', { number: licence.number, line: first }));
    else if (licence.number) firstLineOf.set(licence.number, row.line);
    if (problems.length > 0) out.rejected.push({ line: row.line, problems });
    else out.rows.push({ line: row.line, licence: licence as LicenceInput });
  }
  if (out.rows.length === 0 && out.rejected.length === 0) out.rejected.push({ line: header.line, problems: [problem('noRows')] });
  return out;
}

/** What a row gave: the licence's fields (complete only when there are no problems) and its problems. */
interface RowResult {
  licence: Partial<LicenceInput> & { number: string };
  problems: Problem[];
}

function parseRow(row: SheetRow, columns: ColumnMap, resolver: ProcedureResolver): RowResult {
  const cell = (key: ColumnKey): Cell => {
    const index = columns[key];
    return index === undefined ? null : (row.cells[index] ?? null);
  };
  const problems: Problem[] = [];
  const fail = (key: string, params?: Params): undefined => {
    problems.push(problem(key, params));
    return undefined;
  };
  const date = (key: 'expiresOn' | 'issuedOn', prefix: string): string | undefined => {
    const parsed = parseDateCell(cell(key));
    if (parsed.ok) return parsed.date;
    problems.push({ ...parsed.problem, key: `${prefix}.${parsed.problem.key}` });
    return undefined;
  };

  const number = normaliseLicenceNumber(cellText(cell('number')));
  if (number === '') fail('missingNumber');
  else if (number.length > MAX_NUMBER_LENGTH) fail('numberTooLong', { max: MAX_NUMBER_LENGTH });
  const typeText = cellText(cell('type'));
  const procedureSlug = typeText === '' ? fail('missingType') : (resolver.resolve(typeText) ?? fail('unknownType', { value: typeText }));
  const holderName = cellText(cell('holder')) || fail('missingHolder');
  const phone = parsePhone(cell('phone'));
  if (phone === null) fail('invalidPhone', { value: cellText(cell('phone')) });
  const issuedOn = cellText(cell('issuedOn')) === '' ? null : date('issuedOn', 'issue');
  const expiresOn = cellText(cell('expiresOn')) === '' ? fail('missingExpiry') : date('expiresOn', 'expiry');
  if (issuedOn && expiresOn && expiresOn < issuedOn) fail('expiryBeforeIssue');

  const optional = (key: ColumnKey): string | undefined => (columns[key] === undefined ? undefined : cellText(cell(key)) || undefined);
  return {
    licence: {
      number,
      procedureSlug,
      holderName,
      phone: phone ?? null,
      address: optional('address'),
      ward: optional('ward'),
      issuedOn: issuedOn ?? null,
      expiresOn,
      source: 'import',
    },
    problems,
  };
}
