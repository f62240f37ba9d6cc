/**
 * Diacritic folding for Vietnamese: the one place that decides how "Đăng Ký" and "dang ky" become
 * the same string. Citizens type with, without, or with half of the diacritics, in NFC or NFD
 * (some phone keyboards send decomposed text), and with old ("hoà") or new ("hòa") tone placement;
 * folding removes every mark, so all those spellings meet. Tone placement needs no rule of its own:
 * once the tone mark is gone, where it sat no longer matters.
 */

/** Combining diacritical marks (tone marks, circumflex, breve, horn) after NFD decomposition. */
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/**
 * Letters that NFD does not decompose but that must fold to an ASCII letter. "đ" is a separate
 * letter, not d + mark; U+00D0/U+00F0 (eth) look identical to Đ/đ and come out of some legacy
 * keyboards and copy-pastes from old TCVN3/VNI documents.
 */
const EXTRA_FOLDS: Readonly<Record<string, string>> = { đ: 'd', ð: 'd' };

/** Folds one code point (already lower-cased) to its ASCII-ish form; "" for a lone combining mark. */
function foldCodePoint(cp: string): string {
  const base = cp.normalize('NFD').replace(COMBINING_MARKS, '');
  return EXTRA_FOLDS[base] ?? base;
}

/**
 * Folds Vietnamese text for matching: NFC, lower-case, diacritics removed, "đ" -> "d", runs of
 * whitespace collapsed to one space, trimmed. Punctuation is kept (callers decide about it).
 *
 * @example foldVietnamese("  Đăng KÝ   khai sinh ") === "dang ky khai sinh"
 * @example foldVietnamese("hoà") === foldVietnamese("hòa") // "hoa"
 */
export function foldVietnamese(text: string): string {
  let out = '';
  for (const cp of text.normalize('NFC').toLowerCase()) out += foldCodePoint(cp);
  return out.replace(/\s+/g, ' ').trim();
}

/** True when the text carries any Vietnamese diacritic (tone or vowel mark, or "đ"). */
export function hasDiacritics(text: string): boolean {
  const lower = text.normalize('NFC').toLowerCase();
  return foldVietnamese(lower) !== lower.replace(/\s+/g, ' ').trim();
}

/**
 * A folded copy of a text that remembers where each folded character came from, so a match found
 * in folded text can be reported as the span the user typed. Unlike {@link foldVietnamese} it keeps
 * the length structure: no collapsing, no trimming; every whitespace character becomes one space.
 */
export interface FoldedText {
  /** The folded text (lower-case, no diacritics, whitespace as single spaces, never collapsed). */
  readonly text: string;
  /** `starts[i]`: index in the original string of the code point folded character i came from. */
  readonly starts: readonly number[];
  /** `ends[i]`: index just past that code point and any combining marks that followed it. */
  readonly ends: readonly number[];
}

/**
 * Folds `original` character by character, keeping a map back to it.
 * Works on the original string as given (NFC or NFD): a combining mark in NFD input produces no
 * folded character and widens the previous character's span instead.
 */
export function foldWithMap(original: string): FoldedText {
  let text = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let index = 0;
  for (const cp of original) {
    const folded = /\s/.test(cp) ? ' ' : foldCodePoint(cp.toLowerCase());
    const end = index + cp.length;
    if (folded === '') {
      // A combining mark: it belongs to the character before it.
      if (ends.length > 0) ends[ends.length - 1] = end;
    } else {
      for (const ch of folded) {
        text += ch;
        starts.push(index);
        ends.push(end);
      }
    }
    index = end;
  }
  return { text, starts, ends };
}

/**
 * Maps a half-open span [from, to) of `folded.text` back to the original string.
 * Returns the original indices [start, end); `to` must be > `from`.
 */
export function originalSpan(folded: FoldedText, from: number, to: number): { start: number; end: number } {
  const start = folded.starts[from];
  const end = folded.ends[to - 1];
  if (start === undefined || end === undefined) {
    throw new RangeError(`span [${from}, ${to}) is outside the folded text`);
  }
  return { start, end };
}
