/**
 * Exactly once: two planners (and their outbox drains) running at the same moment on separate
 * connections of a real PostgreSQL server, and a planner that dies mid-batch and is run again.
 * On PGlite (one connection) the same scenarios run serialised.
 */
import { openPostgres, tables, type Database, type Db } from '../../../src/db';
import { planDueReminders, loadLadders } from '../../../src/licences/reminders';
import { recordingChannel } from '../../support/test-channel';
import { describeEachDatabase } from '../../support/db';
import { OutboxWorker } from '../../../src/outbox';
import { DEFAULT_LADDER, i18n, silent, tickAt, vn } from './support';

async function addRegister(db: Db, count: number, expiresOn: string): Promise<string[]> {
  const rows = await db
    .insert(tables.licences)
    .values(Array.from({ length: count }, (_, i) => ({ number: `${i}/EO`, procedureSlug: 'attp', holderName: `Cơ sở ${i}`, expiresOn, source: 'import' as const })))
    .returning({ id: tables.licences.id });
  const ids = rows.map((r) => r.id).sort();
  await db.insert(tables.licenceLinks).values(ids.map((id) => ({ licenceId: id, channel: 'zalo', channelUserId: `zu-${id}`, verifiedBy: 'code' as const })));
  await db.insert(tables.channelContacts).values(ids.map((id) => ({ channel: 'zalo', channelUserId: `zu-${id}`, lastInboundAt: vn('2026-12-28') })));
  return ids;
}

const counts = async (database: Database) => {
  const [row] = await database.query<{ reminders: number; outbox: number; keys: number }>(
    'select (select count(*)::int from licence_reminders) as reminders, (select count(*)::int from outbox) as outbox, (select count(distinct dedupe_key)::int from outbox) as keys',
  );
  return row;
};

describeEachDatabase('reminders exactly once', (getDb) => {
  const database = () => getDb().database;
  const db = () => database().db;
  let second: Database | undefined;
  beforeAll(async () => {
    const url = getDb().url;
    if (url) second = await openPostgres(url, 5);
  });
  afterAll(async () => {
    await second?.close();
  });
  /** The other worker's connection: a second pool on PostgreSQL, the same database on PGlite. */
  const otherDb = () => second?.db ?? db();

  it('two ticks at the same moment plan and send every reminder once', async () => {
    const ids = await addRegister(db(), 120, '2027-01-08');
    const zalo = recordingChannel('zalo');
    const at = vn('2027-01-01', '08:00');
    const [a, b] = await Promise.all([tickAt(db(), { zalo }, at, { batchSize: 7 }), tickAt(otherDb(), { zalo }, at, { batchSize: 7 })]);
    expect((a?.queued ?? 0) + (b?.queued ?? 0)).toBe(120);
    expect(await counts(database())).toEqual({ reminders: 120 * 3, outbox: 120, keys: 120 }); // 60 and 30 recorded as skipped
    const keys = zalo.sent.map((s) => s.message.dedupeKey);
    expect(keys).toHaveLength(120);
    expect(new Set(keys)).toEqual(new Set(ids.map((id) => `licence:${id}:expiry:2027-01-08:7`)));
    // And again, from both: nothing new.
    await Promise.all([tickAt(db(), { zalo }, at), tickAt(otherDb(), { zalo }, at)]);
    expect(zalo.sent).toHaveLength(120);
  });

  it('a planner killed mid-batch loses that batch whole; the re-run sends each reminder once', async () => {
    const ids = await addRegister(db(), 20, '2027-01-08');
    const victim = ids[10];
    // The crash: inserting the 11th licence's outbox row fails, aborting the third batch of four.
    await database().query(`
      create or replace function simulated_crash() returns trigger language plpgsql as $$
      begin
        if new.dedupe_key like 'licence:${victim}:%' then raise exception 'simulated crash mid-batch'; end if;
        return new;
      end $$`);
    await database().query('create trigger simulated_crash before insert on outbox for each row execute function simulated_crash()');
    const ladders = await loadLadders(db(), DEFAULT_LADDER);
    const plan = () =>
      planDueReminders({ db: db(), i18n, ladders, routing: { policies: { zalo: recordingChannel().policy } }, now: vn('2027-01-01'), batchSize: 4 });
    const crash = await plan().then(() => undefined, (err: Error & { cause?: Error }) => err.cause?.message ?? err.message);
    expect(crash).toMatch(/simulated crash mid-batch/);
    // Batches one and two committed; the third left nothing behind (no reminder without its message).
    expect(await counts(database())).toEqual({ reminders: 8 * 3, outbox: 8, keys: 8 });
    const zalo = recordingChannel('zalo');
    await new OutboxWorker({ db: db(), channels: { zalo }, logger: silent, ratePerMinute: {}, maxAttempts: 3 }).drain();
    expect(zalo.sent).toHaveLength(8); // what was committed goes out meanwhile

    await database().query('drop trigger simulated_crash on outbox');
    const rerun = await tickAt(db(), { zalo }, vn('2027-01-01', '09:00'));
    expect(rerun).toMatchObject({ queued: 12, sent: 12 });
    await tickAt(otherDb(), { zalo }, vn('2027-01-01', '10:00'));
    const keys = zalo.sent.map((s) => s.message.dedupeKey);
    expect(keys).toHaveLength(20);
    expect(new Set(keys).size).toBe(20);
  });
});
