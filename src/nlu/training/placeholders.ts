/**
 * What the classifier reads: the message with each procedure mention replaced by one placeholder
 * word, so that "lệ phí khai sinh" and "lệ phí kết hôn" teach the same thing (a fee question),
 * and the classifier cannot learn that "kết hôn" means "fee" just because the fee examples
 * happened to mention it. The same is done for dates and phone numbers when enabled: "mai 9h" and
 * "15/12 lúc 14h" are both "a moment". Training and classification must use the same function.
 */
import type { LocatedEntity } from '../entities';
import type { ProcedureMention } from '../procedure-matcher';

/** Placeholder words: plain ASCII, one token, never a real Vietnamese syllable. */
export const PLACEHOLDERS = {
  procedure: 'thutuc',
  datetime: 'ngaygio',
  phone: 'sodienthoai',
  licence_number: 'sogiayphep',
} as const;

interface Span {
  readonly start: number;
  readonly end: number;
  readonly word: string;
}

/**
 * `text` with the given spans replaced by their placeholder (surrounded by spaces so each stays a
 * word). Overlapping spans: the earlier one wins.
 */
export function withPlaceholders(
  text: string,
  mentions: readonly ProcedureMention[],
  entities: readonly LocatedEntity[],
): string {
  const spans: Span[] = [
    ...mentions.map((m) => ({ start: m.start, end: m.end, word: PLACEHOLDERS.procedure })),
    ...entities.map((e) => ({ start: e.start, end: e.end, word: PLACEHOLDERS[e.type] })),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let cursor = 0;
  for (const span of spans) {
    if (span.start < cursor) continue;
    out += `${text.slice(cursor, span.start)} ${span.word} `;
    cursor = span.end;
  }
  return out + text.slice(cursor);
}
