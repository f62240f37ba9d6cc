/**
 * Minimal type declarations for the parts of nlp.js v4 the NLU uses. nlp.js ships no TypeScript
 * types. We import its two building blocks (`@nlpjs/core`, `@nlpjs/nlp`, both installed as parts of
 * `@nlpjs/basic`) rather than `@nlpjs/basic` itself, whose index also loads an English language
 * pack, a console connector and a pino v6 logger that prints a deprecation warning on start.
 */

declare module '@nlpjs/core' {
  /** Dependency-injection container: plugins are looked up by name (`normalizer-vi` …). */
  export interface Container {
    /** Registers an instance (or class) under its `name`. */
    use(item: object, name?: string, isSingleton?: boolean, onlyIfNotExists?: boolean): string;
    register(name: string, item: unknown, isSingleton?: boolean): void;
    get(name: string, settings?: object): unknown;
  }

  /** Builds a container with the core plugins (normalizer, tokenizer, stemmer, mock fs …). */
  export function containerBootstrap(settings?: object): Container;
}

declare module '@nlpjs/nlp' {
  import type { Container } from '@nlpjs/core';

  export interface NlpSettings {
    container?: Container;
    languages?: string[];
    autoLoad?: boolean;
    autoSave?: boolean;
    log?: boolean;
    /** Below this score nlp.js answers intent "None"; 0 turns that off (we threshold ourselves). */
    threshold?: number;
    calculateSentiment?: boolean;
    nlu?: { log?: boolean; useNoneFeature?: boolean };
  }

  export interface NlpClassification {
    intent: string;
    score: number;
  }

  export interface NlpResult {
    locale: string;
    utterance: string;
    intent: string;
    score: number;
    classifications: NlpClassification[];
  }

  export class Nlp {
    constructor(settings?: NlpSettings);
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<NlpResult>;
    /** The intent classifier alone (no NER, slots, answers or context store, which we do not use). */
    nluManager: { process(input: { locale: string; utterance: string; settings?: unknown }): Promise<NlpResult> };
    settings: { nlu?: unknown };
    /** The trained model as JSON (`minified` = no indentation). */
    export(minified?: boolean): string;
    import(data: string | object): void;
  }
}
