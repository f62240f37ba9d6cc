/**
 * Finds which knowledge-base procedure a message talks about, from the procedures' names and
 * aliases, with or without diacritics, through chat short forms and small typos. It also says where
 * the mention is, so the classifier can see "lệ phí THUTUC bao nhiêu" instead of the procedure's
 * words, and learns the question type rather than the procedure.
 */
import type { ProcedureRef, ScoredProcedure } from './types';
import { alignPhrase, type Alignment, type PreparedPhrase } from './procedures/align';
import { GENERIC_WEIGHT, markGeneric } from './procedures/generic-words';
import { analyze, type Syllable } from './vietnamese/analyze';
import { foldVietnamese } from './vietnamese/fold';

/** A procedure mention found in a message. */
export interface ProcedureMention extends ScoredProcedure {
  /** Start index of the mention in the original text. */
  readonly start: number;
  /** End index (exclusive) of the mention in the original text. */
  readonly end: number;
  /** The mention as typed. */
  readonly text: string;
}

/** What {@link ProcedureMatcher.match} found. */
export interface ProcedureMatch {
  /** Every procedure the message may be about, best first, one entry per slug. */
  readonly candidates: ScoredProcedure[];
  /** Non-overlapping mentions, in text order; used to blank procedures out for the classifier. */
  readonly mentions: ProcedureMention[];
}

interface PreparedProcedure {
  readonly slug: string;
  readonly phrases: readonly IndexedPhrase[];
}

/**
 * A phrase plus the exact tokens that can start a mention of it. A mention needs a distinctive
 * syllable typed exactly (or two syllables typed together exactly, "khaisinh"), unless the phrase
 * is an acronym; so a phrase none of whose `anchors` is in the message cannot match, and the
 * alignment is skipped. This keeps matching linear in practice: most messages name one procedure.
 */
interface IndexedPhrase extends PreparedPhrase {
  readonly anchors: ReadonlySet<string>;
  readonly acronym: boolean;
}

interface Evaluated {
  readonly slug: string;
  readonly score: number;
  /** Distinctive syllables matched: the first tie-breaker, favouring longer matches. */
  readonly distinctive: number;
  /** All phrase syllables matched: the second tie-breaker. */
  readonly hits: number;
  readonly alignment: Alignment;
}

/** Share of the score that comes from covering the phrase's distinctive syllables. */
const DISTINCTIVE_SHARE = 0.85;
/** Each extra message word inside a mention costs this factor. */
const GAP_FACTOR = 0.9;
/**
 * Below this a partial match is not a mention: two common words that happen to be part of a long
 * name ("bảo vệ", "an toàn") are not a reference to it.
 */
const MIN_SCORE = 0.6;
/** More mentions than this in one message is not a question about procedures any more. */
const MAX_MENTIONS = 5;

/** An acronym alias ("lltp", "bvtv"): one token, no vowel, long enough for a typo to be telling. */
const isAcronym = (phrase: PreparedPhrase): boolean =>
  phrase.syllables.length === 1 && /^[^aeiouy]{4,}$/.test(phrase.syllables[0] ?? '');

function prepare(analyzed: readonly Syllable[]): IndexedPhrase | null {
  if (analyzed.length === 0) return null;
  const syllables = analyzed.map((s) => s.text);
  const generic = markGeneric(analyzed);
  // A name made only of generic words ("thủ tục hành chính") could never be told apart: skip it.
  if (generic.every(Boolean)) return null;
  const weights = generic.map((g) => (g ? GENERIC_WEIGHT : 1));
  const anchors = new Set<string>();
  syllables.forEach((s, j) => {
    const next = syllables[j + 1];
    if (!generic[j]) anchors.add(s);
    if (next !== undefined && !(generic[j] && generic[j + 1])) anchors.add(s + next);
  });
  return { syllables, weights, anchors, acronym: isAcronym({ syllables, weights }) };
}

/**
 * The phrases of a name or alias: as read through the normaliser ("LLTP" -> "ly lich tu phap")
 * and, for a one-word short form, also as typed — so that a typo in the acronym itself ("llpt")
 * can still be caught by the acronym rule.
 */
function phrasesOf(text: string): IndexedPhrase[] {
  const read = analyze(text);
  const typed = foldVietnamese(text);
  const isShortForm = /^[a-z0-9]+$/.test(typed) && read.map((s) => s.text).join(' ') !== typed;
  const asTyped = isShortForm ? prepare([{ text: typed, typed, start: 0, end: text.length }]) : null;
  return [prepare(read), asTyped].filter((p): p is IndexedPhrase => p !== null);
}

/**
 * Scores an alignment, or returns null when it is not a mention: it must cover at least two
 * distinctive syllables ("khai sinh"), or the whole phrase ("attp", "hộ khẩu"); at least one
 * distinctive syllable must be typed exactly (two fuzzy syllables are too easily a coincidence),
 * except in an acronym ("llpt" for "lltp"); and it must reach {@link MIN_SCORE}.
 */
