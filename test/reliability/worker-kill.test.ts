/**
 * A worker process killed with SIGKILL (a crash, an OOM kill, a host going down) in the middle of
 * delivering 10,000 outbox messages, then restarted: every message reaches the (fake) Zalo platform
 * and every outbox row ends `sent`.
 *
 * What "exactly once" can mean across a crash. The worker sends a message, THEN records it as sent
 * (src/outbox/worker.ts `sendAndRecord`); a row stays `sending` until then, and a claim that is never
 * finished is taken over when it expires (src/outbox/store.ts `claimDue`). A message the platform
 * accepted in the instant before the kill, whose "sent" was not yet committed, is therefore sent
 * again by the restarted worker: the Zalo customer-service API takes no idempotency key (the fake
 * mirrors it), so neither side can tell the repeat from a new message. No ordering of "send" and
 * "record" avoids this (recording first would instead LOSE the message if the kill came before the
 * send). So the strongest true property, asserted here, is:
 * - every outbox row ends `sent`;
 * - a message that was not in flight at the kill arrives exactly once;
 * - a message in flight at the kill — its row claimed by the dead worker and never recorded, so
 *   `sending` once the database has finished the dead worker's last statements — arrives exactly
 *   once after the restart, and at most once before it: only these can repeat (at most the two
 *   batches a worker holds), and only those the platform had accepted from the dead worker;
 * - each person's messages first arrive in the order they were queued.
 */
import { createDataDir, describeOnPostgres, describeProcess, startAppProcess, waitForSessionsToEnd, type AppProcess } from './support/processes';
import {
  backlogProgress,
  countByText,
  deliveries,
  enqueueBacklog,
  messageNumber,
  messageText,
  waitUntilSettled,
  zaloBacklog,
  zaloOnPostgres,
  type ZaloOnPostgres,
} from './support/outbox-backlog';

const MESSAGES = 10_000;
const USERS = 1_000;
/** Kill once this many have arrived: well into the run, well before its end. */
const KILL_AFTER = 3_000;
/**
 * Most rows a worker holds claimed: the batch being delivered and the next one, claimed while the
 * first is paced out (src/outbox/worker.ts `drain`; 50 a batch by default).
 */
const MAX_CLAIMED = 2 * 50;
/** Each send takes this long at the fake, so a batch's sends are in flight together when the kill lands. */
const FAKE_DELAY_MS = 15;

describeOnPostgres('outbox delivery across a worker crash (worker processes on PostgreSQL)', () => {
  let setting: ZaloOnPostgres | undefined;
  afterAll(() => setting?.close());

  it('delivers 10,000 messages after a SIGKILL mid-batch: none lost, only the killed batch may repeat', async () => {
    setting = await zaloOnPostgres();
    const { db, fake } = setting;
    fake.setDelay(FAKE_DELAY_MS, ['cs']);
    const backlog = zaloBacklog('kill', MESSAGES, USERS);
    await enqueueBacklog(db.database, backlog);

    // Pacing far above the delivery speed: the test is about the crash, not about waiting.
    const env = { ...setting.env, OUTBOX_RATE_ZALO_PER_MINUTE: '600000' };
    const dataDir = createDataDir();
    const spawnedAt = new Date();
    const first: AppProcess = await startAppProcess({ role: 'worker', env, dataDir, name: 'worker #1' });
    // (No database query until the kill: see waitForSessionsToEnd.)
    const until = Date.now() + 180_000;
    while (fake.received.length < KILL_AFTER) {
      if (!first.running() || Date.now() > until) throw new Error(`${fake.received.length} delivered before the kill point; ${describeProcess(first)}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    const killed = await first.kill();
    const killedAt = new Date();
    expect(killed.signal).toBe('SIGKILL');
    await waitForSessionsToEnd(db.database, spawnedAt, killedAt);
    const atKill = deliveries(fake, backlog).length;
    expect(atKill).toBeLessThan(MESSAGES); // the kill landed mid-run (else raise FAKE_DELAY_MS)
    // The dead worker's claimed batches: rows it took and never recorded.
    const inFlight = new Set(
      (await db.database.query<{ text: string }>(`select content->'reply'->>'text' as text from outbox where status = 'sending' and dedupe_key like 'kill:%'`)).map((r) => r.text),
    );
    expect(inFlight.size).toBeGreaterThan(0); // the kill landed mid-batch, not between two batches
    expect(inFlight.size).toBeLessThanOrEqual(MAX_CLAIMED);

    const restartedAt = new Date();
    const second = await startAppProcess({ role: 'worker', env, dataDir, name: 'worker #2' });
    // The rows in flight at the kill wait for their claim to expire (60 s) before the new worker takes them over.
    await waitUntilSettled(db.database, backlog, 240_000, () => describeProcess(second));
    const stopped = await second.stop();
    expect(stopped.code).toBe(0);

    expect(await backlogProgress(db.database, backlog)).toEqual({ sent: MESSAGES });

    const all = deliveries(fake, backlog);
    const counts = countByText(all);
    const beforeRestart = countByText(all.filter((d) => d.at < restartedAt));
    const afterRestart = countByText(all.filter((d) => d.at >= restartedAt));
    const problems: string[] = [];
    for (const m of backlog.messages) {
      const text = messageText(m);
      const total = counts.get(text) ?? 0;
      if (!inFlight.has(text)) {
        if (total !== 1) problems.push(`${text}: not in flight at the kill, arrived ${total} times`);
      } else if ((afterRestart.get(text) ?? 0) !== 1 || (beforeRestart.get(text) ?? 0) > 1) {
        problems.push(`${text}: in flight at the kill, arrived ${beforeRestart.get(text) ?? 0} times before and ${afterRestart.get(text) ?? 0} after the restart`);
      }
    }
    for (const d of all) if (backlog.recipientOf.get(d.text) !== d.userId) problems.push(`${d.text}: went to ${d.userId}`);
    const warnings = [first, second].flatMap((p) => p.output().split('\n').filter((l) => /"level":(40|50|60)/.test(l)));
    if (problems.length > 0) console.log(`worker warnings and errors:\n${warnings.slice(0, 50).join('\n')}`);
    expect(problems.slice(0, 20)).toEqual([]);

    // Each person's messages first arrived in the order they were queued (a repeat comes later).
    const firstSeen = new Set<string>();
    const lastNumber = new Map<string, number>();
    for (const d of all) {
      if (firstSeen.has(d.text)) continue;
      firstSeen.add(d.text);
      const n = messageNumber(d.text);
      if ((lastNumber.get(d.userId) ?? -1) > n) problems.push(`${d.userId}: ${d.text} after #${lastNumber.get(d.userId)}`);
      lastNumber.set(d.userId, n);
    }
    expect(problems.slice(0, 20)).toEqual([]);

    const repeated = [...counts.values()].filter((n) => n > 1).length;
    console.log(
      `worker-kill: ${all.length} deliveries of ${MESSAGES} messages; killed after ${atKill}, ${inFlight.size} in flight, ` +
        `${repeated} of them had reached the platform and arrived twice; ${warnings.length} worker warnings`,
    );
  }, 420_000);
});
