/**
 * Delivery through a misbehaving platform: for a while the fake Zalo answers at random (seeded) with
 * HTTP 500, hangs (client timeout), rate limits (Zalo -32 and HTTP 429), and expired access tokens
 * (the app must refresh through the fake OAuth), plus a few permanent refusals (-227 "user banned or
 * inactive", which must not be retried). Then the faults stop and the backlog drains.
 *
 * Asserted: every message the platform did not refuse arrived exactly once (the fake records a
 * message only when it answers success, so no retry here is a repeat), each refused one never
 * arrived and is `failed` with the platform's reason, nothing else failed or got lost, the token
 * was refreshed without ever spending a dead refresh token, and officials see it all on the
 * "Kết quả gửi tin" console page: the waits and their reasons while the faults last, the failures
 * and their reasons afterwards.
 *
 * Two deployments: worker processes (two, racing for the same rows and the same token) and a web
 * process on PostgreSQL; and a shorter run of the whole app in this process on PGlite.
 */
import request from 'supertest';
import type { Database } from '../../src/db';
import { seededRandom } from '../../bench/lib/common';
import type { FakeZalo } from '../fakes/zalo';
import type { FakeFailure } from '../fakes/zalo/fake-zalo';
import { createOfficial, signIn, testI18n } from '../admin/auth/support';
import { openTestDatabase } from '../support/db';
import { startZaloApp } from '../support/zalo-app';
import { createDataDir, describeOnPostgres, describeProcess, spawnAppProcess, startAppProcess, type AppProcess } from './support/processes';
import {
  backlogRows,
  countByText,
  deliveries,
  enqueueBacklog,
  waitUntilSettled,
  zaloBacklog,
  zaloOnPostgres,
  type Backlog,
  type ZaloOnPostgres,
} from './support/outbox-backlog';

const tb = (key: string) => testI18n.t(`admin-broadcasts.${key}`);
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The code the fake refuses some messages with: permanent (src/channels/zalo/errors.ts), never retried. */
const PERMANENT_CODE = -227;
/** Probabilities per CS call while the faults last (about 8% of calls fail). */
const FAULTS: Array<{ failure: FakeFailure; probability: number }> = [
  { failure: 'http500', probability: 0.05 },
  { failure: -32, probability: 0.01 },
  { failure: 'http429', probability: 0.005 },
  { failure: 'timeout', probability: 0.002 },
  { failure: PERMANENT_CODE, probability: 0.003 },
];
/**
 * Queued before the random ones, so every run meets each kind of fault at least once, whatever the
 * random draws, and has permanent failures to show.
 */
const CERTAIN_FAULTS: FakeFailure[] = [PERMANENT_CODE, 'http500', -32, 'http429', 'timeout', PERMANENT_CODE, PERMANENT_CODE];

interface Deployment {
  database: Database;
  fake: FakeZalo;
  /** Where the console is served. */
  consoleUrl: string;
  /** The delivering processes' output, for failure messages. */
  logs(): string;
}

interface Scenario {
  prefix: string;
  messages: number;
  users: number;
  /** The faults last this long, and on until half the backlog has arrived (at most three times as long). */
  faultMs: number;
  seed: number;
  expireTokenEveryMs: number;
}

/** The reasons table of the delivery outcomes page, as one line of text per row. */
function reasonRows(page: string): string[] {
  const table = /<table class="data" id="outcomes-reasons">([\s\S]*?)<\/table>/.exec(page)?.[1] ?? '';
  return [...table.matchAll(/<tr data-kind="(\w+)">([\s\S]*?)<\/tr>/g)].map((m) => `${m[1]}: ${(m[2] ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim()}`);
}

/** A count cell of the by-purpose table: `reply` × outcome kind. */
function purposeCount(page: string, purpose: string, kind: string): number {
  const row = new RegExp(`<tr data-purpose="${purpose}">([\\s\\S]*?)</tr>`).exec(page)?.[1] ?? '';
  return Number(new RegExp(`<td data-kind="${kind}">(\\d+)</td>`).exec(row)?.[1] ?? NaN);
}

