/**
 * Booking contention (issue 8): `npm run bench:booking [-- --clients N --rounds R --appraisers A]`
 * (defaults 50 clients, 10 rounds, 10 appraisers; about five minutes on both databases here).
 *
 * N clients book appraisal sessions at the same moment, R rounds in a row, through the real service
 * (`createAppraisalService`, one instance per client as separate requests have) and through HTTP
 * (`POST /api/appraisal/bookings` on the real app, `startApp`, its per-address limit raised):
 * - same slot: every client of a round asks for one appraiser at one time, so exactly one may win
 *   and the others must be told `slot_taken` with other times;
 * - different slots: every client asks for a time of its own (several per appraiser-day, which the
 *   service serialises), so every one must win.
 * Figures: calls/s, bookings/s and latency per call (p50, p99, max), and the proof: one winner per
 * contested slot, and, after the run, no two live sessions of an appraiser overlapping in
 * `appraisal_bookings` (plain SQL, independent of the exclusion constraint that enforces it).
 *
 * Runs on PGlite, and on PostgreSQL in a scratch database when TEST_DATABASE_URL is set. Prints the
 * figures and writes bench/results/booking-contention-<YYYY-MM-DD>.md; `--json-out <file>` also
 * writes the section for `npm run bench` (bench/lib/section.ts).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAppraisalService } from '../src/appraisal';
import { tables, type Database, type Db } from '../src/db';
import { postJson, startApp } from '../test/support/app';
import { RESULTS_DIR, ROOT, fmt, met, percentile, today } from './lib/common';
import { benchDatabases } from './lib/databases';
import { ownPeakRssMb, withoutJsonOut, writeSectionIfAsked } from './lib/section';

const PROCEDURE = 'buon-ban-thuoc-bvtv';
/** 45-minute sessions and a 15-minute buffer: one slot an hour, 07:00–19:00 every day, 12 a day. */
const SESSION_MINUTES = 45;
const BUFFER_MINUTES = 15;
const SLOTS_A_DAY = 12;
/**
 * More than a day's slots, so the daily capacity never binds: this bench is about who gets a
 * contested time. (When the contested slot is also the last one of an appraiser's day, callers that
 * read it as free before the winner committed are refused as `not_available`, not `slot_taken`:
 * src/appraisal/writes.ts counts the day's sessions under its lock before it inserts.)
 */
const DAILY_CAPACITY = SLOTS_A_DAY + 1;
const DAY_MS = 86_400_000;
const VN_OFFSET_MS = 7 * 3_600_000;
const BUSINESS = { address: 'Thôn 2, xã Hòa An', phone: '0912 345 678' };

interface Args {
  clients: number;
  rounds: number;
  appraisers: number;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { clients: 50, rounds: 10, appraisers: 10 };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i];
    const key = name === '--clients' ? 'clients' : name === '--rounds' ? 'rounds' : name === '--appraisers' ? 'appraisers' : undefined;
    if (!key) throw new Error(`unknown argument ${name ?? ''} (--clients N, --rounds N, --appraisers N)`);
    args[key] = Number(argv[++i]);
    if (!Number.isInteger(args[key]) || args[key] < 2) throw new Error(`${name} must be an integer >= 2`);
  }
  return args;
}

