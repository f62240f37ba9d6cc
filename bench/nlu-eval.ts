/**
 * NLU evaluation (issue 5): `npx tsx bench/nlu-eval.ts` (`npm run nlu:eval`).
 *
 * (a) Stratified 5-fold cross-validation of `intents/`: each fold trains a real NLU (`createNlu`)
 *     on a temporary intents folder holding the other folds' utterances, then parses the fold.
 * (b) The held-out file `test/nlu/heldout/messages.tsv`, written separately and never trained on,
 *     parsed by an NLU trained on all of `intents/`.
 * Prints the report and writes it to `bench/results/nlu-eval-<YYYY-MM-DD>.md`.
 *
 * Options: `--folds N` (default 5), `--seed N` (default 20261123), `--no-cv` (held-out only),
 * `--json-out <file>`: also the section for `npm run bench` (bench/lib/section.ts) — the summary and
 * the held-out figures against the targets; the per-intent tables and misses stay in the report.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createNlu, type Intent, type ProcedureRef } from '../src/nlu';
import { loadIntentData } from '../src/nlu/training/intents-loader';
import {
  INTENTS_DIR,
  NOW,
  RESULTS_DIR,
  ROOT,
  cell,
  loadHeldout,
  loadSeedProcedures,
  pct,
  seededRandom,
  shuffled,
  today,
  type LabelledMessage,
} from './lib/common';
import { computeReport, missesMarkdown, reportMarkdown, targetsMarkdown, worstMisses, type Prediction, type Report } from './lib/metrics';
import { ownPeakRssMb, withoutJsonOut, writeSectionIfAsked } from './lib/section';

interface Args {
  folds: number;
  seed: number;
  cv: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { folds: 5, seed: 20261123, cv: true };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--folds') args.folds = Number(argv[++i]);
    else if (a === '--seed') args.seed = Number(argv[++i]);
    else if (a === '--no-cv') args.cv = false;
    else throw new Error(`unknown argument ${a ?? ''}`);
  }
  if (!Number.isInteger(args.folds) || args.folds < 2) throw new Error('--folds must be an integer ≥ 2');
  if (!Number.isFinite(args.seed)) throw new Error('--seed must be a number');
  return args;
}

async function writeIntentsDir(dir: string, byIntent: ReadonlyMap<Intent, readonly string[]>): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  for (const [intent, utterances] of byIntent) {
    if (utterances.length === 0) continue;
    const body = { intent, description: 'k-fold training subset (bench/nlu-eval.ts)', utterances };
    await fs.writeFile(path.join(dir, `${intent}.json`), `${JSON.stringify(body, null, 2)}\n`);
  }
}

/** Stratified k-fold: each intent's utterances shuffled with the seed, then dealt round-robin. */
async function crossValidate(work: string, procedures: ProcedureRef[], args: Args): Promise<Prediction[]> {
  const data = await loadIntentData(INTENTS_DIR);
  const random = seededRandom(args.seed);
  const folds: { intent: Intent; text: string }[][] = Array.from({ length: args.folds }, () => []);
  for (const { intent, utterances } of data.intents) {
    shuffled([...new Set(utterances)], random).forEach((text, i) => folds[i % args.folds]?.push({ intent, text }));
  }
  const preds: Prediction[] = [];
  for (let k = 0; k < args.folds; k += 1) {
    const started = performance.now();
    const train = new Map<Intent, string[]>();
    folds.forEach((fold, j) => {
      if (j === k) return;
      for (const { intent, text } of fold) train.set(intent, [...(train.get(intent) ?? []), text]);
    });
    const dir = path.join(work, `fold-${k}`);
    await writeIntentsDir(path.join(dir, 'intents'), train);
    const nlu = await createNlu({ intentsDir: path.join(dir, 'intents'), cacheDir: path.join(dir, 'cache'), procedures });
    const test = folds[k] ?? [];
    for (const { intent, text } of test) {
      const p = await nlu.parse(text, NOW);
      preds.push({ text, expected: intent, got: p.intent, score: p.score, gotProcedure: p.procedure });
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stderr.write(`fold ${k + 1}/${args.folds}: ${test.length} utterances, ${seconds} s\n`);
  }
  return preds;
}

async function evaluateHeldout(work: string, procedures: ProcedureRef[], messages: readonly LabelledMessage[]): Promise<Prediction[]> {
  const nlu = await createNlu({ intentsDir: INTENTS_DIR, cacheDir: path.join(work, 'full-cache'), procedures });
  const preds: Prediction[] = [];
  for (const m of messages) {
    const p = await nlu.parse(m.text, NOW);
    preds.push({
      text: m.text,
      expected: m.intent,
      got: p.intent,
      score: p.score,
      expectedProcedure: m.procedure,
      gotProcedure: p.procedure,
    });
  }
  return preds;
}

function slugMissesMarkdown(preds: readonly Prediction[], n: number): string {
  const misses = preds.filter((p) => p.expectedProcedure !== undefined && p.expectedProcedure !== p.gotProcedure).slice(0, n);
  if (misses.length === 0) return '_none_';
  const out = ['| Text | Expected slug | Got slug | Intent (expected → got) |', '|---|---|---|---|'];
  for (const m of misses) out.push(`| ${cell(m.text)} | ${m.expectedProcedure ?? '–'} | ${m.gotProcedure ?? '–'} | ${m.expected} → ${m.got} |`);
  return out.join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(withoutJsonOut(argv));
  const started = performance.now();
  const procedures = await loadSeedProcedures();
  const heldout = await loadHeldout();
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'nlu-eval-'));
  try {
    let cv: { preds: Prediction[]; report: Report } | null = null;
    if (args.cv) {
      const preds = await crossValidate(work, procedures, args);
      cv = { preds, report: computeReport(preds) };
    }
    const hoPreds = await evaluateHeldout(work, procedures, heldout);
    const ho = computeReport(hoPreds);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);

    const summary: string[] = [
      `Generated by \`bench/nlu-eval.ts\` in ${seconds} s. Reference time ${NOW.toISOString()}; ` +
        `${procedures.length} procedures from \`data/seed/knowledge-base.json\`; default intent threshold.`,
      '',
      '## Summary',
      '',
      '| Set | Messages | Intent accuracy | Slug accuracy | `none` precision | `none` recall | Macro F1 |',
      '|---|---:|---:|---:|---:|---:|---:|',
      `| Held-out (\`test/nlu/heldout/messages.tsv\`) | ${ho.total} | ${pct(ho.accuracy)} | ${pct(ho.slugAccuracy)} | ${pct(ho.none.precision)} | ${pct(ho.none.recall)} | ${pct(ho.macroF1)} |`,
    ];
    if (cv !== null) {
      summary.push(
        `| ${args.folds}-fold CV of \`intents/\` (seed ${args.seed}) | ${cv.report.total} | ${pct(cv.report.accuracy)} | n/a | ${pct(cv.report.none.precision)} | ${pct(cv.report.none.recall)} | ${pct(cv.report.macroF1)} |`,
      );
    }
    summary.push('', 'Targets (issue 5, on the held-out file): intent accuracy ≥ 95 %, procedure-slug accuracy ≥ 95 %, `none` precision ≥ 90 %.');
    const md: string[] = [`# NLU evaluation — ${today()}`, '', ...summary];
    md.push(
      '',
      '## (b) Held-out messages',
      '',
      reportMarkdown(ho, { slugNote: 'Slug accuracy: the parsed `procedure` equals the labelled slug, or both are null.' }),
      '',
      '### 20 worst intent misses (most confident first)',
      '',
      missesMarkdown(worstMisses(hoPreds, 20)),
      '',
      '### Procedure-slug misses (first 20)',
      '',
      slugMissesMarkdown(hoPreds, 20),
    );
    if (cv !== null) {
      md.push(
        '',
        `## (a) ${args.folds}-fold cross-validation of \`intents/\``,
        '',
        reportMarkdown(cv.report, {
          slugNote: 'Training utterances carry no slug labels, so slug accuracy is measured on the held-out file only.',
        }),
        '',
        '### 20 worst CV misses (most confident first)',
        '',
        missesMarkdown(worstMisses(cv.preds, 20)),
      );
    }
    const text = `${md.join('\n')}\n`;
    await fs.mkdir(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `nlu-eval-${today()}.md`);
    await fs.writeFile(file, text);
    process.stdout.write(text);
    process.stdout.write(`\nWritten to ${path.relative(process.cwd(), file)}\n`);
    await writeSectionIfAsked(argv, {
      title: 'NLU evaluation',
      markdown: [
        ...summary,
        '',
        'Held-out messages against the targets:',
        '',
        targetsMarkdown(ho),
        '',
        `Per-intent figures, confusions and misses: \`${path.relative(ROOT, file)}\`.`,
      ].join('\n'),
      processes: [{ name: 'nlu-eval bench (training per fold, parsing)', peakRssMb: ownPeakRssMb() }],
    });
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
