/**
 * The intent classifier: nlp.js's neural NLU with our Vietnamese normalizer and tokenizer,
 * trained in-process from code (no conf.json, no files unless the caller caches the export).
 */
import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { INTENTS, type Intent, type ScoredIntent } from '../types';
import { NLP_LOCALE, registerVietnamese } from '../vietnamese/nlpjs-plugins';

/** One training example, already prepared (placeholders in). */
export interface TrainingExample {
  readonly text: string;
  readonly intent: Intent;
}

/** nlp.js's name for "no intent"; we call it `none`. */
const NLPJS_NONE = 'None';

function createNlp(): Nlp {
  const container = containerBootstrap();
  registerVietnamese(container);
  return new Nlp({
    container,
    languages: [NLP_LOCALE],
    autoLoad: false,
    autoSave: false,
    log: false,
    // We apply our own threshold and keep the ranking; nlp.js's would hide it behind "None".
    threshold: 0,
    calculateSentiment: false,
    // Passed down to the NLU: no per-epoch console logging; and the "none feature", which turns
    // words never seen in training into evidence for "None" (nlp.js enables it per language, and
    // has no entry for vi).
    nlu: { log: false, useNoneFeature: true },
  });
}

const toIntent = (name: string): Intent | null =>
  name === NLPJS_NONE ? 'none' : (INTENTS as readonly string[]).includes(name) ? (name as Intent) : null;

/** A trained classifier; create with {@link IntentClassifier.train} or {@link IntentClassifier.fromModel}. */
export class IntentClassifier {
  private constructor(private readonly nlp: Nlp) {}

  /** Trains on `examples` (which must already carry the placeholders used at classification). */
  static async train(examples: readonly TrainingExample[]): Promise<IntentClassifier> {
    const nlp = createNlp();
    for (const { text, intent } of examples) nlp.addDocument(NLP_LOCALE, text, intent);
    await nlp.train();
    return new IntentClassifier(nlp);
  }

  /** Restores a classifier from {@link IntentClassifier.exportModel}'s output. */
  static fromModel(model: unknown): IntentClassifier {
    if (typeof model !== 'object' || model === null) throw new Error('NLU model must be an object');
    const nlp = createNlp();
    nlp.import(model);
    return new IntentClassifier(nlp);
  }

  /** The trained model as a JSON-compatible value. */
  exportModel(): unknown {
    return JSON.parse(this.nlp.export(true)) as unknown;
  }

  /**
   * Intents with scores (0..1, summing to at most 1), best first. nlp.js's "None" and a trained
   * `none` intent are one thing for us: their scores are added.
   */
  async classify(text: string): Promise<ScoredIntent[]> {
    // The NLU manager alone: nlp.process would also run entity extraction, slot filling, answer
    // generation and a per-call context store, none of which we use (a third of the time).
    const result = await this.nlp.nluManager.process({ locale: NLP_LOCALE, utterance: text, settings: this.nlp.settings.nlu });
    const scores = new Map<Intent, number>();
    for (const { intent, score } of result.classifications) {
      const ours = toIntent(intent);
      if (ours !== null) scores.set(ours, (scores.get(ours) ?? 0) + score);
    }
    // When no feature of the text was seen in training, nlp.js answers "None" with score 1 and
    // leaves every classification at 0.
    if (result.intent === NLPJS_NONE) scores.set('none', Math.max(scores.get('none') ?? 0, result.score));
    return [...scores.entries()]
      .map(([intent, score]) => ({ intent, score }))
      .sort((a, b) => b.score - a.score);
  }
}