function evaluate(slug: string, phrase: PreparedPhrase, alignment: Alignment): Evaluated | null {
  const bestSim = new Map<number, number>();
  for (const hit of alignment.hits) {
    bestSim.set(hit.phraseIndex, Math.max(bestSim.get(hit.phraseIndex) ?? 0, hit.similarity));
  }
  const isDistinctive = (j: number): boolean => (phrase.weights[j] ?? 0) === 1;
  const distinctiveHits = [...bestSim.entries()].filter(([j]) => isDistinctive(j));
  const wholePhrase = bestSim.size === phrase.syllables.length;
  if (distinctiveHits.length < 2 && !(wholePhrase && distinctiveHits.length >= 1)) return null;
  if (!distinctiveHits.some(([, sim]) => sim === 1) && !isAcronym(phrase)) return null;

  // Coverage of the phrase's distinct words, so "khuyết tật … khuyết tật" counts once.
  const coverage = (wanted: boolean): number => {
    const best = new Map<string, number>();
    phrase.syllables.forEach((s, j) => {
      if (isDistinctive(j) !== wanted) return;
      best.set(s, Math.max(best.get(s) ?? 0, bestSim.get(j) ?? 0));
    });
    if (best.size === 0) return 1;
    return [...best.values()].reduce((a, b) => a + b, 0) / best.size;
  };
  const raw = DISTINCTIVE_SHARE * coverage(true) + (1 - DISTINCTIVE_SHARE) * coverage(false);
  const score = raw * GAP_FACTOR ** alignment.messageGaps;
  if (score < MIN_SCORE) return null;
  return { slug, score, distinctive: distinctiveHits.length, hits: bestSim.size, alignment };
}

/** A phrase's best alignment in the message and its evaluation (null: not a mention). */
interface Aligned {
  readonly alignment: Alignment | null;
  readonly evaluated: Evaluated | null;
}

/** Higher score first; on a tie the longer match ("chứng thực bản sao" over "khai sinh"). */
const better = (a: Evaluated, b: Evaluated): boolean => {
  if (a.score !== b.score) return a.score > b.score;
  if (a.distinctive !== b.distinctive) return a.distinctive > b.distinctive;
  return a.hits > b.hits;
};

/**
 * Recognises procedures in messages. Build it from the knowledge base's `ProcedureRef`s and call
 * {@link ProcedureMatcher.setProcedures} when the knowledge base changes: the next `match` uses the
 * new names, no restart needed.
 */
export class ProcedureMatcher {
  private procedures: readonly PreparedProcedure[] = [];

  constructor(refs: readonly ProcedureRef[]) {
    this.setProcedures(refs);
  }

  /** Replaces the known procedures (names and aliases are prepared once, here). */
  setProcedures(refs: readonly ProcedureRef[]): void {
    this.procedures = refs.map((ref) => ({
      slug: ref.slug,
      phrases: [ref.name, ...ref.aliases].flatMap(phrasesOf),
    }));
  }

  /** Candidates (best first) and the mentions' spans in `text`. */
  match(text: string): ProcedureMatch {
    const syllables = analyze(text);
    const folded = syllables.map((s) => s.text);
    const alignments = new Map<IndexedPhrase, Aligned>();
    const first = this.bestPerProcedure(folded, alignments);
    const candidates = [...first]
      .sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0))
      .map(({ slug, score }) => ({ slug, score: round(score) }));

    // Take the best mention, blank its syllables out, look again: every procedure named in the
    // message gets replaced, and overlapping readings of the same words are not counted twice.
    const mentions: ProcedureMention[] = [];
    let remaining = folded;
    let found = first;
    while (found.length > 0 && mentions.length < MAX_MENTIONS) {
      const top = found.reduce((a, b) => (better(b, a) ? b : a));
      mentions.push(toMention(text, syllables, top));
      const { messageStart, messageEnd } = top.alignment;
      remaining = remaining.map((s, i) => (i >= messageStart && i < messageEnd ? '' : s));
      // Blanking words only lowers scores: a phrase whose best alignment lies outside the blanked
      // words keeps it, so only the others are aligned again (this loop is most of the matching time).
      for (const [phrase, { alignment: a }] of alignments) {
        if (a && a.messageStart < messageEnd && a.messageEnd > messageStart) alignments.delete(phrase);
      }
      found = this.bestPerProcedure(remaining, alignments);
    }
    mentions.sort((a, b) => a.start - b.start);
    return { candidates, mentions };
  }

  /**
   * `text` with every procedure mention replaced by `placeholder` (surrounded by spaces, so it
   * stays a word of its own).
   */
  replaceMentions(text: string, placeholder: string, mentions = this.match(text).mentions): string {
    let out = '';
    let cursor = 0;
    for (const mention of mentions) {
      if (mention.start < cursor) continue;
      out += `${text.slice(cursor, mention.start)} ${placeholder} `;
      cursor = mention.end;
    }
    return out + text.slice(cursor);
  }

  /** The best mention of each procedure; `known` holds (and receives) each phrase's evaluation. */
  private bestPerProcedure(folded: readonly string[], known: Map<IndexedPhrase, Aligned>): Evaluated[] {
    const present = new Set(folded);
    const results: Evaluated[] = [];
    for (const procedure of this.procedures) {
      let best: Evaluated | null = null;
      for (const phrase of procedure.phrases) {
        let aligned = known.get(phrase);
        if (aligned === undefined) {
          const anchored = phrase.acronym || [...phrase.anchors].some((a) => present.has(a));
          const alignment = anchored ? alignPhrase(folded, phrase) : null;
          aligned = { alignment, evaluated: alignment && evaluate(procedure.slug, phrase, alignment) };
          known.set(phrase, aligned);
        }
        const { evaluated } = aligned;
        if (evaluated && (best === null || better(evaluated, best))) best = evaluated;
      }
      if (best) results.push(best);
    }
    return results;
  }
}

function toMention(text: string, syllables: readonly Syllable[], found: Evaluated): ProcedureMention {
  const { messageStart, messageEnd } = found.alignment;
  const start = syllables[messageStart]?.start ?? 0;
  const end = syllables[messageEnd - 1]?.end ?? start;
  return { slug: found.slug, score: round(found.score), start, end, text: text.slice(start, end) };
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
