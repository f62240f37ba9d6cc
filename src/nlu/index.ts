/**
 * The NLU component (DESIGN.md §4.3): `parse(text, now)` tells the conversation what a citizen's
 * message is about — the intent, the procedure, dates and phone numbers — for Vietnamese typed
 * with or without diacritics, in chat short forms, with typos.
 *
 * @example
 *   const nlu = await createNlu({ intentsDir, cacheDir, procedures });
 *   await nlu.parse('le phi dk ket hon bn', now);
 *   // { intent: 'procedure.fee', procedure: 'ket-hon', score: 0.97, entities: [], … }
 */
import { performance } from 'node:perf_hooks';
import { ProcedureMatcher } from './procedure-matcher';
import { ScopeGate } from './scope-gate';
import { IntentClassifier } from './training/classifier';
import { loadIntentData } from './training/intents-loader';
import { modelCacheKey, readCachedModel, writeCachedModel } from './training/model-cache';
import type { Parse, ProcedureRef } from './types';
import { DEFAULT_INTENT_THRESHOLD, trainingExamples, understand } from './understand';

export * from './types';
export { foldVietnamese } from './vietnamese/fold';
export { normalizeVietnamese } from './vietnamese/analyze';
export { ProcedureMatcher, type ProcedureMatch, type ProcedureMention } from './procedure-matcher';
export { extractDatetimes } from './datetime';
export { parseNow } from './datetime/parse-now';
export { extractPhones, normalizePhone } from './phone';

export interface NluOptions {
  /** Folder of `<intent>.json` training files. */
  intentsDir: string;
  /** Where the trained model is cached (`nlu-model-<hash>.json`); created if missing. */
  cacheDir: string;
  /** The knowledge base's procedures, for recognising them in messages. */
  procedures: ProcedureRef[];
  /** Receives one line when the NLU is ready (training or cache time). */
  logger?: { info(obj: object, msg?: string): void };
  /** Minimum score of the best intent, below which `parse` says `none`; default 0.5. */
  intentThreshold?: number;
}

export interface Nlu {
  /**
   * Understands one message. `now` (default: the current time) anchors relative dates ("mai",
   * "thứ 3 tuần sau"), resolved in Vietnam time.
   */
  parse(text: string, now?: Date): Promise<Parse>;
  /**
   * Replaces the procedures recognised in messages, effective for the next `parse`. The intent
   * model is not retrained (it learnt question types, not procedures); a restart retrains it
   * with the new names if they changed.
   */
  setProcedures(refs: ProcedureRef[]): void;
  /** Milliseconds spent getting the intent model ready: training, or loading the cached model. */
  readonly trainingMs: number;
  /** True when the intent model came from the cache instead of training. */
  readonly fromCache: boolean;
}

/**
 * Builds the NLU: loads the intent files, then loads the cached model for exactly these files,
 * this NLU version and these procedures, or trains one (a second or two) and caches it.
 * Throws when the intent files are missing or invalid.
 */
export async function createNlu(opts: NluOptions): Promise<Nlu> {
  const started = performance.now();
  const matcher = new ProcedureMatcher(opts.procedures);
  const data = await loadIntentData(opts.intentsDir);
  const key = modelCacheKey(data.sources, opts.procedures);

  let classifier: IntentClassifier | null = null;
  const cached = await readCachedModel(opts.cacheDir, key);
  if (cached !== null) {
    try {
      classifier = IntentClassifier.fromModel(cached);
    } catch {
      classifier = null; // an unusable cache file is just a cache miss
    }
  }
  const fromCache = classifier !== null;
  if (classifier === null) {
    classifier = await IntentClassifier.train(trainingExamples(data.intents, matcher));
    await writeCachedModel(opts.cacheDir, key, classifier.exportModel());
  }
  const trainingMs = Math.round(performance.now() - started);
  const utterances = data.intents.reduce((n, i) => n + i.utterances.length, 0);
  opts.logger?.info(
    { trainingMs, fromCache, intents: data.intents.length, utterances, modelKey: key },
    fromCache ? 'NLU model loaded from cache' : 'NLU model trained',
  );

  const threshold = opts.intentThreshold ?? DEFAULT_INTENT_THRESHOLD;
  const ready = classifier;
  const scope = new ScopeGate(data.intents, opts.procedures);
  return {
    parse: (text, now = new Date()) => understand(text, now, matcher, ready, threshold, scope),
    setProcedures: (refs) => {
      matcher.setProcedures(refs);
      scope.setProcedures(refs);
    },
    trainingMs,
    fromCache,
  };
}
