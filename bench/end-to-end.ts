/**
 * Messages in → replies out, end to end (issue 8): `npm run bench:e2e [-- --messages N --users M --rates 5,20]`.
 *
 * The fake Zalo platform (test/fakes/zalo, no rate limit) runs in this process; the app runs as real
 * processes of `src/main.ts` pointed at it (ZALO_API_BASE_URL …): on PGlite one process (role all),
 * and, when TEST_DATABASE_URL is set, on a scratch PostgreSQL database one web and one worker
 * process, as the Procfile runs them. For each rate, N signed Zalo `user_send_text` webhooks —
 * realistic Vietnamese questions from test/nlu/heldout/messages.tsv — from M people go in on a fixed
 * schedule (one rate the app keeps up with, for the delays; one above, for its throughput); the NLU
 * and the conversation answer, the outbox delivers to the fake. Measured: replies per second arriving at the
 * fake, and the delay from sending the webhook to the first reply to it arriving at the fake
 * (p50/p95/p99, max), plus each process's peak RSS. OUTBOX_RATE_ZALO_PER_MINUTE is raised so the
 * platform limit (about 4,000/min per OA, default 3,000) is not what is measured.
 *
 * Which reply answers which message is read from the database afterwards (outbox row -> inbound
 * event -> our msg_id; the fake's message_id is the row's platform_message_id). Prints the figures,
 * writes bench/results/end-to-end-<date>.md and, with `--json-out <file>`, the `npm run bench` section.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { testDatabaseUrl } from '../src/config';
import { openPglite } from '../src/db';
import { startFakeZalo, type FakeZalo } from '../test/fakes/zalo';
import { cell, loadHeldout, seededRandom, shuffled, today } from './lib/common';
import { ownPeakRssMb, withoutJsonOut, type ProcessMemory } from './lib/section';
import { appDataDir, freePort, logTail, removeAppDataDir, startChildServer, tempDir, type ChildServer } from './lib/load/child-server';
import { sendPaced, summarize, type LatencySummary } from './lib/load/latency';
import { createScratchDatabase } from './lib/load/scratch-database';
import { BENCH_ZALO, channelEnv, signedZaloText, zaloUserId } from './lib/load/webhooks';
import { machineLine, mb, ms, Output, parseOptions, perSec } from './lib/load/report';
import type { ChildStats } from './lib/load/protocol';

const options = parseOptions(withoutJsonOut(process.argv.slice(2)), {
  /** Messages per rate. */
  messages: 300,
  /** People per rate (new ones for each rate). */
  users: 100,
  /** Webhooks per second, comma-separated for several rounds: one below capacity (delays), one above (throughput). */
  rates: '5,20',
  /** Sends per minute the app's outbox allows itself (OUTBOX_RATE_ZALO_PER_MINUTE). */
  outboxRate: 60_000,
  /** Longest wait for the last replies after the last webhook, seconds. */
  maxWait: 180,
  logLevel: 'info',
});
const WARMUP_MESSAGES = 10;
/** No new reply at the fake for this long (after every webhook was answered) = the app is done. */
const QUIET_MS = 3000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ReplyRow {
  event_id: string;
  /** The platform's message id(s), comma-separated when the reply was split into several messages. */
  message_id: string | null;
}

interface Leftover {
  inbound_pending: number;
  inbound_failed: number;
  outbox_unsent: number;
}

/** Reply rows: outbox `reply:<inbound event id>:<n>` -> the inbound event's platform id. */
const REPLIES_SQL = `
  select e.platform_event_id as event_id, o.platform_message_id as message_id
  from outbox o join inbound_events e on e.id = split_part(o.dedupe_key, ':', 2)::bigint
  where o.dedupe_key like 'reply:%'`;
const LEFTOVER_SQL = `
  select (select count(*)::int from inbound_events where status = 'pending') as inbound_pending,
         (select count(*)::int from inbound_events where status = 'failed') as inbound_failed,
         (select count(*)::int from outbox where status <> 'sent') as outbox_unsent`;

