/**
 * The database restarts under load (issue 8): a web process takes a steady stream of signed Zalo
 * webhooks while its PostgreSQL server is stopped and started again, once cleanly (`-m fast`) and
 * once like a crash (`-m immediate`). What must hold:
 * - nothing is "acknowledged and lost": every webhook that got a 2xx is in `inbound_events`, and
 *   every one that is not got a non-2xx or a broken connection, so Zalo would send it again;
 * - the web process survives, says it is not ready while the database is gone (`/readyz`), and is
 *   ready again once it is back;
 * - every acknowledged event is answered once a worker runs: processed, and its reply delivered to
 *   the (fake) platform.
 * And, in isolation, the pool failure those restarts can leave behind: a connection that dies just as
 * a transaction begins must not take a pool client with it.
 * Runs on a private server (support/private-postgres.ts): the shared one cannot be restarted.
 */
import net from 'node:net';
import { sql } from 'drizzle-orm';
import { eventually } from '../support/app';
import { ZALO_KEYS } from '../support/zalo-app';
import { startFakeZalo, type FakeZalo } from '../fakes/zalo';
import { openPostgres, type Database } from '../../src/db';
import { privatePostgresAvailability, startPrivatePostgres, type PrivatePostgres } from './support/private-postgres';
import { createDataDir, startAppProcess, stopAllAppProcesses, type AppProcess } from './support/processes';
import { acknowledged, clusterEnv, latencySummary, sendZaloText, traceDeliveries, type WebhookOutcome } from './support/cluster';

/** Webhooks in flight at any moment: one sequential sender per simulated person. */
const IN_FLIGHT = 30;
/** Pause of each sender between its webhooks: bounds the backlog the worker must answer afterwards. */
const SENDER_PAUSE_MS = 150;
/** The load's shape: steady, then a clean restart, steady, a crash restart, steady. */
const STEADY_MS = 5_000;
/** How long the database stays down each time: long enough for requests and probes to hit it. */
const DOWN_MS = 3_000;
const PROBE_EVERY_MS = 200;
/** A request hung this long counts as not acknowledged (Zalo itself gives up after ~2 s and retries). */
const LOAD_REQUEST_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const availability = privatePostgresAvailability();
if (!availability.ok) {
  // Printed, so a skipped run says why; on the project's machines and CI it must run.
  console.warn(`postgres-restart tests skipped: ${availability.reason}`);
}
const describeWithServer = availability.ok ? describe : describe.skip;

interface Probe {
  at: number;
  /** When the answer (or the error) came. */
  end: number;
  status?: number;
  error?: string;
}

