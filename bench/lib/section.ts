/**
 * The contract between each bench script and `npm run bench` (bench/all.ts): every script, when
 * given `--json-out <file>`, writes one `BenchSection` there besides printing its figures and writing
 * its own Markdown report. The collector runs the scripts one after another as child processes and
 * puts their sections, side by side, in one report.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** One process's peak memory during a bench (the bench process itself, a server it started, …). */
export interface ProcessMemory {
  readonly name: string;
  readonly peakRssMb: number;
}

export interface BenchSection {
  /** Short heading, e.g. "Webhook ingest". */
  readonly title: string;
  /** The section's body in Markdown (tables of figures, targets met or not, notes); no top heading. */
  readonly markdown: string;
  readonly processes: readonly ProcessMemory[];
}

/** The value after `--json-out` in argv, if any (the other arguments stay the script's own). */
export function jsonOutArg(argv: readonly string[]): string | undefined {
  const i = argv.indexOf('--json-out');
  if (i === -1) return undefined;
  const file = argv[i + 1];
  if (!file) throw new Error('--json-out needs a file name');
  return file;
}

/** argv without `--json-out <file>`, for scripts that parse their own arguments strictly. */
export function withoutJsonOut(argv: readonly string[]): string[] {
  const i = argv.indexOf('--json-out');
  return i === -1 ? [...argv] : [...argv.slice(0, i), ...argv.slice(i + 2)];
}

/** Writes the section when `--json-out` was given; a no-op otherwise. */
export async function writeSectionIfAsked(argv: readonly string[], section: BenchSection): Promise<void> {
  const file = jsonOutArg(argv);
  if (!file) return;
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await fs.writeFile(file, `${JSON.stringify(section, null, 2)}\n`);
}

/** This process's peak resident set size so far, in MB (Linux `maxRSS` is in kB). */
export function ownPeakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}