interface Deployment {
  /** The processes, web (or all) first: it receives the webhooks. */
  servers: ChildServer[];
  /** Reads the app's database once every process has stopped. */
  read(): Promise<{ replies: ReplyRow[]; leftover: Leftover }>;
  cleanup(): Promise<void>;
}

interface Target {
  name: string;
  deploy(fake: FakeZalo, logDir: string): Promise<Deployment>;
}

function appEnv(fake: FakeZalo, dataDir: string): Record<string, string> {
  return {
    ...channelEnv(fake.baseUrl),
    NODE_ENV: 'production',
    LOG_LEVEL: String(options.logLevel),
    DATA_DIR: dataDir,
    OUTBOX_RATE_ZALO_PER_MINUTE: String(options.outboxRate),
  };
}

function targets(serverUrl: string | undefined): Target[] {
  const list: Target[] = [];
  if (serverUrl) {
    list.push({
      name: 'PostgreSQL: web + worker processes',
      async deploy(fake, logDir) {
        const scratch = await createScratchDatabase(serverUrl, 'e2e');
        const dataDir = appDataDir('tlmc-e2e-pg-');
        const env = { ...appEnv(fake, dataDir), DATABASE_URL: scratch.url };
        const servers: ChildServer[] = [];
        const cleanup = async () => {
          for (const s of servers) await s.stop();
          await scratch.drop();
          removeAppDataDir(dataDir);
        };
        try {
          // The web process migrates the new database; the worker starts on the migrated one.
          const port = await freePort();
          servers.push(await startChildServer({ name: 'web', mode: 'main', role: 'web', env, port, logFile: path.join(logDir, 'pg-web.log') }));
          servers.push(
            await startChildServer({
              name: 'worker',
              mode: 'main',
              role: 'worker',
              env: { ...env, PORT: '0' },
              readyLogPattern: /inbound processor and outbox started/,
              logFile: path.join(logDir, 'pg-worker.log'),
            }),
          );
        } catch (err) {
          await cleanup();
          throw err;
        }
        return {
          servers,
          read: async () => ({
            replies: await scratch.query<ReplyRow>(REPLIES_SQL),
            leftover: (await scratch.query<Leftover>(LEFTOVER_SQL))[0] as Leftover,
          }),
          cleanup,
        };
      },
    });
  }
  list.push({
    name: 'PGlite: one process (web + worker)',
    async deploy(fake, logDir) {
      const dataDir = appDataDir('tlmc-e2e-pglite-');
      const env = { ...appEnv(fake, dataDir), DATABASE_URL: '' };
      const port = await freePort();
      let server: ChildServer;
      try {
        server = await startChildServer({ name: 'all', mode: 'main', role: 'all', env, port, logFile: path.join(logDir, 'pglite-all.log') });
      } catch (err) {
        removeAppDataDir(dataDir);
        throw err;
      }
      return {
        servers: [server],
        // The embedded database allows one process: read it once the app has stopped.
        async read() {
          const database = await openPglite(path.join(dataDir, 'pglite'));
          try {
            return { replies: await database.query<ReplyRow>(REPLIES_SQL), leftover: (await database.query<Leftover>(LEFTOVER_SQL))[0] as Leftover };
          } finally {
            await database.close();
          }
        },
        async cleanup() {
          await server.stop();
          removeAppDataDir(dataDir);
        },
      };
    },
  });
  return list;
}

interface Sent {
  id: string;
  at: number;
  text: string;
}

/** One rate's messages on one deployment. */
interface Round {
  rate: number;
  sent: Sent[];
  webhookNon2xx: number;
  acks: number[];
  maxLagMs: number;
  /** CPU time of each process during the round (sending, then until the fake went quiet). */
  cpuMs: number[];
}

interface RoundResult {
  rate: number;
  sent: number;
  webhookNon2xx: number;
  webhookAck: LatencySummary;
  maxLagMs: number;
  answered: number;
  /** Texts of the messages no reply arrived for. */
  unanswered: string[];
  replies: number;
  repliesPerSec: number;
  answeredPerSec: number;
  firstReplyDelay: LatencySummary;
  cpuMs: number[];
}