describeWithServer('PostgreSQL restarts under webhook load', () => {
  let pg: PrivatePostgres | undefined;
  let fake: FakeZalo | undefined;
  let web: AppProcess | undefined;
  let worker: AppProcess | undefined;
  let dataDir: string | undefined;
  let database: Database | undefined;

  beforeAll(async () => {
    pg = await startPrivatePostgres();
    fake = await startFakeZalo({ appId: ZALO_KEYS.appId, appSecret: ZALO_KEYS.appSecret, initialAccessToken: 'at-1', initialRefreshToken: 'rt-1' });
    dataDir = createDataDir();
    // The web process migrates the new database itself, as a deployment's first start does.
    web = await startAppProcess({ role: 'web', dataDir, env: clusterEnv({ databaseUrl: pg.url, fake }) });
  }, 240_000);

  afterAll(async () => {
    await database?.close().catch(() => undefined);
    await Promise.all([web?.stop(), worker?.stop()]);
    await stopAllAppProcesses();
    await fake?.close();
    await pg?.destroy();
  }, 120_000);

  it('acknowledges only stored events through a clean and a crash restart, stays up, and answers them all', async () => {
    if (!pg || !web || !fake || !dataDir) throw new Error('setup failed');
    const server = pg;
    const app = web;
    const outcomes: WebhookOutcome[] = [];
    const probes: Probe[] = [];
    const downWindows: Array<{ mode: string; from: number; to: number }> = [];
    let loading = true;

    const sender = async (person: number) => {
      for (let n = 1; loading; n++) {
        outcomes.push(await sendZaloText(app, { userId: `pgr-user-${person}`, text: `đăng ký khai sinh cần giấy tờ gì (${n})`, msgId: `pgr-${person}-${n}` }, LOAD_REQUEST_TIMEOUT_MS));
        await sleep(SENDER_PAUSE_MS);
      }
    };
    const prober = async () => {
      while (loading) {
        const at = Date.now();
        try {
          const res = await fetch(`${app.baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
          await res.arrayBuffer();
          probes.push({ at, end: Date.now(), status: res.status });
        } catch (err) {
          probes.push({ at, end: Date.now(), error: (err as Error).name });
        }
        await sleep(PROBE_EVERY_MS);
      }
    };
    const restart = async (mode: 'fast' | 'immediate') => {
      await server.stop(mode);
      const from = Date.now();
      await sleep(DOWN_MS);
      const to = Date.now();
      await server.start();
      downWindows.push({ mode, from, to });
    };

    const load = [...Array.from({ length: IN_FLIGHT }, (_, i) => sender(i)), prober()];
    await sleep(STEADY_MS);
    await restart('fast');
    await sleep(STEADY_MS);
    await restart('immediate');
    await sleep(STEADY_MS);
    loading = false;
    await Promise.all(load);

    // The process survived both restarts and is ready again.
    const readyAgain = await eventually(async () => {
      if (!app.running()) return 'exited';
      try {
        return (await fetch(`${app.baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) })).status === 200 && 'ready';
      } catch {
        return false;
      }
    }, 60_000).catch(() => 'not ready within 60 s');
    // The output's tail says why when it is not.
    expect({ readyAgain, exit: app.running() ? 'running' : app.output().slice(-4_000) }).toEqual({ readyAgain: 'ready', exit: 'running' });

    // While the database was down, /readyz said so (the probe ran every 200 ms through 3 s downtimes).
    const duringDowntime = (p: Probe) => downWindows.some((w) => p.at >= w.from && p.end <= w.to);
    const probesWhileDown = probes.filter(duringDowntime);
    expect(probesWhileDown.length).toBeGreaterThan(0);
    expect(probesWhileDown.filter((p) => p.status === 200)).toEqual([]);

    // Back in service, not just "ready": a fresh burst of webhooks is stored and acknowledged.
    const after = await Promise.all(
      Array.from({ length: IN_FLIGHT }, (_, i) => sendZaloText(app, { userId: `pgr-user-${i}`, text: 'xin chào (sau khởi động lại)', msgId: `pgr-after-${i}` })),
    );
    expect(after.filter((o) => !acknowledged(o))).toEqual([]);
    outcomes.push(...after);

    database = await openPostgres(server.url, 2);
    const db = database;
    const stored = new Set((await db.query<{ platform_event_id: string }>('select platform_event_id from inbound_events')).map((r) => r.platform_event_id));

    // Zero "acknowledged and lost"; whatever was not stored was refused, so Zalo would retry it.
    const lost = outcomes.filter((o) => acknowledged(o) && !stored.has(o.msgId));
    expect(lost).toEqual([]);
    const notStored = outcomes.filter((o) => !stored.has(o.msgId));
    expect(notStored.filter(acknowledged)).toEqual([]);
    // The restarts were felt: some deliveries were refused (else this test proved nothing).
    expect(notStored.length).toBeGreaterThan(0);
    const refusedStatuses = new Set(notStored.map((o) => o.status ?? o.error));
    // A web role leaves processing to the workers (composeServices' processHere): nothing is answered yet.
    const [doneByWeb] = await db.query<{ n: string }>("select count(*) as n from inbound_events where status = 'done'");
    console.info(
      `postgres-restart: ${outcomes.length} webhooks, ${outcomes.filter(acknowledged).length} acknowledged, ` +
        `${notStored.length} refused (${[...refusedStatuses].join(', ')}), ${probesWhileDown.length} readiness probes while down; ` +
        `${latencySummary(outcomes)}; ${doneByWeb?.n ?? 0} events answered by the web process itself (expected 0)`,
    );

    // A worker answers everything that was acknowledged: processed, and its replies delivered.
    worker = await startAppProcess({ role: 'worker', dataDir, env: clusterEnv({ databaseUrl: server.url, fake }) });
    const acked = outcomes.filter(acknowledged).map((o) => o.msgId);
    await eventually(async () => {
      const [row] = await db.query<{ open: string }>(
        `select (select count(*) from inbound_events where status <> 'done') + (select count(*) from outbox where status <> 'sent') as open`,
      );
      return Number(row?.open) === 0;
    }, 180_000);
    const events = await db.query<{ id: string; platform_event_id: string; status: string }>('select id, platform_event_id, status from inbound_events');
    const eventByMsg = new Map(events.map((e) => [e.platform_event_id, e]));
    const answered = new Set((await traceDeliveries(db, fake)).map((d) => d.inboundEventId));
    const unanswered = acked.filter((msgId) => {
      const event = eventByMsg.get(msgId);
      return !event || event.status !== 'done' || !answered.has(Number(event.id));
    });
    expect(unanswered).toEqual([]);
    expect({ web: app.running(), worker: worker.running() }).toEqual({ web: true, worker: true });
  }, 420_000);
});

