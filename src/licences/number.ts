/**
 * How a licence number is written in the register: upper-case, no whitespace, NFC. The same rule the
 * NLU applies to a `licence_number` entity (src/nlu/entities.ts), so "45 / gp-ubnd" typed in a chat
 * finds "45/GP-UBND" imported from a spreadsheet.
 */
export function normaliseLicenceNumber(typed: string): string {
  return typed.normalize('NFC').replace(/\s+/g, '').toUpperCase();
}
