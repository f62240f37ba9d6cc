/**
 * Every bench in one report (issue 8): `npm run bench [-- --quick] [--only a,b] [--skip a,b]`.
 *
 * Runs the bench scripts one after another, each as a child process (Node with the tsx loader) given
 * `--json-out <tmpfile>` (bench/lib/section.ts), so one bench's memory and event loop never weigh on
 * the next; then writes bench/results/bench-<YYYY-MM-DD>.md: the machine, a summary (each bench's
 * figures against its targets, its processes' peak memory, its time) and every bench's section.
 * Each script still prints its figures and writes its own report as when run alone.
 *
 * A bench that exits non-zero, writes no section, is missing or outlives `--timeout-minutes` is
 * reported as failed with the tail of its stderr; the others still run, and the exit code is 1.
 * A target not met is reported as such but is not a failure of the run: it is a figure.
 *
 * Options:
 *   --quick                  smaller sizes, so the whole collection runs in a few minutes (QUICK below)
 *   --only a,b / --skip a,b  bench names (see BENCHES)
 *   --args 'name=--flag v'   the arguments of one bench (replace --quick's for it); repeatable
 *   --timeout-minutes N      per bench (default 60)
 *   --list                   print the bench names and their quick arguments
 */
import { execFileSync, spawn } from 'node:child_process';
import { promises as fs, existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from 'pg';
import { z } from 'zod';
import { testDatabaseUrl } from '../src/config';
import { RESULTS_DIR, ROOT, targetRows, today, type TargetRow } from './lib/common';
import type { BenchSection } from './lib/section';

interface BenchDef {
  readonly name: string;
  readonly script: string;
  /** Arguments for `--quick`. */
  readonly quick: readonly string[];
}

const BENCHES: readonly BenchDef[] = [
  { name: 'nlu-speed', script: 'bench/nlu-speed.ts', quick: ['--parses', '2000'] },
  // 5-fold cross-validation trains five models: the slow part (about half a minute idle); --quick keeps the held-out set.
  { name: 'nlu-eval', script: 'bench/nlu-eval.ts', quick: ['--no-cv'] },
  { name: 'booking-contention', script: 'bench/booking-contention.ts', quick: ['--clients', '20', '--rounds', '5'] },
  // Delivery needs a whole minute for its target (no rolling 60 s over the limit).
  { name: 'reminders', script: 'bench/reminders.ts', quick: ['--licences', '10000', '--deliver-seconds', '65'] },
  { name: 'webhook-ingest', script: 'bench/webhook-ingest.ts', quick: ['--duration', '5', '--warmup', '2'] },
  { name: 'end-to-end', script: 'bench/end-to-end.ts', quick: ['--messages', '100'] },
];

const sectionSchema = z.object({
  title: z.string().min(1),
  markdown: z.string(),
  processes: z.array(z.object({ name: z.string(), peakRssMb: z.number() })),
});

interface Options {
  quick: boolean;
  benches: BenchDef[];
  args: Map<string, string[]>;
  timeoutMs: number;
}

/** A mistake in the command line: said in one line, without a stack. */
class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options | 'list' {
  const names = (list: string | undefined) => {
    const wanted = (list ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = wanted.filter((n) => !BENCHES.some((b) => b.name === n));
    if (wanted.length === 0 || unknown.length > 0) throw new UsageError(`unknown bench "${unknown.join(',')}" (known: ${BENCHES.map((b) => b.name).join(', ')})`);
    return wanted;
  };
  const opts: Options = { quick: false, benches: [...BENCHES], args: new Map(), timeoutMs: 60 * 60_000 };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--list') return 'list';
    if (a === '--quick') opts.quick = true;
    else if (a === '--only' || a === '--skip') {
      const wanted = names(argv[++i]);
      opts.benches = opts.benches.filter((b) => wanted.includes(b.name) === (a === '--only'));
    }
    else if (a === '--args') {
      const [name, ...rest] = (argv[++i] ?? '').split('=');
      names(name);
      opts.args.set(name ?? '', rest.join('=').split(/\s+/).filter(Boolean));
    } else if (a === '--timeout-minutes') {
      opts.timeoutMs = Number(argv[++i]) * 60_000;
      if (!(opts.timeoutMs > 0)) throw new UsageError('--timeout-minutes must be a positive number');
    } else throw new UsageError(`unknown argument ${a ?? ''} (--quick, --only a,b, --skip a,b, --args 'name=…', --timeout-minutes N, --list)`);
  }
  return opts;
}

interface Run {
  bench: BenchDef;
  args: string[];
  seconds: number;
  section?: BenchSection;
  /** Why it failed; undefined when it succeeded. */
  failure?: string;
  stderrTail: string;
  /** The child's own high-water RSS as the collector saw it in /proc (Linux), for a bench that wrote no section. */
  sampledPeakRssMb?: number;
}

const STDERR_TAIL_CHARS = 4000;

/** The child's VmHWM (peak RSS) in MB from /proc, or undefined where there is no /proc. */
function highWaterMb(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024);
  } catch {
    return undefined;
  }
}

