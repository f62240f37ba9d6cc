/**
 * Small pieces both load benches print: argument parsing for `--name value` options, the machine
 * the figures were taken on, number formats, and the output that goes to the console and to the
 * Markdown report at once.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RESULTS_DIR, ROOT, today } from '../common';
import { writeSectionIfAsked, type ProcessMemory } from '../section';

/**
 * Parses `--name value` pairs (numbers or strings) against defaults; `--json-out` must already be
 * removed (bench/lib/section.ts `withoutJsonOut`). Unknown names and malformed numbers throw.
 */
export function parseOptions<T extends Record<string, number | string>>(argv: readonly string[], defaults: T): T {
  const out: Record<string, number | string> = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const value = argv[i + 1];
    const name = flag.replace(/^--/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    if (!flag.startsWith('--') || !(name in defaults)) throw new Error(`unknown option ${flag} (known: ${Object.keys(defaults).map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')})`);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (typeof defaults[name] === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number, got "${value}"`);
      out[name] = n;
    } else out[name] = value;
  }
  return out as T;
}

const loadAverage = (): string => `${os.loadavg().map((l) => l.toFixed(2)).join(' / ')} (1/5/15 min)`;

/** One line describing where the figures come from (CPU count matters: the machine is shared). */
export function machineLine(): string {
  const cpus = os.cpus();
  return `Node ${process.version}, ${cpus.length} CPU(s) (${cpus[0]?.model.trim() ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; load average now ${loadAverage()}.`;
}

export const ms = (x: number): string => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(1) : Math.round(x)} ms` : 'n/a');
export const perSec = (x: number): string => (Number.isFinite(x) ? `${Math.round(x).toLocaleString('en')}/s` : 'n/a');
export const mb = (kb: number): string => `${Math.round(kb / 1024)} MB`;

/** Collects lines that are printed as they come and kept for the Markdown report. */
export class Output {
  readonly lines: string[] = [];

  line(text = ''): void {
    this.lines.push(text);
    process.stdout.write(`${text}\n`);
  }

  /** Progress for the console only (not part of the report). */
  static progress(text: string): void {
    process.stderr.write(`  … ${text}\n`);
  }

  /** The report's body without its first `# ` heading (for `--json-out` sections). */
  bodyWithoutHeading(): string {
    return this.lines.filter((l, i) => !(i === 0 && l.startsWith('# '))).join('\n').trim();
  }

  /**
   * Ends the report with the load average after the runs, writes it to
   * bench/results/<stem>-<date>.md, and writes the `--json-out` section when asked.
   */
  async publish(stem: string, title: string, processes: ProcessMemory[]): Promise<void> {
    this.line('');
    this.line(`Load average after the runs: ${loadAverage()}.`);
    await fs.mkdir(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${stem}-${today()}.md`);
    await fs.writeFile(file, `${this.lines.join('\n')}\n`);
    await writeSectionIfAsked(process.argv, { title, markdown: this.bodyWithoutHeading(), processes });
    process.stdout.write(`\nwritten to ${path.relative(ROOT, file)}\n`);
  }
}