const vnDay = (t: number) => new Date(t + VN_OFFSET_MS).toISOString().slice(0, 10);
const vnInstant = (day: string, hour: number) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+07:00`);

/** One appraisal type and `count` appraisers working every day 07:00–19:00; returns their ids. */
async function seedCalendar(db: Db, count: number): Promise<string[]> {
  await db.insert(tables.appraisalTypes).values({
    procedureSlug: PROCEDURE,
    sessionMinutes: SESSION_MINUTES,
    bufferMinutes: BUFFER_MINUTES,
    videoChannel: 'zalo_video',
    checklist: [{ key: 'kho', label: 'Kho tách biệt' }],
    preparation: ['Điện thoại trên giá ba chân'],
  });
  const rows = await db
    .insert(tables.appraisers)
    .values(
      Array.from({ length: count }, (_, i) => ({
        name: `Thẩm định viên ${i + 1}`,
        procedures: [PROCEDURE],
        workingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '07:00', end: '19:00' }],
        dailyCapacity: DAILY_CAPACITY,
      })),
    )
    .returning({ id: tables.appraisers.id });
  return rows.map((r) => r.id);
}

interface TargetSlot {
  appraiserId: string;
  start: Date;
}

/**
 * Hands out every slot once, hour by hour and appraiser by appraiser, from the day after tomorrow
 * (past the two-hour minimum notice however long the run takes): a round of distinct slots puts
 * several sessions on each appraiser's day, the case the service serialises.
 */
function slotCursor(appraisers: readonly string[]): () => TargetSlot {
  let n = 0;
  const firstDay = Date.parse(`${vnDay(Date.now() + 2 * DAY_MS)}T00:00:00Z`);
  return () => {
    const perDay = SLOTS_A_DAY * appraisers.length;
    const day = new Date(firstDay + Math.floor(n / perDay) * DAY_MS).toISOString().slice(0, 10);
    const hour = 7 + Math.floor((n % perDay) / appraisers.length);
    const appraiserId = appraisers[n % appraisers.length] as string;
    n += 1;
    return { appraiserId, start: vnInstant(day, hour) };
  };
}

type Outcome = 'won' | 'taken' | 'other' | 'error';
interface Call {
  ms: number;
  outcome: Outcome;
  alternatives: number;
  detail?: string;
}
type Booker = (slot: TargetSlot, client: number) => Promise<Omit<Call, 'ms'>>;

function serviceBooker(db: Db): Booker {
  return async (slot, client) => {
    // A service per call, as separate requests and chat turns have.
    const r = await createAppraisalService(db, { linkSecret: 'bench-link-secret' }).book(
      { procedure: PROCEDURE, ...slot, businessName: `Cơ sở ${client}`, ...BUSINESS, source: 'api' },
      new Date(),
    );
    if (r.ok) return { outcome: 'won', alternatives: 0 };
    return { outcome: r.reason === 'slot_taken' ? 'taken' : 'other', alternatives: r.alternatives.length, detail: r.reason };
  };
}

function httpBooker(baseUrl: string): Booker {
  return async (slot, client) => {
    const body = { procedure: PROCEDURE, appraiserId: slot.appraiserId, start: slot.start.toISOString(), businessName: `Đại lý ${client}`, ...BUSINESS };
    const res = await postJson(`${baseUrl}/api/appraisal/bookings`, body);
    if (res.status === 201) return { outcome: 'won', alternatives: 0 };
    const detail = `${res.status} ${String(res.body?.error)}`;
    if (res.status !== 409) return { outcome: 'error', alternatives: 0, detail };
    const alternatives = Array.isArray(res.body.alternatives) ? res.body.alternatives.length : 0;
    return { outcome: res.body.error === 'slot_taken' ? 'taken' : 'other', alternatives, detail };
  };
}

async function timed(book: Booker, slot: TargetSlot, client: number): Promise<Call> {
  const start = performance.now();
  try {
    const result = await book(slot, client);
    return { ...result, ms: performance.now() - start };
  } catch (err) {
    // fetch's own message is only "fetch failed"; the socket's reason is in `cause`.
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${(err.cause as Error & { code?: string }).code ?? err.cause.message}` : '';
    return { outcome: 'error', alternatives: 0, detail: `${err instanceof Error ? err.message : String(err)}${cause}`, ms: performance.now() - start };
  }
}

interface Scenario {
  path: string;
  mode: 'same slot' | 'different slots';
  calls: Call[];
  seconds: number;
  /** Winners of each round. */
  winners: number[];
  /** Whether the unmeasured warm-up call booked its own slot (it counts in the table). */
  warmUpWon: boolean;
}

