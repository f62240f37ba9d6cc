/**
 * Webhook ingest under load (issue 8): `npm run bench:ingest [-- --duration S --connections N --rate R]`.
 *
 * Signed Zalo (`X-ZEvent-Signature`) and Messenger (`X-Hub-Signature-256`) text webhooks, every one a
 * new event (fresh id, current timestamp, valid signature), fired by autocannon at, side by side:
 * (a) a bare Express server answering 200 and parsing nothing — the issue's baseline; (b) a bare
 * node:http server doing the same — the nearer ceiling, as the app answers webhooks ahead of express
 * (src/http/webhooks.ts); (c) the app on PostgreSQL (a scratch database on TEST_DATABASE_URL's
 * server) and (d) the app on PGlite: the real configuration with both channels, the real ingest
 * path (verify the signature, parse, dedupe, store, acknowledge) in a web process whose
 * conversation work runs elsewhere. Each server runs in its own child process
 * (bench/lib/load/server-entry.ts) and reports its peak RSS. A fifth, diagnostic target runs the two
 * webhook receivers alone (same acceptor, no app-wide duties), to tell what the ingest path costs
 * from what the app's request log and security headers add to every request.
 *
 * All servers run at once (idle while another is measured). Each gets a warm-up; then saturation
 * runs (requests/s, p50/p99 latency) in interleaved rounds — every round measures every target once,
 * in a rotated order — so each app run has a bare-server run beside it in time, and a ratio is taken
 * per round: on a shared machine the speed drifts by a third within minutes, and a ceiling measured
 * a few minutes apart made single ratios swing between 42 % and 62 % with the same code. Then two
 * fixed-rate runs per target (p50/p99, errors, non-2xx): autocannon's bursty `overallRate` and evenly
 * spaced arrivals (bench/lib/load/paced-phase.ts). Afterwards every event the app acknowledged with
 * a 2xx must be in `inbound_events`. Targets: app throughput ≥ 50 % of bare Express's (the median
 * of the rounds' ratios); p99 ≤ 50 ms at 500 requests/s on PostgreSQL. Prints the figures, writes
 * bench/results/webhook-ingest-<date>.md and, with `--json-out <file>`, the section for `npm run bench`.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { testDatabaseUrl } from '../src/config';
import { loadHeldout, met, percentile, today } from './lib/common';
import { ownPeakRssMb, withoutJsonOut, type ProcessMemory } from './lib/section';
import { runPhase, webhookBuilder, webhookRequests, type Acknowledged, type PhaseResult } from './lib/load/autocannon-phase';
import { runPacedPhase, type PacedPhaseResult } from './lib/load/paced-phase';
import { appDataDir, logTail, removeAppDataDir, startChildServer, tempDir, type ChildServer } from './lib/load/child-server';
import { createScratchDatabase, type ScratchDatabase } from './lib/load/scratch-database';
import { channelEnv } from './lib/load/webhooks';
import { machineLine, mb, ms, Output, parseOptions, perSec } from './lib/load/report';
import type { ChildStats, VerifyResult } from './lib/load/protocol';

const TARGET_RATIO = 0.5;

function cpuMsOfThisProcess(): number {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1000;
}
const TARGET_P99_MS = 50;

const options = parseOptions(withoutJsonOut(process.argv.slice(2)), {
  /** Seconds of each saturation run and of each fixed-rate run. */
  duration: 10,
  /** Saturation rounds: each measures every target once. */
  rounds: 3,
  warmup: 3,
  connections: 50,
  /** Requests per second of the fixed-rate run. */
  rate: 500,
  /** Distinct people the events come from (per channel). */
  users: 1000,
  logLevel: 'info',
  /** A directory: each server writes a V8 CPU profile there (`--cpu-prof`), to open in Chrome DevTools. */
  cpuProfDir: '',
  /** Comma-separated target kinds to run (bare, bare-http, postgres, pglite, receivers); default all. */
  only: '',
  /** Extra Node flags for every server under test, space-separated (an experiment: say so in the report). */
  nodeFlags: '',
});

