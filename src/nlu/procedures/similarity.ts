/**
 * How alike two folded syllables are, for typo-tolerant procedure matching. Vietnamese syllables
 * are short and many real words differ by one letter ("hon"/"hoa", "tru"/"tu"), so fuzziness is
 * allowed only where a one-letter slip cannot plausibly be another word we care about: longer
 * syllables, and the concatenation of two syllables typed without the space ("khaisinh").
 */

/** Similarity of an exact match. */
export const EXACT = 1;

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transposition: "thoung" for
 * "thuong" is one slip, not two). Three rolling rows, no allocation per cell: this is the hot loop
 * of procedure matching.
 */
export function osaDistance(a: string, b: string): number {
  const m = b.length;
  let before = new Int32Array(m + 1); // row i-2
  let previous = new Int32Array(m + 1); // row i-1
  let current = new Int32Array(m + 1); // row i
  for (let j = 0; j <= m; j += 1) previous[j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    current[0] = i;
    for (let j = 1; j <= m; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, before[j - 2]! + 1);
      }
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[m]!;
}

const hasDigit = (s: string): boolean => /\d/.test(s);

/**
 * Similarity of a typed syllable and a known one, 0..1.
 * - equal: 1;
 * - 0.8 for one slip that is unlikely to be another word: a letter missing or extra when the longer
 *   has at least 4 letters ("sin"/"sinh", "thuog"/"thuong"); a wrong or swapped letter from
 *   5 letters on ("thoung"/"thuong"); two swapped letters at 4 ("llpt"/"lltp"). A wrong letter in a
 *   4-letter syllable is left out on purpose: "khai"/"khau" (khẩu), "nhap"/"nhan" (nhập/nhận)
 *   and their like are different words far more often than typos.
 * - anything else, and any difference involving digits: 0.
 */
export function syllableSimilarity(typed: string, known: string): number {
  if (typed === known) return EXACT;
  return remembered(`${typed} ${known}`, () => fuzzySyllableSimilarity(typed, known));
}

/**
 * Pairs already compared. Messages reuse a small vocabulary against a fixed set of procedure names,
 * so the same pairs come back on every message; bounded so a stream of odd words cannot grow it.
 */
const seen = new Map<string, number>();
const SEEN_LIMIT = 100_000;

function remembered(key: string, compute: () => number): number {
  const known = seen.get(key);
  if (known !== undefined) return known;
  if (seen.size >= SEEN_LIMIT) seen.clear();
  const value = compute();
  seen.set(key, value);
  return value;
}

function fuzzySyllableSimilarity(typed: string, known: string): number {
  const longest = Math.max(typed.length, known.length);
  // Cheap rejections first: this runs for every (message syllable, phrase syllable) pair.
  if (longest < 4 || Math.abs(typed.length - known.length) > 1) return 0;
  if (hasDigit(typed) || hasDigit(known) || osaDistance(typed, known) !== 1) return 0;
  if (typed.length !== known.length || longest >= 5) return 0.8;
  return isTransposition(typed, known) ? 0.8 : 0;
}

/** True when `b` is `a` with two neighbouring letters swapped (and nothing else changed). */
function isTransposition(a: string, b: string): boolean {
  const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
  const [i, j] = diff;
  return diff.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i];
}

/**
 * Similarity of one typed token and two known syllables written together ("khaisinh",
 * "thuongtru"): equal 1; one slip from 6 letters on 0.8; two slips from 9 letters on 0.6; else 0.
 */
export function mergedSimilarity(typed: string, first: string, second: string): number {
  const known = first + second;
  if (typed === known) return EXACT;
  if (typed.length < 5) return 0;
  return remembered(`${typed} ${first}+${second}`, () => fuzzyMergedSimilarity(typed, known));
}

function fuzzyMergedSimilarity(typed: string, known: string): number {
  if (typed.length < 5 || Math.abs(typed.length - known.length) > 2 || hasDigit(typed)) return 0;
  const longest = Math.max(typed.length, known.length);
  const distance = osaDistance(typed, known);
  if (distance === 1 && longest >= 6) return 0.8;
  if (distance === 2 && longest >= 9) return 0.6;
  return 0;
}
