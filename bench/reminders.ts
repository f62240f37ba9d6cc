/**
 * Licence reminders at scale (issue 7 "Scale"): `npm run bench:reminders [-- --licences N --deliver-seconds S]`.
 *
 * 1. Planning: a register of N licences (default 100,000) whose expiries spread over the ladder's
 *    reach, so EVERY licence has a reminder due on the first tick (the worst case: a new register, or
 *    a long outage). Measures the planner's time and the process's peak RSS and heap, against a
 *    register a tenth the size: bounded memory means the peaks barely move with N. A second tick
 *    (nothing left to plan) measures the steady-state cost of a scan.
 * 2. Delivery: the outbox worker drains the planned messages through the real Zalo policy and sender
 *    to the fake Zalo platform (test/fakes/zalo) at the configured rate limit
 *    (`OUTBOX_RATE_ZALO_PER_MINUTE`, default 3,000/min) for S seconds (default 90): a subset of the
 *    messages — all of them would take N / rate minutes. Reports the achieved rate, the busiest
 *    60-second window and the sends per 10 seconds against the limit.
 *
 * Runs on PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set (in a scratch database).
 * Prints the figures and writes bench/results/reminders-<YYYY-MM-DD>.md; with `--json-out <file>`
 * also the section for `npm run bench` (bench/lib/section.ts).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config';
import type { Database } from '../src/db';
import { loadTranslator } from '../src/i18n';
import { createLogger } from '../src/logger';
import { OutboxWorker } from '../src/outbox';
import { createZaloPolicy, createZaloSender } from '../src/channels/zalo';
import { loadLadders, planDueReminders, type PlanResult } from '../src/licences/reminders';
import { startFakeZalo } from '../test/fakes/zalo';
import { RESULTS_DIR, ROOT, met, today as todayStamp } from './lib/common';
import { benchDatabases } from './lib/databases';
import { ownPeakRssMb, withoutJsonOut, writeSectionIfAsked } from './lib/section';

const TICK = new Date('2027-03-01T08:00:00+07:00');
const TODAY = '2027-03-01';
const LADDER = [60, 30, 7, 1, -1];
const logger = createLogger('silent');
const i18n = loadTranslator(path.join(ROOT, 'locales'));
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const OVER_LIMIT_NOTE =
  "- **Over the limit in a 60 s window:** the outbox's pacing (src/outbox/rate-limiter.ts) should keep every rolling minute at or under the limit; this run did not.";

function parseArgs(argv: readonly string[]): { licences: number; deliverSeconds: number } {
  let licences = 100_000;
  let deliverSeconds = 90;
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--licences') licences = Number(argv[++i]);
    else if (argv[i] === '--deliver-seconds') deliverSeconds = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i] ?? ''}`);
  }
  if (!Number.isInteger(licences) || licences < 10) throw new Error('--licences must be an integer >= 10');
  if (!(deliverSeconds >= 0)) throw new Error('--deliver-seconds must be >= 0');
  return { licences, deliverSeconds };
}

/** Samples the process's memory while `work` runs; returns its result, duration and peaks. */
async function measured<T>(work: (sample: () => void) => Promise<T>): Promise<{ result: T; ms: number; peakRss: number; peakHeap: number; baseRss: number; baseHeap: number }> {
  global.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  // PGlite answers through microtasks only, so a timer alone would never fire mid-planning: the
  // planner also samples after every batch.
  const timer = setInterval(sample, 20);
  const start = performance.now();
  try {
    const result = await work(sample);
    return { result, ms: performance.now() - start, peakRss, peakHeap, baseRss: base.rss, baseHeap: base.heapUsed };
  } finally {
    clearInterval(timer);
  }
}

/** N licences expiring from TODAY-1 to TODAY+60: 50 % with a Zalo identity seen yesterday, 30 % phone only, 20 % unreachable. */
async function seedRegister(database: Database, n: number, prefix: string): Promise<void> {
  await database.query(
    `insert into licences (number, procedure_slug, holder_name, phone, expires_on, source)
     select $1 || g, 'buon-ban-thuoc-bvtv', 'Cửa hàng Vật tư Nông nghiệp ' || g,
       case when g % 10 < 8 then '09' || lpad(g::text, 8, '0') end, $2::date - 1 + (g % 62), 'import'
     from generate_series(1, $3::int) g`,
    [prefix, TODAY, n],
  );
  await database.query(
    `insert into licence_links (licence_id, channel, channel_user_id, verified_by)
     select id, 'zalo', 'zu-' || number, 'code' from licences where number like $1 || '%' and right(number, 1) in ('0', '2', '4', '6', '8')`,
    [prefix],
  );
  await database.query(
    `insert into channel_contacts (channel, channel_user_id, last_inbound_at)
     select 'zalo', channel_user_id, $1::timestamptz - interval '1 day' from licence_links where channel_user_id like 'zu-' || $2 || '%'`,
    [TICK.toISOString(), prefix],
  );
}

