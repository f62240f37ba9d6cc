/**
 * Wake-ups between web and worker processes (LISTEN/NOTIFY, src/worker/wakeups.ts): PostgreSQL
 * only — PGlite runs web and worker in one process, which nudges itself.
 */
import { Client } from 'pg';
import { testDatabaseUrl } from '../../src/config';
import { createLogger } from '../../src/logger';
import { inboundAcceptor } from '../../src/channels/inbound/store';
import { listenForWakeups, wakeupChannel, wakeupNotifier, type WakeupListener, type WakeupTopic } from '../../src/worker/wakeups';
import { openTestDatabase } from '../support/db';

const url = testDatabaseUrl();
const logger = createLogger('silent');

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function counting() {
  const calls: Record<WakeupTopic, number> = { inbound: 0, outbox: 0 };
  return { calls, handlers: { inbound: () => (calls.inbound += 1), outbox: () => (calls.outbox += 1) } };
}

if (!url) {
  // Visible in the run's output, not silently green.
  console.warn('SKIPPED "worker wake-ups": LISTEN/NOTIFY between processes needs PostgreSQL — set TEST_DATABASE_URL.');
}
(url ? describe : describe.skip)('worker wake-ups (PostgreSQL)', () => {
  let testDb: Awaited<ReturnType<typeof openTestDatabase>>;
  let listener: WakeupListener | undefined;

  beforeAll(async () => {
    testDb = await openTestDatabase('postgres');
  });
  afterEach(async () => {
    await listener?.stop();
    listener = undefined;
  });
  afterAll(async () => {
    await testDb.drop();
  });

  it("wakes the listener for the notified topic only, once it has caught up on connecting", async () => {
    const { calls, handlers } = counting();
    listener = listenForWakeups(testDb.url as string, handlers, logger);
    await until(() => listener?.listening === true, 'listening');
    // On connecting, every handler runs once: work may have arrived while nobody listened.
    expect(calls).toEqual({ inbound: 1, outbox: 1 });
    wakeupNotifier(testDb.database.db, 'inbound', logger)();
    await until(() => calls.inbound === 2, 'the inbound wake-up');
    wakeupNotifier(testDb.database.db, 'outbox', logger)();
    await until(() => calls.outbox === 2, 'the outbox wake-up');
    expect(calls).toEqual({ inbound: 2, outbox: 2 });
  });

  it('folds a burst into a few NOTIFYs, the last one after the last call', async () => {
    const { calls, handlers } = counting();
    listener = listenForWakeups(testDb.url as string, handlers, logger);
    await until(() => listener?.listening === true, 'listening');
    const wake = wakeupNotifier(testDb.database.db, 'inbound', logger);
    for (let i = 0; i < 200; i += 1) wake();
    await until(() => calls.inbound >= 2, 'a wake-up');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // One NOTIFY went out at once, the other 199 calls were folded into one more after it.
    expect(calls.inbound - 1).toBe(2);
  });

  it('reconnects after losing its connection (a server restart) and catches up', async () => {
    const { calls, handlers } = counting();
    listener = listenForWakeups(testDb.url as string, handlers, logger, { firstRetryMs: 50 });
    await until(() => listener?.listening === true, 'listening');
    const admin = new Client({ connectionString: testDb.url });
    await admin.connect();
    try {
      const killed = await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()",
      );
      expect(killed.rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    await until(() => calls.inbound === 2 && listener?.listening === true, 'the reconnection and its catch-up');
    wakeupNotifier(testDb.database.db, 'inbound', logger)();
    await until(() => calls.inbound === 3, 'a wake-up after reconnecting');
  });
  it("is woken by the webhooks' insert itself when it stores a new event, and not by a redelivery", async () => {
    const { calls, handlers } = counting();
    listener = listenForWakeups(testDb.url as string, handlers, logger);
    await until(() => listener?.listening === true, 'listening');
    const accept = inboundAcceptor(testDb.database, { notifyChannel: wakeupChannel('inbound') });
    const event = {
      kind: 'message' as const,
      channel: 'zalo' as const,
      channelUserId: 'wake-u1',
      platformEventId: 'wake-m1',
      occurredAt: new Date('2026-12-07T03:00:00Z'),
      text: 'xin chào',
    };
    await accept([event]);
    await until(() => calls.inbound === 2, 'the wake-up of the insert');
    await accept([event]);
    // A NOTIFY would arrive within milliseconds; the redelivery stored nothing, so nobody is woken.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toEqual({ inbound: 2, outbox: 1 });
  });
});