/**
 * A TCP proxy in front of the server that, while `cutAtBegin` is on, kills the connection the moment
 * a client sends `begin`: what a server restart does to a transaction that is just starting, made
 * deterministic.
 */
async function beginCuttingProxy(serverPort: number) {
  const sockets = new Set<net.Socket>();
  const state = { cutAtBegin: false };
  const server = net.createServer((client) => {
    const upstream = net.connect(serverPort, '127.0.0.1');
    const both = [client, upstream];
    for (const s of both) {
      sockets.add(s);
      s.on('error', () => both.forEach((x) => x.destroy()));
      s.on('close', () => both.forEach((x) => x.destroy()));
    }
    client.on('data', (chunk: Buffer) => {
      if (state.cutAtBegin && chunk.includes('begin')) {
        both.forEach((x) => x.destroy());
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    state,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describeWithServer('the PostgreSQL pool when a connection dies as a transaction begins', () => {
  const POOL = 3;
  /** A transaction waiting this long for a client is waiting forever: the pool lost its clients. */
  const HUNG_MS = 20_000;
  let pg: PrivatePostgres | undefined;
  /** `work`'s result, or `hung` if it has not settled after HUNG_MS (the timer does not outlive it). */
  const unlessHung = async (work: Promise<string>, hung: string) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([work, new Promise<string>((resolve) => (timer = setTimeout(() => resolve(hung), HUNG_MS)))]);
    } finally {
      clearTimeout(timer);
    }
  };

  beforeAll(async () => {
    pg = await startPrivatePostgres();
  }, 120_000);
  afterAll(async () => {
    await pg?.destroy();
  }, 60_000);

  it('fails those transactions but loses no client: the whole pool is usable afterwards', async () => {
    if (!pg) throw new Error('setup failed');
    const proxy = await beginCuttingProxy(pg.port);
    const database = await openPostgres(proxy.url, POOL);
    try {
      proxy.state.cutAtBegin = true;
      // More cut transactions than the pool has clients: each must fail, none may hang waiting for
      // a client that an earlier one lost.
      const outcomes: string[] = [];
      for (let i = 0; i < POOL * 2; i++) {
        const attempt = database.db.transaction((tx) => tx.execute(sql`select 1`)).then(
          () => 'committed',
          () => 'failed',
        );
        outcomes.push(await unlessHung(attempt, 'hung: no pool client left'));
        if (outcomes.at(-1) !== 'failed') break;
      }
      expect(outcomes).toEqual(Array<string>(POOL * 2).fill('failed'));
      proxy.state.cutAtBegin = false;

      // Every client at once: each transaction keeps its client until all of them hold one, so this
      // completes only if no client was lost (a lost one is never released: the pool waits forever).
      let arrived = 0;
      let allArrived: () => void = () => undefined;
      const together = new Promise<void>((resolve) => (allArrived = resolve));
      const all = Promise.all(
        Array.from({ length: POOL }, () =>
          database.db.transaction(async (tx) => {
            await tx.execute(sql`select 1`);
            if (++arrived === POOL) allArrived();
            await together;
          }),
        ),
      ).then(() => 'every client usable');
      const verdict = await unlessHung(all, `only ${arrived} of ${POOL} clients usable: the others were lost`);
      expect(verdict).toBe('every client usable');
    } finally {
      // A pool that lost clients never finishes ending: do not wait for it.
      await Promise.race([database.close(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
      await proxy.close();
    }
  }, 120_000);
});