async function plan(database: Database, sample: () => void): Promise<PlanResult> {
  const ladders = await loadLadders(database.db, LADDER);
  return planDueReminders({
    db: database.db,
    i18n,
    ladders,
    routing: { policies: { zalo: createZaloPolicy() }, znsTemplateId: 'bench-tpl' },
    now: TICK,
    onBatch: sample,
  });
}

interface Delivery {
  seconds: number;
  sent: number;
  perMinute: number;
  /** Most messages in any rolling 60 s (undefined for a shorter run). */
  busiestMinute: number | undefined;
  /** Most messages in any rolling 10 s: the check for a run too short for a whole minute. */
  busiestTenSeconds: number;
  /** Messages per 10 s, from the start. */
  perTenSeconds: number[];
  limit: number;
}

/** Most of the ascending `times` (ms) inside any rolling window of `windowMs`. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let busiest = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= windowMs) j += 1;
    busiest = Math.max(busiest, i - j + 1);
  }
  return busiest;
}

/** Drains the outbox to the fake Zalo for `seconds` at the configured limit; counts arrivals at the fake. */
async function deliver(database: Database, seconds: number, limit: number): Promise<Delivery> {
  const fake = await startFakeZalo({ appId: 'bench', appSecret: 'bench-secret', initialAccessToken: 'at-bench', initialRefreshToken: 'rt-bench' });
  const zaloConfig = { ...loadConfig({}).zalo, appId: 'bench', appSecret: 'bench-secret', accessToken: 'at-bench', refreshToken: 'rt-bench', apiBaseUrl: fake.baseUrl, oauthBaseUrl: fake.baseUrl, znsBaseUrl: fake.baseUrl };
  const startedAt = Date.now();
  const clock = () => new Date(TICK.getTime() + (Date.now() - startedAt));
  const worker = new OutboxWorker({
    db: database.db,
    channels: { zalo: { policy: createZaloPolicy(), sender: createZaloSender({ config: zaloConfig, db: database.db, logger }) } },
    logger,
    ratePerMinute: { zalo: limit },
    maxAttempts: 8,
    clock,
  });
  // A backlog keeps `drain()` busy (rate-limited rows are re-scheduled, not skipped): stopping the
  // worker at the deadline ends it after the batch in hand.
  const deadline = setTimeout(() => void worker.stop(), seconds * 1000);
  try {
    while (Date.now() - startedAt < seconds * 1000) {
      await worker.drain();
      await sleep(50);
    }
    clearTimeout(deadline);
    await worker.stop();
    const times = fake.received.map((r) => r.at.getTime()).sort((a, b) => a - b);
    const elapsed = (Date.now() - startedAt) / 1000;
    const perTenSecondsWindow = busiestWindow(times, 10_000);
    const busiest = elapsed >= 60 ? busiestWindow(times, 60_000) : undefined;
    const perTenSeconds = Array.from({ length: Math.ceil(elapsed / 10) }, () => 0);
    for (const t of times) {
      const slot = Math.floor((t - startedAt) / 10_000);
      perTenSeconds[slot] = (perTenSeconds[slot] ?? 0) + 1;
    }
    return { seconds: elapsed, sent: times.length, perMinute: (times.length / elapsed) * 60, busiestMinute: busiest, busiestTenSeconds: perTenSecondsWindow, perTenSeconds, limit };
  } finally {
    await fake.close();
  }
}

/**
 * The pacing check of one delivery run: every rolling minute at or under the limit, as the platforms
 * count. A run shorter than a minute cannot show that; its busiest 10 s is given without a target
 * (pacing aims at a sixth of the limit per 10 s, but a timer that fires late — a blocked event loop —
 * lets a few sends bunch, which a minute absorbs and 10 s does not).
 */