/** Node flags for the servers under test. */
const nodeFlags = (): string[] => [
  ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(String(options.cpuProfDir))}`] : []),
  ...String(options.nodeFlags).split(' ').filter(Boolean),
];

interface TargetRun {
  name: string;
  kind: 'bare' | 'bare-http' | 'postgres' | 'pglite' | 'receivers';
  /** One saturation run per round, in round order. */
  rounds: PhaseResult[];
  /** The round with the median throughput (its latency is the one reported). */
  saturation: PhaseResult;
  /** autocannon at the fixed rate: a burst on every connection at the start of each second. */
  fixed: PhaseResult;
  /** The same rate with evenly spaced arrivals (open loop, latency from each request's due time). */
  paced: PacedPhaseResult;
  /** 2xx over all phases (autocannon's count) and the ids we recorded for them. */
  ok2xx: number;
  acknowledged: number;
  verify?: VerifyResult;
  stats: ChildStats;
  /** CPU time per answered request over the saturation runs: the server's and autocannon's. */
  cpuPerRequestMs: { server: number; loadGenerator: number };
}

interface Target {
  name: string;
  kind: TargetRun['kind'];
  start(logFile: string): Promise<{ server: ChildServer; cleanup(): Promise<void> }>;
}

/**
 * A server with a database of its own: a scratch database on the PostgreSQL server, or PGlite in a
 * temporary DATA_DIR. The app never sends anything in this bench; the platform URLs just have to be valid.
 */
function withDatabase(name: string, kind: TargetRun['kind'], mode: 'ingest' | 'receivers', serverUrl: string | undefined): Target {
  return {
    name,
    kind,
    async start(logFile) {
      const scratch: ScratchDatabase | undefined = serverUrl ? await createScratchDatabase(serverUrl, 'ingest') : undefined;
      const dataDir = appDataDir('tlmc-ingest-');
      const cleanup = async () => {
        await scratch?.drop();
        removeAppDataDir(dataDir);
      };
      const env = {
        ...channelEnv('http://127.0.0.1:9'),
        NODE_ENV: 'production',
        LOG_LEVEL: String(options.logLevel),
        DATA_DIR: dataDir,
        DATABASE_URL: scratch?.url ?? '',
      };
      try {
        return { server: await startChildServer({ name, mode, env, logFile, nodeFlags: nodeFlags() }), cleanup };
      } catch (err) {
        await cleanup();
        throw err;
      }
    },
  };
}

/** A server with nothing behind it, answering 200 `{}` to everything. */
function bareServer(name: string, kind: 'bare' | 'bare-http'): Target {
  return {
    name,
    kind,
    async start(logFile) {
      return { server: await startChildServer({ name: this.name, mode: kind, env: {}, logFile, nodeFlags: nodeFlags() }), cleanup: async () => undefined };
    },
  };
}

/**
 * Bare Express (the issue's baseline), bare node:http (what Node alone does here: the app answers
 * webhooks ahead of express), the app on PostgreSQL (when a server is configured) and on PGlite,
 * and — to tell the ingest path's own cost from the app-wide duties' — the webhook receivers alone.
 */
function targets(serverUrl: string | undefined): Target[] {
  return [
    bareServer('bare Express (baseline)', 'bare'),
    bareServer('bare node:http (reference)', 'bare-http'),
    ...(serverUrl ? [withDatabase('app on PostgreSQL', 'postgres', 'ingest', serverUrl)] : []),
    withDatabase('app on PGlite', 'pglite', 'ingest', undefined),
    withDatabase(`webhook receivers alone on ${serverUrl ? 'PostgreSQL' : 'PGlite'} (diagnostic)`, 'receivers', 'receivers', serverUrl),
  ];
}

/** A target's server, started and waiting for its turn. */
interface Running {
  target: Target;
  server: ChildServer;
  url: string;
  cleanup(): Promise<void>;
  acknowledged: Acknowledged;
  requests: ReturnType<typeof webhookRequests>;
  logFile: string;
}

function failure(r: Pick<Running, 'target' | 'logFile'>, err: unknown): Error {
  return new Error(`${r.target.name}: ${err instanceof Error ? err.message : String(err)}\n--- server log ---\n${logTail(r.logFile)}`);
}

async function startTarget(target: Target, texts: readonly string[], logDir: string): Promise<Running> {
  const logFile = path.join(logDir, `${target.kind}.log`);
  Output.progress(`${target.name}: starting`);
  let started: Awaited<ReturnType<Target['start']>>;
  try {
    started = await target.start(logFile);
  } catch (err) {
    throw failure({ target, logFile }, err);
  }
  const url = started.server.baseUrl;
  if (!url) {
    await started.server.stop();
    await started.cleanup();
    throw new Error(`${target.name} has no HTTP address`);
  }
  const acknowledged: Acknowledged = { ids: [] };
  return { target, server: started.server, url, cleanup: started.cleanup, acknowledged, requests: webhookRequests(texts, Number(options.users), acknowledged), logFile };
}

async function stopTarget(r: Running): Promise<void> {
  const code = await r.server.stop();
  if (code !== 0) Output.progress(`${r.target.name}: exited with code ${String(code)} (log: ${r.logFile})`);
  await r.cleanup();
}

/** One saturation run, with the CPU the server and this process spent on it. */
async function saturationRun(r: Running): Promise<{ phase: PhaseResult; serverCpuMs: number; loadGeneratorCpuMs: number }> {
  const before = { server: await r.server.stats(), loadGenerator: cpuMsOfThisProcess() };
  const phase = await runPhase({ url: r.url, connections: Number(options.connections), durationSec: Number(options.duration), requests: r.requests });
  const after = { server: await r.server.stats(), loadGenerator: cpuMsOfThisProcess() };
  return { phase, serverCpuMs: after.server.cpuMs - before.server.cpuMs, loadGeneratorCpuMs: after.loadGenerator - before.loadGenerator };
}

/** The middle value (the lower middle of an even count): the nearest-rank 50th percentile. */
const median = (values: readonly number[]): number => percentile([...values].sort((a, b) => a - b), 50);

/**
 * Every target, measured: warm-ups, the interleaved saturation rounds, the fixed-rate runs, then
 * the check that every acknowledged event is stored.
 */
async function measureAll(running: Running[], texts: readonly string[]): Promise<TargetRun[]> {
  const connections = Number(options.connections);
  const duration = Number(options.duration);
  const warmups = new Map<Running, PhaseResult>();
  for (const r of running) {
    Output.progress(`${r.target.name}: warm-up ${options.warmup} s`);
    warmups.set(r, await runPhase({ url: r.url, connections, durationSec: Number(options.warmup), requests: r.requests }));
  }
  const saturations = new Map<Running, { phase: PhaseResult; serverCpuMs: number; loadGeneratorCpuMs: number }[]>(running.map((r) => [r, []]));
  const rounds = Number(options.rounds);
  for (let round = 0; round < rounds; round += 1) {
    // Rotated, so no target always runs right after the same one or always first.
    const order = running.map((_, i) => running[(i + round) % running.length] as Running);
    for (const r of order) {
      Output.progress(`round ${round + 1}/${rounds}: ${r.target.name}: saturation ${duration} s, ${connections} connections`);
      try {
        saturations.get(r)?.push(await saturationRun(r));
      } catch (err) {
        throw failure(r, err);
      }
    }
  }
  const runs: TargetRun[] = [];
  for (const r of running) {
    try {
      Output.progress(`${r.target.name}: fixed rate ${options.rate}/s for ${duration} s`);
      const fixed = await runPhase({ url: r.url, connections, durationSec: duration, overallRate: Number(options.rate), requests: r.requests });
      Output.progress(`${r.target.name}: evenly spaced ${options.rate}/s for ${duration} s`);
      const paced = await runPacedPhase({
        url: r.url,
        ratePerSec: Number(options.rate),
        durationSec: duration,
        build: webhookBuilder(texts, Number(options.users)),
        onAcknowledged: (id) => r.acknowledged.ids.push(id),
      });
      const sat = saturations.get(r) ?? [];
      const roundPhases = sat.map((x) => x.phase);
      const middle = median(roundPhases.map((p) => p.requestsPerSec));
      const saturation = roundPhases.find((p) => p.requestsPerSec === middle) as PhaseResult;
      const answered = roundPhases.reduce((n, p) => n + p.ok2xx + p.non2xx, 0);
      const cpuPerRequestMs = {
        server: sat.reduce((n, x) => n + x.serverCpuMs, 0) / answered,
        loadGenerator: sat.reduce((n, x) => n + x.loadGeneratorCpuMs, 0) / answered,
      };
      const ok2xx = (warmups.get(r)?.ok2xx ?? 0) + roundPhases.reduce((n, p) => n + p.ok2xx, 0) + fixed.ok2xx + paced.ok2xx;
      // Counted after the last response: every acknowledged event must be there already.
      const verify = r.target.kind === 'bare' || r.target.kind === 'bare-http' ? undefined : await r.server.verify(r.acknowledged.ids);
      const stats = await r.server.stats();
      runs.push({
        name: r.target.name,
        kind: r.target.kind,
        rounds: roundPhases,
        saturation,
        fixed,
        paced,
        ok2xx,
        acknowledged: r.acknowledged.ids.length,
        verify,
        stats,
        cpuPerRequestMs,
      });
    } catch (err) {
      throw failure(r, err);
    }
  }
  return runs;
}

/** Per round, the target's throughput over a bare server's in the same round. */
function roundRatios(run: TargetRun, bare: TargetRun): number[] {
  return run.rounds.map((p, i) => p.requestsPerSec / (bare.rounds[i]?.requestsPerSec ?? Number.NaN));
}

function report(out: Output, runs: TargetRun[], serverUrl: string | undefined, loadGeneratorRssMb: number): ProcessMemory[] {
  const bare = runs.find((r) => r.kind === 'bare');
  const bareHttp = runs.find((r) => r.kind === 'bare-http');
  const ratioOf = (r: TargetRun, to: TargetRun | undefined = bare) => (to ? median(roundRatios(r, to)) : Number.NaN);
  const pct = (x: number) => `${Math.round(x * 100)} %`;
  out.line('## Saturation');
  out.line('');
  out.line(
    `autocannon, ${options.connections} connections, as fast as the server answers, ${options.duration} s per run, in ${options.rounds} interleaved rounds (every target once per round, order rotated). req/s and latency: the round with the median throughput. "vs bare": the median over the rounds of the target's throughput over bare Express's in the same round (the issue's goal); "vs node:http" the same over bare node:http's.`,
  );
  out.line('');
  out.line('| target | req/s | each round | p50 | p99 | vs bare | each round vs bare | vs node:http | server CPU / request | autocannon CPU / request | peak RSS |');
  out.line('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of runs) {
    const s = r.saturation;
    const vsBare = r.kind === 'bare' || !bare ? '—' : pct(ratioOf(r));
    const vsBareRounds = r.kind === 'bare' || !bare ? '—' : roundRatios(r, bare).map(pct).join(', ');
    const vsHttp = r.kind === 'bare-http' || !bareHttp ? '—' : pct(ratioOf(r, bareHttp));
    out.line(
      `| ${r.name} | ${perSec(s.requestsPerSec)} | ${r.rounds.map((p) => perSec(p.requestsPerSec)).join(', ')} | ${ms(s.latencyMs.p50)} | ${ms(s.latencyMs.p99)} | ${vsBare} | ${vsBareRounds} | ${vsHttp} | ${r.cpuPerRequestMs.server.toFixed(2)} ms | ${r.cpuPerRequestMs.loadGenerator.toFixed(2)} ms | ${mb(r.stats.maxRssKb)} |`,
    );
  }
  out.line('');
  out.line(`## Fixed rate: ${options.rate} requests/s`);
  out.line('');
  out.line(
    `Evenly spaced: request i due at i/${options.rate} s, sent on time whatever the server does (connections opened as needed), latency counted from when it was due. Bursty: autocannon \`overallRate\` on ${options.connections} connections, each second starting with every connection firing its share back to back.`,
  );
  out.line('');
  out.line('| target | evenly spaced: achieved | p50 | p90 | p99 | max | errors | non-2xx | start lag | bursty: achieved | p50 | p99 | max | errors | non-2xx |');
  out.line('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of runs) {
    const p = r.paced;
    const f = r.fixed;
    out.line(
      `| ${r.name} | ${perSec(p.requestsPerSec)} | ${ms(p.latencyMs.p50)} | ${ms(p.latencyMs.p90)} | ${ms(p.latencyMs.p99)} | ${ms(p.latencyMs.max)} | ${p.errors} | ${p.non2xx} | ${ms(p.maxStartLagMs)} | ${perSec(f.requestsPerSec)} | ${ms(f.latencyMs.p50)} | ${ms(f.latencyMs.p99)} | ${ms(f.latencyMs.max)} | ${f.errors} | ${f.non2xx} |`,
    );
  }
  const receivers = runs.find((r) => r.kind === 'receivers');
  const app = runs.find((r) => r.kind === 'postgres') ?? runs.find((r) => r.kind === 'pglite');
  if (bare && bareHttp && receivers && app) {
    const cpu = (r: TargetRun) => r.cpuPerRequestMs.server.toFixed(2);
    const over = (a: TargetRun, b: TargetRun) => `+${(a.cpuPerRequestMs.server - b.cpuPerRequestMs.server).toFixed(2)} ms`;
    out.line('');
    out.line(
      `Server CPU per request over the saturation runs: bare Express ${cpu(bare)} ms; bare node:http ${cpu(bareHttp)} ms; webhook receivers alone ${cpu(receivers)} ms (the ingest path over node:http: ${over(receivers, bareHttp)}); ${app.name} ${cpu(app)} ms (the app-wide duties: ${over(app, receivers)}). The app answers webhooks ahead of express (src/http/webhooks.ts), so bare Express is the issue's baseline, not a ceiling; bare node:http is the nearer one.`,
    );
  }
  const codes = runs.flatMap((r) =>
    [...r.rounds, r.fixed, r.paced].flatMap((p) => Object.entries(p.statusCodes).filter(([c]) => !c.startsWith('2')).map(([c, n]) => `${r.name}: ${n} × ${c}`)),
  );
  if (codes.length > 0) out.line(`\nNon-2xx answers: ${codes.join('; ')}.`);
  out.line('');
  out.line('## Nothing acknowledged was lost');
  out.line('');
  out.line('| target | 2xx (all phases) | ids recorded for them | of those stored | rows in inbound_events | stored but not acknowledged |');
  out.line('|---|---:|---:|---:|---:|---:|');
  for (const r of runs.filter((x) => x.verify)) {
    const v = r.verify as VerifyResult;
    out.line(`| ${r.name} | ${r.ok2xx} | ${r.acknowledged} | ${v.matched} | ${v.storedEvents} | ${v.storedEvents - v.matched} |`);
  }
  out.line('');
  out.line(
    '"Stored but not acknowledged" are requests in flight when autocannon ended a phase: it closes the connections without waiting for the answers, so the app stored events whose 200 nobody read. That is the safe direction; an acknowledged event missing from the table would be a loss.',
  );
  out.line('');
  out.line('## Targets');
  out.line('');
  out.line('| target | value | goal | |');
  out.line('|---|---:|---:|---|');
  for (const r of runs.filter((x) => x.kind === 'postgres' || x.kind === 'pglite')) {
    // The issue sets its goals for PostgreSQL; PGlite (one process, PostgreSQL compiled to
    // WebAssembly) is shown against them for comparison only.
    const judged = (within: boolean) => (r.kind === 'postgres' ? met(within) : `(goal set for PostgreSQL; ${within ? 'within it' : 'outside it'})`);
    if (bare) {
      const ratio = ratioOf(r);
      out.line(
        `| ${r.name}: throughput vs bare Express (median of ${r.rounds.length} rounds; each: ${roundRatios(r, bare).map(pct).join(', ')}) | ${pct(ratio)} | ≥ ${TARGET_RATIO * 100} % | ${judged(ratio >= TARGET_RATIO)} |`,
      );
    }
    if (bareHttp) {
      out.line(`| ${r.name}: throughput vs bare node:http, for comparison (each round: ${roundRatios(r, bareHttp).map(pct).join(', ')}) | ${pct(ratioOf(r, bareHttp))} | — | (no goal) |`);
    }
    for (const [label, phase] of [
      ['evenly spaced', r.paced],
      ['bursty (autocannon)', r.fixed],
    ] as const) {
      const p99 = phase.latencyMs.p99;
      const within = p99 <= TARGET_P99_MS && phase.errors === 0 && phase.non2xx === 0;
      out.line(`| ${r.name}: p99 at ${options.rate}/s ${label}, no errors | ${ms(p99)}, ${phase.errors + phase.non2xx} errors | ≤ ${TARGET_P99_MS} ms | ${judged(within)} |`);
    }
    const lost = r.verify ? r.acknowledged - r.verify.matched : Number.NaN;
    out.line(`| ${r.name}: acknowledged but not stored | ${lost} | 0 | ${met(lost === 0 && r.acknowledged === r.ok2xx)} |`);
  }
  if (!serverUrl) out.line('\nTEST_DATABASE_URL is not set: no PostgreSQL run (PGlite only).');
  const processes: ProcessMemory[] = runs.map((r) => ({ name: `server: ${r.name}`, peakRssMb: Math.round(r.stats.maxRssKb / 1024) }));
  processes.push({ name: 'load generator (autocannon, this process)', peakRssMb: loadGeneratorRssMb });
  out.line('');
  out.line(`Peak RSS: ${processes.map((p) => `${p.name} ${p.peakRssMb} MB`).join('; ')}.`);
  return processes;
}