interface RunResult {
  name: string;
  rounds: RoundResult[];
  /** This process's peak RSS before it read the results (PGlite opened here would count). */
  benchRssMb: number;
  leftover: Leftover;
  processes: { name: string; stats: ChildStats }[];
}

/** Waits until the fake has had no new reply for QUIET_MS, or `maxMs` passed. */
async function waitForQuiet(fake: FakeZalo, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  let count = fake.received.length;
  let changedAt = Date.now();
  while (Date.now() < until) {
    await sleep(250);
    if (fake.received.length !== count) {
      count = fake.received.length;
      changedAt = Date.now();
    } else if (Date.now() - changedAt >= QUIET_MS) return;
  }
}

async function postWebhook(baseUrl: string, userId: string, text: string): Promise<{ id: string; status: number; ackMs: number; at: number }> {
  const signed = signedZaloText(userId, text);
  const at = Date.now();
  const started = performance.now();
  const res = await fetch(`${baseUrl}${signed.path}`, { method: 'POST', headers: signed.headers, body: signed.rawBody });
  await res.arrayBuffer();
  return { id: signed.platformEventId, status: res.status, ackMs: performance.now() - started, at };
}

/**
 * N messages at `rate` from M people of this round (new people each round, so no round inherits
 * another's conversations), then waits for the fake to go quiet.
 */
async function sendRound(deployment: Deployment, fake: FakeZalo, baseUrl: string, texts: readonly string[], rate: number, round: number): Promise<Round> {
  const n = Number(options.messages);
  const users = Number(options.users);
  const cpuBefore = await Promise.all(deployment.servers.map((s) => s.stats()));
  const sent: Sent[] = [];
  const acks: number[] = [];
  let non2xx = 0;
  const plan = Array.from({ length: n }, (_, i) => ({
    user: zaloUserId(round * users + (i % users)),
    text: texts[(WARMUP_MESSAGES + round * n + i) % texts.length] ?? 'xin chào',
  }));
  const { maxLagMs } = await sendPaced(plan, rate, async ({ user, text }) => {
    try {
      const r = await postWebhook(baseUrl, user, text);
      sent.push({ id: r.id, at: r.at, text });
      acks.push(r.ackMs);
      if (r.status < 200 || r.status >= 300) non2xx += 1;
    } catch {
      non2xx += 1;
    }
  });
  Output.progress(`all sent at ${rate}/s, waiting for the last replies`);
  await waitForQuiet(fake, Number(options.maxWait) * 1000);
  const cpuAfter = await Promise.all(deployment.servers.map((s) => s.stats()));
  return { rate, sent, webhookNon2xx: non2xx, acks, maxLagMs, cpuMs: cpuAfter.map((c, i) => c.cpuMs - (cpuBefore[i]?.cpuMs ?? 0)) };
}

/** Arrival time at the fake of every reply (CS message) to each inbound event, by its platform id. */
function replyArrivals(fake: FakeZalo, replies: ReplyRow[]): Map<string, number[]> {
  const arrival = new Map(fake.received.map((r) => [r.messageId, r.at.getTime()]));
  const byEvent = new Map<string, number[]>();
  for (const row of replies) {
    // A long reply goes out as several CS messages; the row keeps their ids comma-separated.
    for (const messageId of row.message_id?.split(',') ?? []) {
      const at = arrival.get(messageId);
      if (at !== undefined) byEvent.set(row.event_id, [...(byEvent.get(row.event_id) ?? []), at]);
    }
  }
  return byEvent;
}