function pacingRow(label: string, d: Delivery): string {
  const average = `${Math.round(d.perMinute)}/min on average`;
  if (d.busiestMinute === undefined) {
    return `| ${label}: delivery, busiest rolling 10 s (run shorter than 60 s; ${average}) | ${d.busiestTenSeconds} | — (pace: ${Math.round(d.limit / 6)}) | |`;
  }
  return `| ${label}: delivery, busiest rolling 60 s (${average}) | ${d.busiestMinute} | ≤ ${d.limit} | ${met(d.busiestMinute <= d.limit)} |`;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { licences, deliverSeconds } = parseArgs(withoutJsonOut(argv));
  const limit = loadConfig().outbox.ratePerMinute.zalo;
  const lines: string[] = [];
  const targetRows: string[] = [];
  const out = (line: string) => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  const databases = benchDatabases('reminders');
  out(`# Licence reminders bench — ${todayStamp()}`);
  out('');
  out(`Register: ${licences.toLocaleString('en')} licences expiring ${TODAY} −1 … +60 days (every one has a step due at the tick ${TICK.toISOString()}),`);
  out('50 % with a Zalo identity seen the day before (CS), 30 % phone only (ZNS), 20 % unreachable; ladder 60,30,7,1,-1; batches of 500.');
  out(`Node ${process.version}; peaks sampled every 20 ms and after every batch (RSS includes PGlite's WebAssembly heap when in process).`);
  if (databases.length === 1) out('PGlite only: TEST_DATABASE_URL is not set, so PostgreSQL was not measured.');
  for (const { label, open } of databases) {
    const target = await open();
    try {
      out('');
      out(`## ${label}`);
      await seedRegister(target.database, Math.round(licences / 10), 'S');
      const small = await measured((sample) => plan(target.database, sample));
      await target.database.query('truncate licence_reminders, outbox, licence_links, channel_contacts, licences cascade');
      await seedRegister(target.database, licences, 'L');
      const big = await measured((sample) => plan(target.database, sample));
      const again = await measured((sample) => plan(target.database, sample));
      const r = big.result;
      out('');
      out('| register | planned | queued | no channel | skipped | messages | time | licences/s | peak RSS (base) | peak heap (base) |');
      out('|---|---|---|---|---|---|---|---|---|---|');
      for (const [label, m] of [[`${Math.round(licences / 10)}`, small], [`${licences}`, big], [`${licences}, 2nd tick`, again]] as const) {
        const p = m.result;
        out(
          `| ${label} | ${p.planned} | ${p.queued} | ${p.noChannel} | ${p.skipped} | ${p.messages} | ${(m.ms / 1000).toFixed(1)} s | ${Math.round(((p.queued + p.noChannel) / m.ms) * 1000) || '—'} | ${mb(m.peakRss)} (${mb(m.baseRss)}) | ${mb(m.peakHeap)} (${mb(m.baseHeap)}) |`,
        );
      }
      if (r.queued + r.noChannel !== licences) out(`**Unexpected:** ${r.queued + r.noChannel} reminders to send for ${licences} licences.`);
      const handled = r.queued + r.noChannel;
      targetRows.push(
        `| ${label}: licences with a reminder planned on the first tick (${(big.ms / 1000).toFixed(1)} s) | ${handled} | ${licences} | ${met(handled === licences)} |`,
        `| ${label}: second tick re-plans nothing | ${again.result.planned} | 0 | ${met(again.result.planned === 0)} |`,
      );
      if (deliverSeconds > 0) {
        const d = await deliver(target.database, deliverSeconds, limit);
        out('');
        out(`Delivery to the fake Zalo for ${d.seconds.toFixed(0)} s (a subset of the ${r.messages} messages) at the limit of ${d.limit}/min:`);
        out(`- sent ${d.sent}: ${Math.round(d.perMinute)}/min on average`);
        out(`- busiest 60 s window: ${d.busiestMinute ?? '— (run shorter than 60 s)'} (limit ${d.limit})`);
        out(`- busiest 10 s window: ${d.busiestTenSeconds}`);
        out(`- per 10 s: ${d.perTenSeconds.join(', ')} (the limit is ${Math.round(d.limit / 6)} per 10 s: the outbox paces one send every 60 s / limit)`);
        if ((d.busiestMinute ?? 0) > d.limit) out(OVER_LIMIT_NOTE);
        targetRows.push(pacingRow(label, d));
      }
    } finally {
      await target.close();
    }
  }
  out('');
  out('## Targets');
  out('');
  out('| Measure | Value | Target | |');
  out('|---|---:|---|---|');
  for (const row of targetRows) out(row);
  const peakRssMb = ownPeakRssMb();
  out('');
  out(`Peak RSS of the bench process (planner, outbox worker, fake Zalo${databases.length > 1 ? ' and PGlite; the PostgreSQL server is not counted' : ' and PGlite'}): ${peakRssMb} MB.`);
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `reminders-${todayStamp()}.md`);
  await fs.writeFile(file, `${lines.join('\n')}\n`);
  process.stdout.write(`\nwritten to ${path.relative(ROOT, file)}\n`);
  await writeSectionIfAsked(argv, {
    title: 'Licence reminders: planning and delivery',
    // The report without its top heading and date line (the collected report has its own).
    markdown: lines.slice(2).join('\n'),
    processes: [{ name: 'reminders bench (planner, outbox worker, fake Zalo, PGlite in process)', peakRssMb }],
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