let current: { pid: number } | undefined;

/** Runs one bench to its end (or its timeout); its output goes through to ours as it comes. */
async function runBench(bench: BenchDef, args: string[], jsonFile: string, timeoutMs: number): Promise<Run> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  if (!existsSync(path.join(ROOT, bench.script))) return { bench, args, seconds: 0, failure: `${bench.script} does not exist`, stderrTail: '' };
  // Its own process group, so a timeout also ends the servers a bench started (end-to-end's children).
  const child = spawn(process.execPath, ['--import', 'tsx', bench.script, ...args, '--json-out', jsonFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const pid = child.pid ?? -1;
  current = { pid };
  let stderr = '';
  let sampled: number | undefined;
  child.stdout.pipe(process.stdout, { end: false });
  child.stderr.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL_CHARS);
  });
  const sampler = setInterval(() => (sampled = highWaterMb(pid) ?? sampled), 500);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(pid, 'SIGTERM');
    setTimeout(() => killGroup(pid, 'SIGKILL'), 10_000).unref();
  }, timeoutMs);
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
      resolve({ code: null, signal: null });
    });
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  clearTimeout(timer);
  clearInterval(sampler);
  current = undefined;
  const run: Run = { bench, args, seconds: seconds(), stderrTail: stderr, sampledPeakRssMb: sampled };
  if (timedOut) return { ...run, failure: `timed out after ${Math.round(timeoutMs / 60_000)} min` };
  if (exit.code !== 0) return { ...run, failure: exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code ?? '?'}` };
  try {
    return { ...run, section: sectionSchema.parse(JSON.parse(await fs.readFile(jsonFile, 'utf8'))) };
  } catch (err) {
    return { ...run, failure: `no valid section in --json-out: ${err instanceof Error ? err.message : String(err)}` };
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** PostgreSQL as the children will see it: TEST_DATABASE_URL's host and server version, never its credentials. */
async function postgresLine(): Promise<string> {
  const url = testDatabaseUrl();
  if (!url) return 'not used: TEST_DATABASE_URL is unset, the benches ran on PGlite only';
  const where = `${new URL(url).hostname}:${new URL(url).port || '5432'}`;
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return `PostgreSQL ${rows[0]?.server_version ?? '?'} at ${where} (TEST_DATABASE_URL; each bench uses a scratch database)`;
  } catch (err) {
    return `TEST_DATABASE_URL set (${where}) but unreachable: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown (not a git checkout)';
  }
}

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');

async function header(opts: Options): Promise<string[]> {
  const cpus = os.cpus();
  const stamp = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' }).format(new Date());
  return [
    '| | |',
    '|---|---|',
    `| Date | ${stamp} (Asia/Ho_Chi_Minh) |`,
    `| Commit | ${commit()} |`,
    `| Node | ${process.version} |`,
    `| CPU | ${cpus[0]?.model.trim() ?? 'unknown'} × ${cpus.length} |`,
    `| RAM | ${(os.totalmem() / 2 ** 30).toFixed(1)} GB |`,
    `| PostgreSQL | ${await postgresLine()} |`,
    `| Mode | ${opts.quick ? '`--quick`: smaller sizes (each section names its arguments)' : 'full sizes'} |`,
    `| Load average at start (1 / 5 / 15 min) | ${load()} |`,
  ];
}

const memory = (run: Run): string =>
  run.section
    ? run.section.processes.map((p) => `${p.name}: ${p.peakRssMb} MB`).join('<br>') || '—'
    : run.sampledPeakRssMb !== undefined
      ? `${run.sampledPeakRssMb} MB (sampled by the collector)`
      : '—';