/** `rounds` rounds of `clients` simultaneous calls; a round starts when the previous one has ended. */
async function runScenario(pathName: string, book: Booker, next: () => TargetSlot, mode: Scenario['mode'], args: Args): Promise<Scenario> {
  const warmUp = await timed(book, next(), -1); // query plans, JIT, connections: not measured
  const calls: Call[] = [];
  const winners: number[] = [];
  const started = performance.now();
  for (let r = 0; r < args.rounds; r += 1) {
    const shared = next();
    const slots = Array.from({ length: args.clients }, () => (mode === 'same slot' ? shared : next()));
    const round = await Promise.all(slots.map((slot, client) => timed(book, slot, client)));
    winners.push(round.filter((c) => c.outcome === 'won').length);
    calls.push(...round);
  }
  return { path: pathName, mode, calls, seconds: (performance.now() - started) / 1000, winners, warmUpWon: warmUp.outcome === 'won' };
}

/** What the table holds after the run, by plain SQL: overlapping live sessions, live rows. */
async function tableProof(database: Database): Promise<{ overlaps: number; live: number }> {
  const [overlap] = await database.query<{ n: number }>(`
    select count(*)::int as n from appraisal_bookings a join appraisal_bookings b
      on a.appraiser_id = b.appraiser_id and a.id < b.id
    where a.status = 'booked' and b.status = 'booked'
      and tstzrange(a.starts_at, a.blocked_until, '[)') && tstzrange(b.starts_at, b.blocked_until, '[)')`);
  const [live] = await database.query<{ n: number }>(`select count(*)::int as n from appraisal_bookings where status = 'booked'`);
  return { overlaps: overlap?.n ?? -1, live: live?.n ?? -1 };
}

const count = (calls: readonly Call[], outcome: Outcome) => calls.filter((c) => c.outcome === outcome).length;

function figuresRow(s: Scenario, args: Args): string {
  const ms = s.calls.map((c) => c.ms).sort((a, b) => a - b);
  const won = count(s.calls, 'won');
  const failed = count(s.calls, 'other') + count(s.calls, 'error');
  return `| ${s.path} | ${s.mode} | ${args.clients} × ${args.rounds} | ${s.calls.length} | ${won} | ${count(s.calls, 'taken')} | ${failed} | ${fmt(s.calls.length / s.seconds, 1)} | ${fmt(won / s.seconds, 1)} | ${fmt(percentile(ms, 50), 1)} | ${fmt(percentile(ms, 99), 1)} | ${fmt(ms[ms.length - 1] ?? Number.NaN, 1)} |`;
}

