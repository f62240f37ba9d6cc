/**
 * Several processes on one database (issue 8): two web and two worker processes, started together
 * as a deployment starts them, with the Zalo channel on a fake Zalo. A mixed load — many people
 * each sending a numbered sequence of messages through either web process at random, while
 * appraisal bookings race for the same slots through both web processes — and then what the
 * design promises across processes:
 * - one person's replies reach the platform in the order the person wrote (inbound events of one
 *   person are processed one at a time in id order, `claimNextEvent`; the outbox sends one
 *   message per recipient at a time, oldest first, `claimDue`);
 * - nothing is sent twice (every CS message the fake received is claimed by exactly one outbox row
 *   piece), and every message is answered;
 * - no slot is booked twice (exactly one 201 per contested slot, one 'booked' row per slot).
 * Needs a real PostgreSQL server: TEST_DATABASE_URL (a scratch database) or a private server.
 */
import { testDatabaseUrl } from '../../src/config';
import { openPostgres, type Database } from '../../src/db';
import { vietnamDay } from '../../src/appraisal/vn-day';
import { eventually, postJson } from '../support/app';
import { ZALO_KEYS } from '../support/zalo-app';
import { startFakeZalo, type FakeZalo } from '../fakes/zalo';
import { privatePostgresAvailability, startPrivatePostgres, type PrivatePostgres } from './support/private-postgres';
import { createDataDir, describeProcess, scratchPostgres, spawnAppProcess, stopAllAppProcesses, type AppProcess } from './support/processes';
import { acknowledged, clusterEnv, latencySummary, sendZaloText, traceDeliveries, type WebhookOutcome } from './support/cluster';

const PEOPLE = 30;
const MESSAGES_EACH = 10;
/** Slots raced for, each by this many callers split over both web processes. */
const CONTESTED_SLOTS = 6;
const CALLERS_PER_SLOT = 8;
/** The sample calendar's procedure with two appraisers (data/seed/appraisal.json). */
const PROCEDURE = 'buon-ban-thuoc-bvtv';

const sharedUrl = testDatabaseUrl();
const privateServer = privatePostgresAvailability();
const skipReason = !sharedUrl && !privateServer.ok ? `TEST_DATABASE_URL is unset and no private server: ${privateServer.reason}` : undefined;
if (skipReason) console.warn(`multi-process tests skipped: ${skipReason}`);
// Not processes.ts's `describeOnPostgres`: without TEST_DATABASE_URL this suite still runs, on a private server.
const describeWithPostgres = skipReason ? describe.skip : describe;

const msgId = (person: number, seq: number) => `mp-${person}-${seq}`;
const seqOf = (platformEventId: string) => Number(/^mp-\d+-(\d+)$/.exec(platformEventId)?.[1]);
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)] as T;

interface ApiSlot {
  start: string;
  end: string;
  appraiserId: string;
}

