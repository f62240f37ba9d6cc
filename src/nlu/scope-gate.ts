/**
 * The out-of-scope gate. The classifier learns question *shapes*: "… bao nhiêu" is a fee question,
 * "… cần giấy tờ gì" a documents question. That is what lets it answer "lệ phí bao nhiêu ạ" in the
 * middle of a conversation about a procedure, but it also reads "phí ship hàng về Hà Nội bn" or
 * "trả góp iphone cần giấy tờ gì" as questions for us. What tells them apart is the subject: in
 * the first the question names nothing, in the others it names something our office never talks
 * about. So a question about a subject (an aspect of a procedure, our hours, a booking) that names
 * no procedure of the knowledge base but does use words that appear nowhere in our own training
 * questions or procedure names is about something else, and is `none`.
 *
 * The vocabulary is learnt from the same data as the classifier (in-scope intents only; `none`
 * examples are full of foreign words on purpose) plus the knowledge base's names, aliases and
 * content, so a procedure officials add or edit widens it without retraining.
 */
import type { LocatedEntity } from './entities';
import type { ProcedureMention } from './procedure-matcher';
import type { IntentExamples } from './training/intents-loader';
import type { Intent, ProcedureRef } from './types';
import { analyze } from './vietnamese/analyze';

/**
 * Intents that ask about a subject, and so must be about one of ours. Greetings, thanks, ratings,
 * hand-over requests and licence/reminder requests are left alone: their words say what they are,
 * whatever else the message holds; so is "what can I do here" (procedure.list), which is about the
 * office itself.
 */
const SUBJECT_INTENTS: ReadonlySet<Intent> = new Set<Intent>([
  'procedure.documents',
  'procedure.fee',
  'procedure.duration',
  'procedure.where',
  'procedure.online',
  'procedure.steps',
  'office.hours',
  'appraisal.book',
]);

/** How many foreign syllables make a subject question out of scope (chosen by cross-validation). */
const FOREIGN_SYLLABLES_LIMIT = 1;

/**
 * Pronouns, particles and chat fillers (folded): they never name a subject, so they are ours
 * whether or not a training question happens to use them.
 */
const FUNCTION_WORDS = new Set(
  (
    'a ah ak a a ha hen hi nha nhe nhi ne neu nua oi oii uh um vay the thi la ma ma nhung va voi cho ' +
    'toi tui minh em anh chi ban bac co chu cau ong ba con ho chung ta ad admin shop ' +
    'xin hoi cam on vui long giup duoc dc k ko khong hong chua roi da dang se can muon phai ' +
    'gi nao sao nhu ntn bao nhieu may dau ai khi luc o tai trong ngoai tren duoi ve tu den di lai nhe ' +
    'mot hai ba bon sau muoi'
  ).split(' '),
);

const syllablesOf = (text: string): string[] => analyze(text).map((s) => s.text);

/** Knows our vocabulary and says whether a message's subject lies outside it. */
export class ScopeGate {
  private readonly fromIntents: ReadonlySet<string>;
  private fromProcedures: ReadonlySet<string>;

  constructor(intents: readonly IntentExamples[], procedures: readonly ProcedureRef[]) {
    const words = new Set<string>();
    for (const { intent, utterances } of intents) {
      if (intent === 'none') continue;
      for (const u of utterances) for (const s of syllablesOf(u)) words.add(s);
    }
    this.fromIntents = words;
    this.fromProcedures = ScopeGate.procedureWords(procedures);
  }

  /** Replaces the knowledge-base part of the vocabulary (see NLU `setProcedures`). */
  setProcedures(procedures: readonly ProcedureRef[]): void {
    this.fromProcedures = ScopeGate.procedureWords(procedures);
  }

  /**
   * The syllables of `text` we have never used ourselves, outside procedure mentions and entities
   * (dates, phone and licence numbers are ours whatever their digits), words with digits ("3x4",
   * "15/12") and function words left out.
   */
  foreignSyllables(text: string, mentions: readonly ProcedureMention[], entities: readonly LocatedEntity[]): string[] {
    const covered = [...mentions, ...entities];
    return analyze(text)
      .filter((s) => !covered.some((c) => s.start >= c.start && s.end <= c.end))
      .map((s) => s.text)
      .filter((s) => !/\d/.test(s) && !FUNCTION_WORDS.has(s) && !this.fromIntents.has(s) && !this.fromProcedures.has(s));
  }

  /** True when `intent` asks about a subject, no procedure is named, and the words are not ours. */
  isOutOfScope(
    intent: Intent,
    text: string,
    mentions: readonly ProcedureMention[],
    entities: readonly LocatedEntity[],
  ): boolean {
    if (!SUBJECT_INTENTS.has(intent) || mentions.length > 0) return false;
    return this.foreignSyllables(text, mentions, entities).length >= FOREIGN_SYLLABLES_LIMIT;
  }

  private static procedureWords(procedures: readonly ProcedureRef[]): ReadonlySet<string> {
    const words = new Set<string>();
    for (const p of procedures) for (const phrase of [p.name, ...p.aliases, ...(p.content ?? [])]) for (const s of syllablesOf(phrase)) words.add(s);
    return words;
  }
}