function roundResult(round: Round, arrivals: Map<string, number[]>): RoundResult {
  const delays: number[] = [];
  let replies = 0;
  let lastArrival = 0;
  const unanswered: string[] = [];
  for (const s of round.sent) {
    const times = arrivals.get(s.id);
    if (!times) {
      unanswered.push(s.text);
      continue;
    }
    replies += times.length;
    delays.push(Math.min(...times) - s.at);
    lastArrival = Math.max(lastArrival, ...times);
  }
  const windowSec = (lastArrival - Math.min(...round.sent.map((s) => s.at))) / 1000;
  return {
    rate: round.rate,
    sent: round.sent.length,
    webhookNon2xx: round.webhookNon2xx,
    webhookAck: summarize(round.acks),
    maxLagMs: round.maxLagMs,
    answered: delays.length,
    unanswered,
    replies,
    repliesPerSec: replies / windowSec,
    answeredPerSec: delays.length / windowSec,
    firstReplyDelay: summarize(delays),
    cpuMs: round.cpuMs,
  };
}

async function run(target: Target, texts: readonly string[], rates: readonly number[], logDir: string): Promise<RunResult> {
  const fake = await startFakeZalo({
    appId: BENCH_ZALO.appId,
    appSecret: BENCH_ZALO.appSecret,
    initialAccessToken: BENCH_ZALO.accessToken,
    initialRefreshToken: BENCH_ZALO.refreshToken,
  });
  Output.progress(`${target.name}: starting`);
  const deployment = await target.deploy(fake, logDir);
  try {
    const [web] = deployment.servers;
    const baseUrl = web?.baseUrl;
    if (!baseUrl) throw new Error('no web process');

    // Warm-up: first NLU parse, first token use, JIT — not measured.
    Output.progress(`${target.name}: warm-up (${WARMUP_MESSAGES} messages)`);
    for (let i = 0; i < WARMUP_MESSAGES; i += 1) await postWebhook(baseUrl, zaloUserId(900_000 + i), texts[i] ?? 'xin chào');
    await waitForQuiet(fake, 60_000);
    if (fake.received.length < WARMUP_MESSAGES) throw new Error(`only ${fake.received.length} replies to ${WARMUP_MESSAGES} warm-up messages`);

    const rounds: Round[] = [];
    for (const [i, rate] of rates.entries()) {
      Output.progress(`${target.name}: ${options.messages} messages from ${options.users} people at ${rate}/s`);
      rounds.push(await sendRound(deployment, fake, baseUrl, texts, rate, i));
    }
    const stats = await Promise.all(deployment.servers.map((s) => s.stats()));
    for (const s of deployment.servers) await s.stop();
    // Before this process opens an embedded database to read the results.
    const benchRssMb = ownPeakRssMb();
    const { replies, leftover } = await deployment.read();
    const arrivals = replyArrivals(fake, replies);
    return {
      name: target.name,
      rounds: rounds.map((r) => roundResult(r, arrivals)),
      benchRssMb,
      leftover,
      processes: deployment.servers.map((s, i) => ({ name: s.name, stats: stats[i] as ChildStats })),
    };
  } catch (err) {
    const logs = deployment.servers.map((s) => `--- ${s.name} log ---\n${logTail(s.logFile)}`).join('\n');
    throw new Error(`${target.name}: ${err instanceof Error ? err.message : String(err)}\n${logs}`);
  } finally {
    await deployment.cleanup();
    await fake.close();
  }
}

