/**
 * Public types of the NLU component. `Parse` is the contract of DESIGN.md §4.3 (the `nlu parse`
 * command and `POST /api/nlu/parse` print exactly its first five fields); the optional extras help
 * the conversation ask a clarifying question instead of guessing.
 */

/** Intent names of DESIGN.md §4.4 (a contract: more may be added, these stay). */
export const INTENTS = [
  'greeting',
  'thanks',
  'goodbye',
  'none',
  'procedure.documents',
  'procedure.fee',
  'procedure.duration',
  'procedure.where',
  'procedure.online',
  'procedure.steps',
  'procedure.list',
  'appraisal.book',
  'appraisal.reschedule',
  'appraisal.cancel',
  'appraisal.status',
  'licence.expiry',
  'reminder.subscribe',
  'reminder.unsubscribe',
  'office.hours',
  'feedback.rate',
  'handoff.human',
] as const;
export type Intent = (typeof INTENTS)[number];

export type EntityType = 'datetime' | 'phone' | 'licence_number';

export interface Entity {
  type: EntityType;
  /** datetime: local Vietnam time, `YYYY-MM-DD` or `YYYY-MM-DDTHH:mm`; phone: digits as typed, normalised to 0… form;
   * licence_number: as typed, upper-case, spaces removed ("45/GP-UBND"). */
  value: string;
  /** The part of the message it came from, as the user typed it. */
  text: string;
}

export interface ScoredIntent {
  intent: Intent;
  score: number;
}

export interface ScoredProcedure {
  slug: string;
  /** 0..1, 1 = exact name or alias match. */
  score: number;
}

export interface Parse {
  text: string;
  intent: Intent;
  score: number;
  procedure: string | null;
  entities: Entity[];
  /** Best intents, best first (the chosen one included). */
  intents?: ScoredIntent[];
  /** Procedures the message may be about, best first (the chosen one included). */
  procedureCandidates?: ScoredProcedure[];
  /**
   * The message names a procedure and asks nothing else ("thế còn khai tử?"): the conversation
   * applies the aspect under discussion to it (see follow-up.ts).
   */
  procedureOnly?: boolean;
}

/** What the NLU needs to know of a procedure to recognise it in a message. */
export interface ProcedureRef {
  slug: string;
  name: string;
  aliases: string[];
  /**
   * Other text officials wrote about it (documents, fees, steps): not used to recognise the
   * procedure, but its words are words of our domain (see scope-gate.ts).
   */
  content?: string[];
}
