/**
 * Spreadsheet formula injection (OWASP "CSV Injection"): Excel and LibreOffice run a cell that starts
 * with `=`, `+`, `-` or `@` (and tab/CR, which some versions skip before such a sign) as a formula,
 * so a stored text like `=HYPERLINK(…)` or `=cmd|' /C calc'!A0` would come alive in an official's
 * spreadsheet. Every CSV we export prefixes such cells with a single quote, which spreadsheets show
 * as text; our own CSV import takes the quote off again, so an export re-imports unchanged.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
/** A cell that `neutralizeCell` prefixed: a quote before a formula sign, or before a text that began with a quote. */
const NEUTRALIZED = /^'[=+\-@\t\r']/;

/**
 * A text cell made safe to open in a spreadsheet. A text that itself begins with a quote gets one
 * more, so that `restoreCell` can tell it from a protected formula ("'=1" stays "'=1" both ways).
 */
export function neutralizeCell(text: string): string {
  return FORMULA_START.test(text) || text.startsWith("'") ? `'${text}` : text;
}

/** The original text of a cell that `neutralizeCell` protected. */
export function restoreCell(text: string): string {
  return NEUTRALIZED.test(text) ? text.slice(1) : text;
}
