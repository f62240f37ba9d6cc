/**
 * K-fold cross-validation of the intent classifier on the training data: how often an utterance
 * the model has not seen gets the right intent. Used by the tests to report (and guard) accuracy;
 * runs the same preparation and `none` threshold as `parse`.
 */
import type { ProcedureMatcher } from '../procedure-matcher';
import type { Intent } from '../types';
import { decideIntent, trainingExamples } from '../understand';
import { IntentClassifier, type TrainingExample } from './classifier';
import type { IntentExamples } from './intents-loader';

/** One held-out utterance that came out wrong. */
export interface Misclassified {
  readonly text: string;
  readonly expected: Intent;
  readonly got: Intent;
  readonly score: number;
}

export interface CrossValidation {
  readonly folds: number;
  readonly total: number;
  readonly correct: number;
  /** correct / total, 0..1. */
  readonly accuracy: number;
  /** Accuracy per expected intent. */
  readonly byIntent: Readonly<Record<string, number>>;
  readonly errors: readonly Misclassified[];
}

/**
 * Stratified k-fold: utterance i of every intent goes to fold i mod k, so each fold holds every
 * intent in proportion, and the split is the same on every run.
 */
export async function crossValidate(
  intents: readonly IntentExamples[],
  matcher: ProcedureMatcher,
  folds: number,
  threshold: number,
): Promise<CrossValidation> {
  const prepared = trainingExamples(intents, matcher);
  const foldOf: number[] = [];
  const seen = new Map<Intent, number>();
  for (const example of prepared) {
    const i = seen.get(example.intent) ?? 0;
    seen.set(example.intent, i + 1);
    foldOf.push(i % folds);
  }
  const raw = intents.flatMap(({ utterances }) => utterances);
  const errors: Misclassified[] = [];
  const perIntent = new Map<Intent, { total: number; correct: number }>();
  for (let fold = 0; fold < folds; fold += 1) {
    const train: TrainingExample[] = prepared.filter((_, i) => foldOf[i] !== fold);
    const classifier = await IntentClassifier.train(train);
    for (let i = 0; i < prepared.length; i += 1) {
      const example = prepared[i];
      if (example === undefined || foldOf[i] !== fold) continue;
      const chosen = decideIntent(await classifier.classify(example.text), threshold);
      const tally = perIntent.get(example.intent) ?? { total: 0, correct: 0 };
      tally.total += 1;
      if (chosen.intent === example.intent) tally.correct += 1;
      else errors.push({ text: raw[i] ?? example.text, expected: example.intent, got: chosen.intent, score: chosen.score });
      perIntent.set(example.intent, tally);
    }
  }
  const total = prepared.length;
  const correct = total - errors.length;
  const byIntent = Object.fromEntries([...perIntent].map(([intent, t]) => [intent, t.correct / t.total]));
  return { folds, total, correct, accuracy: correct / total, byIntent, errors };
}
