/**
 * The licence register's public surface (DESIGN.md §4.3b, issue 7): licences with their holders,
 * types and expiry; import from the spreadsheets offices keep; the CSV export.
 */
export type { Licence, LicenceInput, LicenceSearch, LicencePage, LicenceSource } from './model';
export { normaliseLicenceNumber } from './number';
export { LicenceRepository, vietnamToday, shiftIsoDate, DEFAULT_PAGE_SIZE } from './repository';
export {
  importLicences,
  describeProblems,
  formatFromFileName,
  type LicenceImportResult,
  type LicenceImportSummary,
  type ImportOptions,
  type SheetFormat,
} from './import';
export { issueLicenceFromAppraisal } from './issue';
export { licencesToCsv, licencesCsvLines } from './export';
