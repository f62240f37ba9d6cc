/**
 * Turns a message into folded syllables that remember where they were typed. Both the nlp.js
 * normalizer (for the intent classifier) and the procedure matcher read text through this one
 * function, so a short form or a missing diacritic is handled the same way everywhere.
 */
import { foldVietnamese } from './fold';
import { expandShortForm } from './short-forms';

/** One normalised syllable and the span of the typed word it came from. */
export interface Syllable {
  /** Folded syllable: lower-case ASCII letters and digits, e.g. "dang". */
  readonly text: string;
  /**
   * The syllable before folding, lower-case NFC ("đăng"; for a short form, its expansion's
   * syllable). Folding merges words that differ only by diacritics ("từ" from, "tử" death); this
   * keeps them apart where it matters.
   */
  readonly typed: string;
  /** Start index of the typed word in the original text. */
  readonly start: number;
  /** End index (exclusive) of the typed word in the original text. */
  readonly end: number;
}

/**
 * A word: letters, digits and the combining marks of decomposed (NFD) input. Everything else
 * (punctuation, emoji, symbols) separates words and is dropped.
 */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Final "y" after a consonant is spelled "i" just as correctly ("ký"/"kí", "lý"/"lí", "quy"/"qui",
 * "sỹ"/"sĩ"), and both appear in the knowledge base itself ("đăng kí"). One spelling is chosen.
 */
const I_OR_Y = /^(b|d|h|k|l|m|n|qu|r|s|t|v)y$/;

/** A folded syllable in its one canonical spelling (see {@link I_OR_Y}). */
export function canonicalSyllable(folded: string): string {
  return I_OR_Y.test(folded) ? `${folded.slice(0, -1)}i` : folded;
}

interface TypedWord {
  readonly lower: string;
  readonly start: number;
  readonly end: number;
}

function typedWords(text: string): TypedWord[] {
  const words: TypedWord[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    words.push({ lower: m[0].normalize('NFC').toLowerCase(), start, end: start + m[0].length });
  }
  return words;
}

/**
 * Splits `text` into folded syllables: words are found on the original text, chat short forms are
 * expanded (a short form may give several syllables, all carrying the short form's span), then
 * every syllable is folded (NFC, lower-case, no diacritics, "đ" -> "d") and given its canonical
 * i/y spelling.
 *
 * @example analyze("Đk ks?") -> texts "dang", "ki" (both spanning "Đk", 0..2), "ks" (3..5)
 */
export function analyze(text: string): readonly Syllable[] {
  // One parse reads the same message several times (procedures, entities, classifier, scope):
  // the last result is kept, so it is analysed once.
  if (text === last.text) return last.syllables;
  const syllables = analyzeUncached(text);
  last = { text, syllables };
  return syllables;
}

let last: { text: string; syllables: readonly Syllable[] } = { text: '', syllables: [] };

function analyzeUncached(text: string): Syllable[] {
  const words = typedWords(text);
  const out: Syllable[] = [];
  words.forEach((word, i) => {
    const expansion = expandShortForm(word.lower, {
      previous: words[i - 1]?.lower,
      isLast: i === words.length - 1,
    });
    const typed = (expansion ?? word.lower).normalize('NFC').split(/\s+/).filter((s) => s !== '');
    for (const syllable of typed) {
      const folded = foldVietnamese(syllable);
      if (folded !== '') out.push({ text: canonicalSyllable(folded), typed: syllable, start: word.start, end: word.end });
    }
  });
  return out;
}

/**
 * The normalised form of a message as the classifier sees it: the syllables of {@link analyze}
 * joined by single spaces ("Lệ phí ĐK kết hôn bn?" -> "le phi dang ki ket hon bao nhieu").
 */
export function normalizeVietnamese(text: string): string {
  return analyze(text)
    .map((s) => s.text)
    .join(' ');
}