function report(out: Output, results: RunResult[], serverUrl: string | undefined, benchRssMb: number): ProcessMemory[] {
  const rows = results.flatMap((r) => r.rounds.map((round) => ({ run: r, round })));
  out.line('## Replies delivered and delay to the first reply');
  out.line('');
  out.line(
    '| deployment | offered | messages | webhook non-2xx | answered | replies (CS messages) | replies/s at the fake | answered messages/s | first reply p50 | p95 | p99 | max |',
  );
  out.line('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { run: r, round: x } of rows) {
    const d = x.firstReplyDelay;
    out.line(
      `| ${r.name} | ${x.rate}/s | ${x.sent} | ${x.webhookNon2xx} | ${x.answered} | ${x.replies} | ${perSec(x.repliesPerSec)} | ${perSec(x.answeredPerSec)} | ${ms(d.p50)} | ${ms(d.p95)} | ${ms(d.p99)} | ${ms(d.max)} |`,
    );
  }
  for (const { run: r, round: x } of rows.filter((y) => y.round.unanswered.length > 0)) {
    const shown = x.unanswered.slice(0, 10).map((t) => `"${cell(t)}"`).join(', ');
    out.line(`\n${r.name} at ${x.rate}/s: no reply arrived for ${x.unanswered.length} message(s): ${shown}${x.unanswered.length > 10 ? ', …' : ''}.`);
  }
  out.line('');
  out.line('| deployment | offered | webhook answered (ack) p50 | p99 | max | sender lag max | CPU per message |');
  out.line('|---|---:|---:|---:|---:|---:|---|');
  for (const { run: r, round: x } of rows) {
    const cpu = r.processes.map((p, i) => `${p.name} ${ms((x.cpuMs[i] ?? 0) / x.sent)}`).join(', ');
    out.line(`| ${r.name} | ${x.rate}/s | ${ms(x.webhookAck.p50)} | ${ms(x.webhookAck.p99)} | ${ms(x.webhookAck.max)} | ${ms(x.maxLagMs)} | ${cpu} |`);
  }
  out.line('');
  out.line('| process | peak RSS | left at the end: inbound pending / failed, outbox unsent |');
  out.line('|---|---:|---|');
  const processes: ProcessMemory[] = [];
  for (const r of results) {
    for (const p of r.processes) {
      const name = `${r.name.split(':')[0] ?? r.name} ${p.name}`;
      out.line(`| ${name} | ${mb(p.stats.maxRssKb)} | ${r.leftover.inbound_pending} / ${r.leftover.inbound_failed}, ${r.leftover.outbox_unsent} |`);
      processes.push({ name, peakRssMb: Math.round(p.stats.maxRssKb / 1024) });
    }
  }
  processes.push({ name: 'bench process (webhook sender + fake Zalo)', peakRssMb: benchRssMb });
  out.line(`| bench process (webhook sender + fake Zalo) | ${benchRssMb} MB | |`);
  if (!serverUrl) out.line('\nTEST_DATABASE_URL is not set: no PostgreSQL run (PGlite only).');
  return processes;
}

async function main(): Promise<void> {
  const serverUrl = testDatabaseUrl();
  const rates = String(options.rates).split(',').map(Number);
  if (rates.some((r) => !(r > 0))) throw new Error(`--rates must be positive numbers separated by commas, got "${options.rates}"`);
  const texts = shuffled(
    (await loadHeldout()).map((m) => m.text),
    seededRandom(8),
  );
  const logDir = tempDir('tlmc-bench-e2e-');
  const out = new Output();
  out.line(`# End-to-end bench — ${today()}`);
  out.line('');
  out.line(
    `Per deployment, after ${WARMUP_MESSAGES} warm-up messages, one round per rate (${rates.map((r) => `${r}/s`).join(', ')}): ${options.messages} signed Zalo \`user_send_text\` webhooks (texts from test/nlu/heldout/messages.tsv, shuffled) from ${options.users} new people, on a fixed schedule; each round waits for the last reply. The fake Zalo (test/fakes/zalo, no rate limit) runs in the bench process, the app in real \`src/main.ts\` processes pointed at it.`,
  );
  out.line(
    `OUTBOX_RATE_ZALO_PER_MINUTE=${options.outboxRate} (default 3,000) so the platform limit is not what is measured; LOG_LEVEL=${options.logLevel} (logs to files); NODE_ENV=production. Delay = webhook sent → first reply to it accepted by the fake; replies/s = replies to the measured messages / (last reply − first webhook). Done = no new reply for ${QUIET_MS / 1000} s.`,
  );
  out.line(machineLine());
  out.line('The machine is shared: its 2 CPUs also run other work, and this process (sender + fake platform) runs on them too.');
  out.line('');
  const results: RunResult[] = [];
  for (const target of targets(serverUrl)) results.push(await run(target, texts, rates, logDir));
  const processes = report(out, results, serverUrl, Math.max(...results.map((r) => r.benchRssMb)));
  await out.publish('end-to-end', 'End to end', processes);
  await fs.rm(logDir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