describeWithPostgres('two web and two worker processes on one PostgreSQL database', () => {
  let url = '';
  let dropDatabase: (() => Promise<void>) | undefined;
  let pg: PrivatePostgres | undefined;
  let fake: FakeZalo | undefined;
  let database: Database | undefined;
  const processes: AppProcess[] = [];

  beforeAll(async () => {
    if (sharedUrl) {
      // A scratch database, migrated from the run's template and empty of data: the processes seed
      // the sample knowledge base and calendar themselves, all at once.
      const scratch = await scratchPostgres();
      url = scratch.url;
      dropDatabase = scratch.drop;
    } else {
      pg = await startPrivatePostgres();
      url = pg.url;
    }
    fake = await startFakeZalo({ appId: ZALO_KEYS.appId, appSecret: ZALO_KEYS.appSecret, initialAccessToken: 'at-1', initialRefreshToken: 'rt-1' });
    // A little latency at the platform widens the windows in which two senders could overlap.
    fake.setDelay(20, ['cs']);
    const dataDir = createDataDir();
    const env = clusterEnv({ databaseUrl: url, fake, extra: { APPRAISAL_API_RATE_PER_MINUTE: '100000' } });
    const spawn = (name: string, role: 'web' | 'worker') => spawnAppProcess({ name, role, dataDir, env });
    // Started together, as a deployment starts its Procfile lines: they race to migrate and seed.
    processes.push(...(await Promise.all([spawn('web-a', 'web'), spawn('web-b', 'web'), spawn('worker-a', 'worker'), spawn('worker-b', 'worker')])));
    await Promise.all(processes.map((p) => p.waitReady(180_000)));
    database = await openPostgres(url, 2);
  }, 300_000);

  afterAll(async () => {
    await database?.close().catch(() => undefined);
    await Promise.all(processes.map((p) => p.stop()));
    await stopAllAppProcesses();
    await fake?.close();
    await dropDatabase?.();
    await pg?.destroy();
  }, 120_000);

  it('keeps each person in order, sends nothing twice, answers everything, and books no slot twice', async () => {
    if (!database || !fake) throw new Error('setup failed');
    const db = database;
    const webs = processes.filter((p) => p.role === 'web');

    // Contested slots: distinct appraiser-days, so the daily capacity never decides, only the race.
    const from = vietnamDay(new Date());
    const listed = await (await fetch(`${webs[0]?.baseUrl}/api/appraisal/slots?procedure=${PROCEDURE}&from=${from}&days=21`)).json();
    const slots: ApiSlot[] = [];
    const appraiserDays = new Set<string>();
    for (const slot of (listed as { slots: ApiSlot[] }).slots) {
      const key = `${slot.appraiserId}|${vietnamDay(new Date(slot.start))}`;
      if (appraiserDays.has(key)) continue;
      appraiserDays.add(key);
      slots.push(slot);
      if (slots.length === CONTESTED_SLOTS) break;
    }
    expect(slots).toHaveLength(CONTESTED_SLOTS);

    const person = async (p: number): Promise<WebhookOutcome[]> => {
      const outcomes: WebhookOutcome[] = [];
      // One message after another, each through either web process: the order the person wrote in.
      for (let seq = 1; seq <= MESSAGES_EACH; seq++) {
        outcomes.push(await sendZaloText(pick(webs), { userId: `mp-user-${p}`, text: `đăng ký khai sinh cần giấy tờ gì (tin ${seq})`, msgId: msgId(p, seq) }));
      }
      return outcomes;
    };
    const booking = (slot: ApiSlot, caller: number) =>
      postJson(`${webs[caller % webs.length]?.baseUrl}/api/appraisal/bookings`, {
        procedure: PROCEDURE,
        start: slot.start,
        appraiserId: slot.appraiserId,
        businessName: `Đại lý vật tư số ${caller}`,
        address: 'Thôn 3, xã Hòa An',
        phone: '0912 345 678',
      }).then((r) => ({ slot, status: r.status, body: r.body as { error?: string } }));

    const [conversations, bookings] = await Promise.all([
      Promise.all(Array.from({ length: PEOPLE }, (_, p) => person(p))),
      Promise.all(slots.flatMap((slot) => Array.from({ length: CALLERS_PER_SLOT }, (_, caller) => booking(slot, caller)))),
    ]);

    // Every webhook was stored and acknowledged (the database never failed here).
    const outcomes = conversations.flat();
    expect(outcomes.filter((o) => !acknowledged(o))).toEqual([]);

    // Everything is processed and every reply is sent, by whichever processes got there first.
    await eventually(async () => {
      const [row] = await db.query<{ open: string }>(
        `select (select count(*) from inbound_events where status <> 'done')
              + (select count(*) from outbox where dedupe_key like 'reply:%' and status <> 'sent') as open`,
      );
      return Number(row?.open) === 0;
    }, 180_000);

    const events = await db.query<{ id: string; platform_event_id: string; channel_user_id: string }>(
      'select id, platform_event_id, channel_user_id from inbound_events',
    );
    expect(events).toHaveLength(PEOPLE * MESSAGES_EACH);
    const seqByEvent = new Map(events.map((e) => [Number(e.id), seqOf(e.platform_event_id)]));
    const deliveries = await traceDeliveries(db, fake);

    // Nothing sent twice: each CS message the fake got is one piece of one sent row, claimed once.
    expect(deliveries.filter((d) => d.outboxId === undefined)).toEqual([]);
    const pieces = deliveries.map((d) => `${d.outboxId}#${d.piece}`);
    expect(pieces.filter((key, i) => pieces.indexOf(key) !== i)).toEqual([]);

    // Every message answered, and each person's replies arrived in the order the person wrote.
    for (let p = 0; p < PEOPLE; p++) {
      const order = deliveries
        .filter((d) => d.userId === `mp-user-${p}`)
        .map((d) => [seqByEvent.get(d.inboundEventId ?? -1) ?? -1, d.replyIndex ?? -1, d.piece ?? -1] as const);
      const sorted = [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
      expect({ person: p, order }).toEqual({ person: p, order: sorted });
      expect({ person: p, answered: [...new Set(order.map(([seq]) => seq))] }).toEqual({
        person: p,
        answered: Array.from({ length: MESSAGES_EACH }, (_, i) => i + 1),
      });
    }

    // No double booking: one 201 per contested slot, the others told it was taken; one row each.
    for (const slot of slots) {
      const results = bookings.filter((b) => b.slot === slot);
      expect({ slot: slot.start, statuses: results.map((r) => r.status).sort() }).toEqual({
        slot: slot.start,
        statuses: [201, ...Array<number>(CALLERS_PER_SLOT - 1).fill(409)],
      });
      expect(results.filter((r) => r.status === 409).map((r) => r.body.error)).toEqual(Array<string>(CALLERS_PER_SLOT - 1).fill('slot_taken'));
    }
    const booked = await db.query<{ appraiser_id: string; starts_at: Date; n: string }>(
      "select appraiser_id, starts_at, count(*) as n from appraisal_bookings where status = 'booked' group by appraiser_id, starts_at",
    );
    expect(booked.filter((b) => Number(b.n) !== 1)).toEqual([]);
    expect(booked).toHaveLength(CONTESTED_SLOTS);

    // And no process fell over on the way.
    expect(processes.filter((p) => !p.running()).map(describeProcess)).toEqual([]);
    console.info(
      `multi-process: ${outcomes.length} webhooks, ${deliveries.length} CS messages delivered, ${bookings.length} booking calls on ${CONTESTED_SLOTS} slots; webhook ${latencySummary(outcomes)}`,
    );
  }, 420_000);
});