async function main(): Promise<void> {
  const serverUrl = testDatabaseUrl();
  const texts = (await loadHeldout()).map((m) => m.text);
  const logDir = tempDir('tlmc-bench-ingest-');
  const out = new Output();
  out.line(`# Webhook ingest bench — ${today()}`);
  out.line('');
  out.line(
    `Signed Zalo and Messenger text webhooks, alternating, each a new event (fresh id, current timestamp, valid signature) from ${options.users} people per channel, texts from test/nlu/heldout/messages.tsv. autocannon (programmatic, one thread, in this process); each server in a child process of its own.`,
  );
  out.line(
    `All servers run at once, each idle while another is measured. Per target: warm-up ${options.warmup} s; saturation ${options.duration} s with ${options.connections} connections in each of ${options.rounds} interleaved rounds; then ${options.duration} s at ${options.rate} requests/s twice: autocannon \`overallRate\` on the same connections (bursty, see below), and evenly spaced arrivals from a paced open-loop sender (bench/lib/load/paced-phase.ts), whose latency counts from each request's due time. autocannon's latency is per response as measured: its coordinated-omission correction is off, as autocannon 9 uses a 1 ms expected interval (bench/lib/load/autocannon-phase.ts); an achieved rate below the asked one shows a server falling behind.`,
  );
  out.line(
    `The app: NODE_ENV=production, LOG_LEVEL=${options.logLevel} (one request log line each, to a file), both channels configured, PostgreSQL pool of 10 (src/db/client.ts); it runs as a \`--role=web\` process (src/compose.ts with processHere false): it verifies, parses, dedupes, stores and acknowledges, and on PostgreSQL wakes the workers with a NOTIFY; no worker runs, so nothing is answered or sent.`,
  );
  out.line(
    'The app answers webhook POSTs in the HTTP server, ahead of express (src/http/webhooks.ts): express\'s dispatch cost more CPU than the ingest itself. So besides bare Express, the issue\'s baseline, a bare node:http server is measured too, as the nearer ceiling. The diagnostic target "webhook receivers alone" serves only the Zalo and Messenger receivers with the same acceptor and database — no request log, no security headers — so the difference between it and the app is the cost of those app-wide duties, and the difference between it and bare node:http is the ingest path itself.',
  );
  out.line(machineLine());
  out.line(
    'The machine is shared: its 2 CPUs also run other work, and the load generator takes one of them — absolute figures are this machine on this day; the ratios between targets, measured back to back, are the comparable part.',
  );
  out.line('');
  const only = String(options.only).split(',').filter(Boolean);
  const running: Running[] = [];
  let runs: TargetRun[];
  try {
    for (const target of targets(serverUrl).filter((t) => only.length === 0 || only.includes(t.kind))) {
      running.push(await startTarget(target, texts, logDir));
    }
    runs = await measureAll(running, texts);
  } finally {
    for (const r of running) await stopTarget(r);
  }
  const loadGeneratorRssMb = ownPeakRssMb();
  const processes = report(out, runs, serverUrl, loadGeneratorRssMb);
  await out.publish('webhook-ingest', 'Webhook ingest', processes);
  await fs.rm(logDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