/** Up to three target rows in full, not-met ones first; beyond that, a count of the met ones. */
function targetsCell(rows: readonly TargetRow[]): string {
  if (rows.length === 0) return 'no target';
  const ordered = [...rows.filter((r) => !r.ok), ...rows.filter((r) => r.ok)];
  const shown = rows.length <= 3 ? ordered : ordered.filter((r) => !r.ok);
  const lines = shown.map((r) => `${r.measure}: ${r.value} (target ${r.target}) ${r.ok ? 'met' : '**not met**'}`);
  const metCount = rows.filter((r) => r.ok).length;
  if (shown.length < rows.length) lines.push(`${metCount} of ${rows.length} targets met`);
  return lines.join('<br>');
}

function summary(runs: readonly Run[]): string[] {
  const out = ['| Bench | Result | Figures against targets | Peak memory | Time |', '|---|---|---|---|---:|'];
  for (const run of runs) {
    const rows = run.section ? targetRows(run.section.markdown) : [];
    const missed = rows.filter((r) => !r.ok).length;
    const result = run.failure ? `**failed**: ${run.failure}` : missed > 0 ? `ran; ${missed} target${missed > 1 ? 's' : ''} **not met**` : 'ran; targets met';
    const figures = run.section ? targetsCell(rows) : '—';
    out.push(`| ${run.bench.name} | ${result} | ${figures} | ${memory(run)} | ${run.seconds.toFixed(0)} s |`);
  }
  return out;
}

/** The section's own headings pushed below the collected report's `##` (its top level becomes `###`). */
function demoted(markdown: string): string {
  const levels = [...markdown.matchAll(/^(#{1,6}) /gm)].map((m) => m[1]?.length ?? 6);
  const shift = levels.length === 0 ? 0 : Math.max(0, 3 - Math.min(...levels));
  return markdown.replace(/^(#{1,6}) /gm, (_m, hashes: string) => `${'#'.repeat(Math.min(6, hashes.length + shift))} `);
}

function details(run: Run): string[] {
  const command = `\`${run.bench.script}${run.args.length > 0 ? ` ${run.args.join(' ')}` : ''}\``;
  if (!run.section || run.failure) {
    const tail = run.stderrTail.trim().split('\n').slice(-30).join('\n');
    return [`## ${run.bench.name} — failed`, '', `${command}: ${run.failure ?? 'failed'}.`, '', '```text', tail || '(no stderr)', '```'];
  }
  return [`## ${run.section.title}`, '', `${command}, ${run.seconds.toFixed(0)} s.`, '', demoted(run.section.markdown.trim())];
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts === 'list') {
    for (const b of BENCHES) process.stdout.write(`${b.name}\t${b.script}\t--quick: ${b.quick.join(' ')}\n`);
    return;
  }
  const head = await header(opts);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'tlmc-bench-'));
  const runs: Run[] = [];
  // Ctrl-C ends the bench in progress (and the servers it started) too, not only the collector.
  const stop = (signal: NodeJS.Signals) => {
    if (current) killGroup(current.pid, signal);
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  try {
    for (const bench of opts.benches) {
      const args = opts.args.get(bench.name) ?? (opts.quick ? [...bench.quick] : []);
      process.stderr.write(`\n[bench] ${bench.name}: ${bench.script} ${args.join(' ')}\n`);
      const run = await runBench(bench, args, path.join(work, `${bench.name}.json`), opts.timeoutMs);
      process.stderr.write(`[bench] ${bench.name}: ${run.failure ? `FAILED (${run.failure})` : 'done'} in ${run.seconds.toFixed(0)} s\n`);
      runs.push(run);
    }
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
  const lines = [
    `# Benchmarks — ${today()}`,
    '',
    'Generated by `npm run bench` (bench/all.ts): each bench ran alone, one after another, as a child process.',
    '',
    ...head,
    `| Load average at end | ${load()} |`,
    '',
    '## Summary',
    '',
    ...summary(runs),
    '',
    'Peak memory is each process\'s peak resident set size (`maxRSS`), as each bench reports it: PGlite runs inside the process that opened it; a PostgreSQL server\'s memory is not counted.',
  ];
  for (const run of runs) lines.push('', ...details(run));
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `bench-${today()}.md`);
  await fs.writeFile(file, `${lines.join('\n')}\n`);
  process.stdout.write(`\n${summary(runs).join('\n')}\n\nwritten to ${path.relative(ROOT, file)}\n`);
  if (runs.some((r) => r.failure)) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof UsageError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
