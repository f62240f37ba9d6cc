/**
 * Shared pieces of the bench scripts: paths, the held-out file, the seed knowledge base's
 * procedures, a seeded PRNG, the results file name, small statistics and Markdown helpers.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { INTENTS, type Intent, type ProcedureRef } from '../../src/nlu';
import { knowledgeBaseFileSchema, toProcedureRef } from '../../src/procedures';

export const ROOT = path.resolve(__dirname, '..', '..');
export const INTENTS_DIR = path.join(ROOT, 'intents');
export const HELDOUT_FILE = path.join(ROOT, 'test', 'nlu', 'heldout', 'messages.tsv');
export const SEED_KB_FILE = path.join(ROOT, 'data', 'seed', 'knowledge-base.json');
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');

/** Fixed reference time, so relative dates in messages resolve the same on every run. */
export const NOW = new Date('2026-11-23T10:00:00+07:00');

/** One labelled message: the intent and procedure slug (or null) it is about. */
export interface LabelledMessage {
  readonly text: string;
  readonly intent: Intent;
  readonly procedure: string | null;
}

const isIntent = (name: string): name is Intent => (INTENTS as readonly string[]).includes(name);

/**
 * Parses the held-out TSV (`text<TAB>intent<TAB>procedure`, header line first, empty procedure =
 * null). Throws on a malformed line or an unknown intent, naming the line.
 */
export function parseHeldout(content: string): LabelledMessage[] {
  const lines = content.split(/\r?\n/).filter((l) => l.trim() !== '');
  const [header, ...rows] = lines;
  if (header !== 'text\tintent\tprocedure') throw new Error(`held-out file: unexpected header "${header ?? ''}"`);
  return rows.map((line, i) => {
    const cols = line.split('\t');
    const [text, intent, procedure] = cols;
    if (cols.length !== 3 || text === undefined || intent === undefined || procedure === undefined) {
      throw new Error(`held-out file line ${i + 2}: expected 3 tab-separated columns, got ${cols.length}`);
    }
    if (!isIntent(intent)) throw new Error(`held-out file line ${i + 2}: unknown intent "${intent}"`);
    return { text: text.trim(), intent, procedure: procedure.trim() === '' ? null : procedure.trim() };
  });
}

export async function loadHeldout(file = HELDOUT_FILE): Promise<LabelledMessage[]> {
  return parseHeldout(await fs.readFile(file, 'utf8'));
}

/** The procedures of the seed knowledge base, as the NLU needs them. */
export async function loadSeedProcedures(file = SEED_KB_FILE): Promise<ProcedureRef[]> {
  const json: unknown = JSON.parse(await fs.readFile(file, 'utf8'));
  return knowledgeBaseFileSchema.parse(json).procedures.map(toProcedureRef);
}

/** Deterministic PRNG (mulberry32): same seed, same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/** Today's date in Vietnam time, `YYYY-MM-DD`. */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
}

/** Nearest-rank percentile of ascending-sorted values, p in 0..100. */
export function percentile(sortedAsc: readonly number[], p: number): number {
  if (sortedAsc.length === 0) return Number.NaN;
  const rank = Math.min(sortedAsc.length, Math.max(1, Math.ceil((p / 100) * sortedAsc.length)));
  return sortedAsc[rank - 1] ?? Number.NaN;
}

export const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : 'n/a');

/** Markdown-safe table cell. */
export const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** Fixed-point figure with thousands separators: `fmt(12345.6)` = "12,346". */
export const fmt = (x: number, digits = 0): string =>
  Number.isFinite(x) ? x.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

/** `**met**` / `**not met**`: the marker `npm run bench` (bench/all.ts) reads out of a section's tables. */
export const met = (ok: boolean): string => (ok ? '**met**' : '**not met**');

/** A figure against its target, as a section's table states it. */
export interface TargetRow {
  readonly measure: string;
  readonly value: string;
  readonly target: string;
  readonly ok: boolean;
}

/**
 * The rows of a section's Markdown tables whose last cell is `met`'s marker: `| measure | value |
 * … | target | **met** |`. The section contract carries no structured figures, so this is how the
 * collector finds each bench's targets whichever script wrote them.
 */
export function targetRows(markdown: string): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const line of markdown.split(/\r?\n/)) {
    if (!line.trim().startsWith('|')) continue;
    // Cells split on unescaped pipes (see `cell`), without the empty first and last pieces.
    const cells = line.trim().split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
    const mark = cells[cells.length - 1];
    if (cells.length < 4 || (mark !== '**met**' && mark !== '**not met**')) continue;
    rows.push({ measure: cells[0] ?? '', value: cells[1] ?? '', target: cells[cells.length - 2] ?? '', ok: mark === '**met**' });
  }
  return rows;
}
