/**
 * Classification metrics for the NLU evaluation: per-intent precision/recall/F1, accuracy,
 * procedure-slug accuracy, worst confusion pairs, `none` precision/recall, and their Markdown.
 */
import { INTENTS, type Intent } from '../../src/nlu';
import { cell, met, pct } from './common';

/** One message as labelled and as the NLU understood it. */
export interface Prediction {
  readonly text: string;
  readonly expected: Intent;
  readonly got: Intent;
  readonly score: number;
  /** Expected procedure slug; undefined when the data has no slug labels (training utterances). */
  readonly expectedProcedure?: string | null;
  readonly gotProcedure: string | null;
}

export interface IntentStats {
  readonly intent: Intent;
  readonly support: number;
  readonly predicted: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface Report {
  readonly total: number;
  readonly accuracy: number;
  /** Over messages with a slug label; NaN when none has one. */
  readonly slugAccuracy: number;
  readonly slugTotal: number;
  readonly perIntent: readonly IntentStats[];
  readonly macroF1: number;
  readonly confusions: readonly { expected: Intent; got: Intent; count: number }[];
  readonly none: { precision: number; recall: number };
  /** Messages labelled `none` that got another intent (what issue 5's "none precision" sentence warns about). */
  readonly noneLeaked: number;
  readonly noneSupport: number;
}

const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);

export function computeReport(preds: readonly Prediction[]): Report {
  const perIntent: IntentStats[] = [];
  for (const intent of INTENTS) {
    const support = preds.filter((p) => p.expected === intent).length;
    const predicted = preds.filter((p) => p.got === intent).length;
    const tp = preds.filter((p) => p.expected === intent && p.got === intent).length;
    if (support === 0 && predicted === 0) continue;
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perIntent.push({ intent, support, predicted, precision, recall, f1: Number.isNaN(f1) ? 0 : f1 });
  }
  const pairs = new Map<string, { expected: Intent; got: Intent; count: number }>();
  for (const p of preds) {
    if (p.expected === p.got) continue;
    const key = `${p.expected}→${p.got}`;
    const entry = pairs.get(key) ?? { expected: p.expected, got: p.got, count: 0 };
    entry.count += 1;
    pairs.set(key, entry);
  }
  const confusions = [...pairs.values()].sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected)).slice(0, 10);
  const labelled = preds.filter((p) => p.expectedProcedure !== undefined);
  const slugCorrect = labelled.filter((p) => p.expectedProcedure === p.gotProcedure).length;
  const noneStats = perIntent.find((s) => s.intent === 'none');
  const scored = perIntent.filter((s) => s.support > 0);
  return {
    total: preds.length,
    accuracy: ratio(preds.filter((p) => p.expected === p.got).length, preds.length),
    slugAccuracy: ratio(slugCorrect, labelled.length),
    slugTotal: labelled.length,
    perIntent,
    macroF1: ratio(scored.reduce((n, s) => n + s.f1, 0), scored.length),
    confusions,
    none: { precision: noneStats?.precision ?? Number.NaN, recall: noneStats?.recall ?? Number.NaN },
    noneLeaked: preds.filter((p) => p.expected === 'none' && p.got !== 'none').length,
    noneSupport: noneStats?.support ?? 0,
  };
}

export const TARGETS = { intent: 0.95, slug: 0.95, nonePrecision: 0.9 } as const;

const mark = (value: number, target: number): string => (Number.isNaN(value) ? 'n/a' : met(value >= target));

/** The summary of one report against the targets (the part `npm run bench` collects). */
export function targetsMarkdown(report: Report): string {
  const out: string[] = [];
  out.push('| Metric | Value | Target | |', '|---|---|---|---|');
  out.push(`| Intent accuracy (${report.total} messages) | ${pct(report.accuracy)} | ≥ 95 % | ${mark(report.accuracy, TARGETS.intent)} |`);
  out.push(
    `| Procedure-slug accuracy (${report.slugTotal} messages) | ${pct(report.slugAccuracy)} | ≥ 95 % | ${mark(report.slugAccuracy, TARGETS.slug)} |`,
  );
  out.push(`| \`none\` precision | ${pct(report.none.precision)} | ≥ 90 % | ${mark(report.none.precision, TARGETS.nonePrecision)} |`);
  out.push(`| \`none\` recall | ${pct(report.none.recall)} | — | |`);
  out.push(`| Out-of-scope messages answered as an in-scope intent | ${report.noneLeaked} of ${report.noneSupport} | — | |`);
  out.push(`| Macro F1 | ${pct(report.macroF1)} | — | |`);
  return out.join('\n');
}

/** Markdown of one report: summary with targets, per-intent table, worst confusion pairs. */
export function reportMarkdown(report: Report, opts: { slugNote?: string } = {}): string {
  const out: string[] = [targetsMarkdown(report)];
  if (opts.slugNote !== undefined) out.push('', opts.slugNote);
  out.push('', '| Intent | Support | Predicted | Precision | Recall | F1 |', '|---|---:|---:|---:|---:|---:|');
  for (const s of report.perIntent) {
    out.push(`| ${s.intent} | ${s.support} | ${s.predicted} | ${pct(s.precision)} | ${pct(s.recall)} | ${pct(s.f1)} |`);
  }
  out.push('', 'Worst confusions (expected → got):', '');
  if (report.confusions.length === 0) out.push('_none_');
  else {
    out.push('| Expected | Got | Count |', '|---|---|---:|');
    for (const c of report.confusions) out.push(`| ${c.expected} | ${c.got} | ${c.count} |`);
  }
  return out.join('\n');
}

/** The most confident intent misses (a wrong answer given with a high score is the worst kind). */
export function worstMisses(preds: readonly Prediction[], n: number): Prediction[] {
  return preds.filter((p) => p.expected !== p.got).sort((a, b) => b.score - a.score).slice(0, n);
}

export function missesMarkdown(misses: readonly Prediction[]): string {
  if (misses.length === 0) return '_none_';
  const out = ['| Text | Expected | Got | Score | Procedure (expected → got) |', '|---|---|---|---:|---|'];
  for (const m of misses) {
    const slug = `${m.expectedProcedure ?? '–'} → ${m.gotProcedure ?? '–'}`;
    out.push(`| ${cell(m.text)} | ${m.expected} | ${m.got} | ${m.score.toFixed(2)} | ${slug} |`);
  }
  return out.join('\n');
}