async function runFaultScenario(d: Deployment, s: Scenario): Promise<void> {
  const { database, fake } = d;
  const officer = await createOfficial(database.db, { role: 'officer' });
  const officerSession = await signIn(request.agent(d.consoleUrl), officer.email, officer.password);
  const outcomesPage = async () => {
    const res = await officerSession.agent.get('/admin/delivery-outcomes');
    if (res.status !== 200) throw new Error(`delivery outcomes page: HTTP ${res.status}`);
    return res.text;
  };

  const backlog: Backlog = zaloBacklog(s.prefix, s.messages, s.users);
  for (const f of CERTAIN_FAULTS) fake.failNext(f, 1, ['cs']);
  fake.setRandomFaults({ random: seededRandom(s.seed), failures: FAULTS, endpoints: ['cs'] });
  const expiry = setInterval(() => fake.expireAccessToken(), s.expireTokenEveryMs);
  const seenWhileFaulty = new Set<string>();
  let polls = 0;
  let pollsShowing500 = 0;
  try {
    await enqueueBacklog(database, backlog);
    const started = Date.now();
    const faulty = () => {
      const elapsed = Date.now() - started;
      return elapsed < s.faultMs || (elapsed < 3 * s.faultMs && deliveries(fake, backlog).length < s.messages / 2);
    };
    while (faulty()) {
      const rowsNow = reasonRows(await outcomesPage());
      polls += 1;
      if (rowsNow.some((r) => r.includes('HTTP 500'))) pollsShowing500 += 1;
      for (const row of rowsNow) seenWhileFaulty.add(row);
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    clearInterval(expiry);
    fake.setRandomFaults(undefined);
  }
  const context = () => `seed ${s.seed}; ${d.logs().slice(-20_000)}`;
  // A rate-limited message waits up to a minute (the next minute for -32, 60 s for HTTP 429).
  await waitUntilSettled(database, backlog, 240_000, context);

  const injected = fake.injected.filter((f) => f.endpoint === 'cs' && f.rawBody.includes(`"${s.prefix} #`));
  const injectedKinds = new Set(injected.map((f) => String(f.failure)));
  // Random faults happened on top of the certain ones (about 8% of at least half the backlog's
  // sends), and the expired token was refreshed.
  expect(injected.length - CERTAIN_FAULTS.length).toBeGreaterThanOrEqual(s.messages / 100);
  expect(fake.refreshCalls.filter((c) => c.ok).length).toBeGreaterThan(0);
  // Two processes refreshing with one single-use refresh token would lose the grant: never.
  expect(fake.refreshCalls.filter((c) => !c.ok)).toEqual([]);

  const refused = new Set(
    injected.filter((f) => f.failure === PERMANENT_CODE).map((f) => String((JSON.parse(f.rawBody) as { message: { text: string } }).message.text)),
  );
  const rows = await backlogRows(database, backlog);
  const counts = countByText(deliveries(fake, backlog));
  const problems: string[] = [];
  for (const [text, userId] of backlog.recipientOf) {
    const row = rows.get(text);
    const n = counts.get(text) ?? 0;
    if (refused.has(text)) {
      if (row?.status !== 'failed' || !row.failureReason?.startsWith(`permanent (${PERMANENT_CODE}): Zalo error ${PERMANENT_CODE}`)) {
        problems.push(`${text}: refused with ${PERMANENT_CODE}, row ${row?.status} (${row?.failureReason})`);
      }
      if (n !== 0) problems.push(`${text}: refused, yet arrived ${n} times`);
    } else {
      if (row?.status !== 'sent') problems.push(`${text}: row ${row?.status} (${row?.failureReason})`);
      if (n !== 1) problems.push(`${text} (to ${userId}): arrived ${n} times`);
    }
  }
  expect(problems.slice(0, 20)).toEqual([]);
  expect(refused.size).toBeGreaterThanOrEqual(CERTAIN_FAULTS.filter((f) => f === PERMANENT_CODE).length);

  // While the faults lasted, officials saw the messages waiting and why (rows: kind, purpose, outcome, reason, count).
  const waiting = `^waiting: ${escapeRegExp(tb('purposes.reply'))} ${escapeRegExp(tb('outcome.waiting'))} `;
  const seen = [...seenWhileFaulty];
  expect(seen).toContainEqual(expect.stringMatching(new RegExp(`${waiting}transient \\(500\\): HTTP 500 from Zalo: Internal Server Error \\d+$`)));
  // Waits for a rate limit are one row (the platform's -32 / 429 and our own pacing alike), explained.
  expect(seen).toContainEqual(expect.stringMatching(new RegExp(`${waiting}${escapeRegExp(tb('reasons.rateLimit'))} rate.* \\d+$`)));
  // Afterwards: the failures, with the platform's reason and its explanation, and every other message sent.
  const after = await outcomesPage();
  expect(purposeCount(after, 'reply', 'failed')).toBe(refused.size);
  expect(purposeCount(after, 'reply', 'sent')).toBe(s.messages - refused.size);
  const failedRows = reasonRows(after).filter((r) => r.startsWith('failed:'));
  expect(failedRows).toEqual([
    expect.stringMatching(
      new RegExp(
        `^failed: ${escapeRegExp(`${tb('purposes.reply')} ${tb('outcome.failed')} ${tb('reasons.blockedOrNotFollower')} permanent (${PERMANENT_CODE}): Zalo error ${PERMANENT_CODE}: `)}.* ${refused.size}$`,
      ),
    ),
  ]);
  const retried = [...rows.values()].filter((r) => r.attempts > 1).length;
  console.log(
    `platform-faults [${s.prefix}, seed ${s.seed}]: ${s.messages} messages, ${injected.length} injected failures (${[...injectedKinds].join(', ')}), ` +
      `${refused.size} refused, ${retried} sent after retries, ${fake.refreshCalls.length} token refreshes; ${polls} polls, ${pollsShowing500} showing HTTP 500; reasons seen while faulty:\n  ${[...seenWhileFaulty].join('\n  ')}`,
  );
}

describeOnPostgres('delivery through platform faults (worker and web processes on PostgreSQL)', () => {
  let setting: ZaloOnPostgres | undefined;
  afterAll(() => setting?.close());

  it('delivers a backlog of 3,000 through a minute of faults: exactly once, refusals failed and visible', async () => {
    setting = await zaloOnPostgres();
    const { db, fake } = setting;
    // Two workers sharing the platform's pace (about 40 a second together): the backlog outlasts the faults.
    const env = { ...setting.env, OUTBOX_RATE_ZALO_PER_MINUTE: '1200' };
    const dataDir = createDataDir();
    // One process first: it seeds the sample data and the NLU model cache the others then load.
    const web = await startAppProcess({ role: 'web', env, dataDir, name: 'web' });
    const workers: AppProcess[] = await Promise.all([1, 2].map((n) => spawnAppProcess({ role: 'worker', env, dataDir, name: `worker #${n}` })));
    await Promise.all(workers.map((w) => w.waitReady()));
    const logs = () => [web, ...workers].map(describeProcess).join('\n');

    await runFaultScenario(
      { database: db.database, fake, consoleUrl: web.baseUrl ?? '', logs },
      { prefix: 'faults-pg', messages: 3_000, users: 600, faultMs: 60_000, seed: 20_251_123, expireTokenEveryMs: 10_000 },
    );

    for (const p of [web, ...workers]) expect(`${p.name}: ${JSON.stringify(await p.stop())}`).toBe(`${p.name}: {"code":0,"signal":null}`);
  }, 600_000);
});

describe('delivery through platform faults (the whole app in this process on PGlite)', () => {
  it('delivers a backlog of 600 through 15 s of faults: exactly once, refusals failed and visible', async () => {
    const db = await openTestDatabase('pglite');
    const { fake, app } = await startZaloApp(db.database);
    try {
      await runFaultScenario(
        { database: db.database, fake, consoleUrl: app.baseUrl, logs: () => '(in-process app: logs silenced)' },
        { prefix: 'faults-lite', messages: 600, users: 200, faultMs: 15_000, seed: 7_340_011, expireTokenEveryMs: 4_000 },
      );
    } finally {
      await app.close();
      await fake.close();
      await db.drop();
    }
  }, 300_000);
});
