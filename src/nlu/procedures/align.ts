/**
 * Local alignment (Smith–Waterman style) of a message's syllables against one procedure phrase.
 * It finds the stretch of the message that best matches any stretch of the phrase, allowing typos
 * (see ./similarity), two syllables typed as one, a skipped phrase syllable ("xin phép xây nhà"
 * against "… xây dựng nhà ở …") and an extra word in the message ("đăng ký cho kết hôn").
 */
import { mergedSimilarity, syllableSimilarity } from './similarity';

/** A procedure name or alias prepared for matching. */
export interface PreparedPhrase {
  readonly syllables: readonly string[];
  /** Per syllable: 1 for a distinctive syllable, GENERIC_WEIGHT for a generic one. */
  readonly weights: readonly number[];
}

/** One phrase syllable matched by the message. */
export interface PhraseHit {
  /** Index of the phrase syllable. */
  readonly phraseIndex: number;
  /** 0..1, see syllableSimilarity. */
  readonly similarity: number;
}

export interface Alignment {
  /** First matched message syllable (inclusive). */
  readonly messageStart: number;
  /** Last matched message syllable + 1 (exclusive). */
  readonly messageEnd: number;
  readonly hits: readonly PhraseHit[];
  /** Message words inside the match that the phrase does not have ("đăng ký CHO kết hôn"). */
  readonly messageGaps: number;
}

/**
 * Cost of an extra message word inside a match. Above half a distinctive match, so it is bridged
 * only to reach a distinctive syllable, and two extra words in a row never pay off.
 */
const MESSAGE_GAP = 0.6;
/**
 * Cost of leaving out a phrase syllable, per unit of its weight. People shorten official names
 * ("vệ sinh thực phẩm" for "vệ sinh an toàn thực phẩm", "xin phép xây nhà"), so this is cheaper;
 * the score still drops because the left-out syllables are not covered.
 */
const PHRASE_GAP = 0.4;

/** How a cell was reached (stored as a number in a typed array). */
const STOP = 0;
const DIAG = 1;
const MERGE = 2;
const SKIP_MESSAGE = 3;
const SKIP_PHRASE = 4;

/**
 * Best local alignment of `message` (folded syllables; "" = masked, never matches) with `phrase`,
 * or null when nothing matches at all.
 */
export function alignPhrase(message: readonly string[], phrase: PreparedPhrase): Alignment | null {
  const n = message.length;
  const m = phrase.syllables.length;
  // Flat tables, row-major with m + 1 columns: this runs for every candidate phrase of every message.
  const width = m + 1;
  const score = new Float64Array((n + 1) * width);
  const move = new Uint8Array((n + 1) * width);
  const sims = new Float64Array((n + 1) * width);
  const get = (i: number, j: number): number => score[i * width + j] ?? 0;
  const weight = (j: number): number => phrase.weights[j] ?? 0;
  let best = { value: 0, i: 0, j: 0 };

  for (let i = 1; i <= n; i += 1) {
    const typed = message[i - 1] ?? '';
    for (let j = 1; j <= m; j += 1) {
      // The best of: start afresh (0), match one syllable, match two typed as one, or a gap.
      // Written out without closures: this runs for every cell of every candidate phrase.
      let value = 0;
      let chosen = STOP;
      let sim = 0;
      const single = typed === '' ? 0 : syllableSimilarity(typed, phrase.syllables[j - 1] ?? '');
      if (single > 0) {
        const candidate = get(i - 1, j - 1) + weight(j - 1) * single;
        if (candidate > value) [value, chosen, sim] = [candidate, DIAG, single];
      }
      if (j >= 2 && typed !== '') {
        const merged = mergedSimilarity(typed, phrase.syllables[j - 2] ?? '', phrase.syllables[j - 1] ?? '');
        const candidate = get(i - 1, j - 2) + (weight(j - 2) + weight(j - 1)) * merged;
        if (merged > 0 && candidate > value) [value, chosen, sim] = [candidate, MERGE, merged];
      }
      // A gap may only extend an alignment that already has a match (score > 0).
      const up = get(i - 1, j);
      if (up > 0 && up - MESSAGE_GAP > value) [value, chosen, sim] = [up - MESSAGE_GAP, SKIP_MESSAGE, 0];
      const left = get(i, j - 1);
      const leftCost = PHRASE_GAP * weight(j - 1);
      if (left > 0 && left - leftCost > value) [value, chosen, sim] = [left - leftCost, SKIP_PHRASE, 0];
      score[i * width + j] = value;
      move[i * width + j] = chosen;
      sims[i * width + j] = sim;
      if (value > best.value) best = { value, i, j };
    }
  }
  if (best.value <= 0) return null;
  return traceBack(move, sims, width, best.i, best.j);
}

function traceBack(move: Uint8Array, sims: Float64Array, width: number, endI: number, endJ: number): Alignment {
  const hits: PhraseHit[] = [];
  let messageGaps = 0;
  let i = endI;
  let j = endJ;
  let start = endI - 1;
  for (;;) {
    const how = move[i * width + j] ?? STOP;
    if (how === STOP) break;
    const similarity = sims[i * width + j] ?? 0;
    if (how === DIAG) {
      hits.push({ phraseIndex: j - 1, similarity });
      start = i - 1;
      i -= 1;
      j -= 1;
    } else if (how === MERGE) {
      hits.push({ phraseIndex: j - 1, similarity }, { phraseIndex: j - 2, similarity });
      start = i - 1;
      i -= 1;
      j -= 2;
    } else if (how === SKIP_MESSAGE) {
      messageGaps += 1;
      i -= 1;
    } else {
      j -= 1;
    }
  }
  return { messageStart: start, messageEnd: endI, hits: hits.reverse(), messageGaps };
}