function proofRows(label: string, s: Scenario, args: Args): string[] {
  const failures = s.calls.filter((c) => c.outcome === 'error' || c.outcome === 'other');
  const failureNote = failures.length > 0 ? ` (first: ${failures[0]?.detail ?? '?'})` : '';
  const rows = [`| ${label}, ${s.path}, ${s.mode}: calls that failed or were refused otherwise${failureNote} | ${failures.length} | 0 | ${met(failures.length === 0)} |`];
  if (s.mode === 'same slot') {
    const single = s.winners.filter((n) => n === 1).length;
    const losers = args.rounds * (args.clients - 1);
    const offered = s.calls.filter((c) => c.outcome === 'taken' && c.alternatives > 0).length;
    rows.push(
      `| ${label}, ${s.path}: contested slots with exactly one winner | ${single} of ${args.rounds} | all | ${met(single === args.rounds)} |`,
      `| ${label}, ${s.path}: losers told slot_taken with other times | ${offered} of ${losers} | all | ${met(offered === losers)} |`,
    );
  } else {
    const won = count(s.calls, 'won');
    rows.push(`| ${label}, ${s.path}: distinct slots booked | ${won} of ${s.calls.length} | all | ${met(won === s.calls.length)} |`);
  }
  return rows;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(withoutJsonOut(argv));
  const databases = benchDatabases('booking');
  const body: string[] = [
    `${args.clients} clients at once, ${args.rounds} rounds per scenario; ${args.appraisers} appraisers, ${SESSION_MINUTES}-minute sessions + ${BUFFER_MINUTES}-minute buffer, ${SLOTS_A_DAY} a day; Node ${process.version}.`,
    'Service: `createAppraisalService(db).book()` in this process. HTTP: `POST /api/appraisal/bookings` on the real app in this process (keep-alive `fetch`, `APPRAISAL_API_RATE_PER_MINUTE` raised). Latency per call; a round starts when the previous one has ended. Same slot: one appraiser, one time for every client of a round; a refused call also looks up other free times (14 days ahead), so it costs more than a booking.',
  ];
  if (databases.length === 1) body.push('', 'PGlite only: TEST_DATABASE_URL is not set, so PostgreSQL was not measured.');
  const proofs: string[] = [];
  for (const target of databases) {
    const { database, close } = await target.open();
    try {
      const next = slotCursor(await seedCalendar(database.db, args.appraisers));
      const app = await startApp(database, { APPRAISAL_API_RATE_PER_MINUTE: '100000000', SEED_SAMPLE_DATA: 'false' });
      const scenarios: Scenario[] = [];
      try {
        const service = serviceBooker(database.db);
        const http = httpBooker(app.baseUrl);
        scenarios.push(await runScenario('service', service, next, 'same slot', args));
        scenarios.push(await runScenario('service', service, next, 'different slots', args));
        scenarios.push(await runScenario('HTTP', http, next, 'same slot', args));
        scenarios.push(await runScenario('HTTP', http, next, 'different slots', args));
      } finally {
        await app.close();
      }
      const table = await tableProof(database);
      const won = scenarios.reduce((n, s) => n + count(s.calls, 'won'), 0);
      const warmUps = scenarios.filter((s) => s.warmUpWon).length;
      const pool = target.kind === 'postgres' ? `, pool of ${target.poolSize} connections shared by the service and the app` : '';
      body.push('', `## ${target.label}${pool}`, '');
      body.push('| Path | Scenario | Clients × rounds | Calls | Won | Slot taken | Other refusals, errors | Calls/s | Bookings/s | p50 ms | p99 ms | max ms |');
      body.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
      for (const s of scenarios) body.push(figuresRow(s, args));
      for (const s of scenarios) proofs.push(...proofRows(target.label, s, args));
      proofs.push(
        `| ${target.label}: overlapping live sessions of one appraiser in appraisal_bookings after the run | ${table.overlaps} | 0 | ${met(table.overlaps === 0)} |`,
        `| ${target.label}: live rows in the table = bookings reported won (+ ${warmUps} warm-ups) | ${table.live} | ${won + warmUps} | ${met(table.live === won + warmUps)} |`,
      );
    } finally {
      await close();
    }
  }
  const peakRssMb = ownPeakRssMb();
  body.push('', '## Proof', '', '| Measure | Value | Target | |', '|---|---:|---|---|', ...proofs);
  body.push('', `Peak RSS of the bench process (clients, app${databases.length > 1 ? ', PGlite; the PostgreSQL server is not counted' : ' and PGlite'}): ${peakRssMb} MB.`);
  const text = `# Booking contention — ${today()}\n\n${body.join('\n')}\n`;
  process.stdout.write(text);
  await fs.mkdir(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `booking-contention-${today()}.md`);
  await fs.writeFile(file, text);
  process.stdout.write(`\nwritten to ${path.relative(ROOT, file)}\n`);
  await writeSectionIfAsked(argv, {
    title: 'Appraisal booking contention',
    markdown: body.join('\n'),
    processes: [{ name: 'booking-contention bench (clients, app, PGlite in process)', peakRssMb }],
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
