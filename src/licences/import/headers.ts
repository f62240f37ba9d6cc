/**
 * Finds the register's columns in an office's own spreadsheet. Headers are compared folded
 * (no diacritics, no case, no punctuation or spaces, a trailing "(dd/mm/yyyy)" hint dropped), in any
 * order, against the names of DESIGN.md §4.3b and the variants offices actually use ("Số GP",
 * "Số GCN", "Ngày hết hiệu lực", "SĐT"). Unknown columns are ignored.
 */
import { foldVietnamese } from '../../nlu';
import { problem, type Problem } from './problem';

export const COLUMN_KEYS = ['number', 'type', 'holder', 'phone', 'issuedOn', 'expiresOn', 'address', 'ward'] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

/** Columns a file must have; the others may be absent (their cells are then unknown). */
export const REQUIRED_COLUMNS: readonly ColumnKey[] = ['number', 'type', 'holder', 'expiresOn'];

/** Folded, compacted header names per column: the contract's name first, then variants. */
const SYNONYMS: Record<ColumnKey, readonly string[]> = {
  number: ['sogiayphep', 'sogp', 'sogcn', 'sogiaychungnhan', 'sohieugiayphep', 'giayphepso', 'magiayphep', 'sochungnhan', 'number', 'licencenumber', 'licensenumber'],
  type: ['loai', 'loaigiayphep', 'loaigp', 'loaigcn', 'loaichungnhan', 'thutuc', 'type', 'licencetype', 'licensetype', 'procedure'],
  holder: ['tencoso', 'coso', 'tenchucoso', 'chucoso', 'tendoanhnghiep', 'tenhokinhdoanh', 'chugiayphep', 'tennguoiduoccap', 'nguoiduoccap', 'hoten', 'holder', 'holdername', 'name'],
  phone: ['sodienthoai', 'dienthoai', 'sdt', 'sodt', 'dt', 'dienthoailienhe', 'phone', 'phonenumber'],
  issuedOn: ['ngaycap', 'ngaycapphep', 'ngaycapgiayphep', 'ngaybanhanh', 'issuedon', 'issuedate', 'issued'],
  expiresOn: ['ngayhethan', 'hethan', 'ngayhethieuluc', 'hethieuluc', 'hieulucden', 'cogiatriden', 'thoihan', 'expireson', 'expirydate', 'expiry', 'expires'],
  address: ['diachi', 'diachicoso', 'address'],
  ward: ['phuongxa', 'xaphuong', 'phuong', 'xa', 'ward'],
};

const LOOKUP = new Map<string, ColumnKey>(
  COLUMN_KEYS.flatMap((key) => SYNONYMS[key].map((name) => [name, key] as [string, ColumnKey])),
);

/** "Ngày hết hạn (dd/mm/yyyy)" -> "ngayhethan". */
export function foldHeader(header: string): string {
  return foldVietnamese(header.replace(/\([^)]*\)/g, ' ')).replace(/[^a-z0-9]/g, '');
}

export function columnOf(header: string): ColumnKey | undefined {
  return LOOKUP.get(foldHeader(header));
}

/** Where each known column is (0-based cell index). */
export type ColumnMap = Partial<Record<ColumnKey, number>>;

export type HeaderResult = { ok: true; columns: ColumnMap } | { ok: false; problem: Problem };

/** Maps a header row; a missing required column or a column given twice is a problem of the file. */
export function mapHeader(cells: readonly string[]): HeaderResult {
  const columns: ColumnMap = {};
  for (const [index, cell] of cells.entries()) {
    const key = columnOf(cell);
    if (key === undefined) continue;
    if (columns[key] !== undefined) return { ok: false, problem: problem('duplicateColumn', { column: cell.trim() }) };
    columns[key] = index;
  }
  const missing = REQUIRED_COLUMNS.filter((key) => columns[key] === undefined);
  if (missing.length > 0) return { ok: false, problem: problem('missingColumns', { columns: missing.map((k) => CONTRACT_NAMES[k]).join(', ') }) };
  return { ok: true, columns };
}

/** The contract's header names (DESIGN.md §4.3b), for messages and the export. */
export const CONTRACT_NAMES: Record<ColumnKey, string> = {
  number: 'Số giấy phép',
  type: 'Loại',
  holder: 'Tên cơ sở',
  phone: 'Số điện thoại',
  issuedOn: 'Ngày cấp',
  expiresOn: 'Ngày hết hạn',
  address: 'Địa chỉ',
  ward: 'Phường/xã',
};

/** True when a row looks like the header: it names the number and expiry columns. */
export function looksLikeHeader(cells: readonly string[]): boolean {
  const keys = new Set(cells.map(columnOf));
  return keys.has('number') && keys.has('expiresOn');
}
