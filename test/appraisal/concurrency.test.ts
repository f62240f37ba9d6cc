/**
 * Never double-booked (issue 6): many simultaneous bookings of one slot, through the service and
 * through the public API. The database's exclusion constraint decides: exactly one wins, every
 * other caller is told the slot was taken and offered other times.
 */
import { sql } from 'drizzle-orm';
import { tables, type Db } from '../../src/db';
import { postJson } from '../support/app';
import { describeEachDatabase } from '../support/db';
import { startApi } from './http';
import { NOW, PROCEDURE, request, seedCalendar, service, vn } from './support';

const CALLERS = 20;

/**
 * `db` whose transactions wait until `parties` of them have been asked for: a booking reads the
 * calendar before its write transaction, so every caller has looked before any of them writes.
 */
function lookupsBeforeWrites(db: Db, parties: number): Db {
  let waiting = 0;
  let openGate!: () => void;
  const gate = new Promise<void>((resolve) => (openGate = resolve));
  return new Proxy(db, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (prop !== 'transaction' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        if (++waiting === parties) openGate();
        await gate;
        return value.apply(target, args);
      };
    },
  });
}

describeEachDatabase('appraisal booking race', (getDb) => {
  const db = () => getDb().database.db;
  const bookedRows = async () =>
    db().select().from(tables.appraisalBookings).where(sql`${tables.appraisalBookings.status} = 'booked'`);

  it(`${CALLERS} simultaneous book() calls for one slot: exactly one ok, the rest slot_taken with alternatives`, async () => {
    await seedCalendar(db());
    const start = vn('2026-11-23T09:30');
    // Separate service instances, as separate requests and chat turns would have.
    const results = await Promise.all(
      Array.from({ length: CALLERS }, (_, i) => service(db()).book(request(start, { businessName: `Cơ sở ${i}` }), NOW)),
    );
    const winners = results.filter((r) => r.ok);
    const losers = results.filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(CALLERS - 1);
    for (const loser of losers) {
      expect(loser).toMatchObject({ ok: false, reason: 'slot_taken' });
      expect(loser.alternatives.length).toBeGreaterThan(0);
      expect(loser.alternatives.map((a) => a.start.getTime())).not.toContain(start.getTime());
    }
    expect(await bookedRows()).toHaveLength(1);
  });

  it('simultaneous bookings of different times for the last session of a day: one ok, the others slot_taken', async () => {
    await seedCalendar(db(), { capacity: 1 });
    const times = ['07:30', '08:30', '09:30', '10:30', '13:30', '14:30'];
    // Every caller looks before anyone writes (else a late look sees a full day, rightly not_available).
    const gated = lookupsBeforeWrites(db(), times.length);
    const results = await Promise.all(times.map((t) => service(gated).book(request(vn(`2026-11-23T${t}`)), NOW)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    // Each time was free when its caller looked: "someone was quicker", not "that time never existed".
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(Array<string>(times.length - 1).fill('slot_taken'));
    expect(await bookedRows()).toHaveLength(1);
  });

  it(`${CALLERS} simultaneous reschedules onto one slot: exactly one moves, the others stay put`, async () => {
    await seedCalendar(db(), { capacity: 20 });
    const s = service(db());
    const days = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-27'];
    const times = ['07:30', '08:30', '09:30', '10:30', '13:30', '14:30'];
    const ids: string[] = [];
    for (const day of days) {
      for (const time of times) {
        if (ids.length === CALLERS) break;
        const r = await s.book(request(vn(`${day}T${time}`)), NOW);
        if (!r.ok) throw new Error(`setup refused: ${r.reason}`);
        ids.push(r.booking.id);
      }
    }
    const target = vn('2026-11-23T15:30');
    const results = await Promise.all(ids.map((id) => service(db()).reschedule(id, target, { kind: 'business' }, NOW)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'slot_taken')).toHaveLength(CALLERS - 1);
    const rows = await db().select().from(tables.appraisalBookings);
    expect(rows.filter((r) => r.status === 'rescheduled')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'booked')).toHaveLength(CALLERS);
  });

  it(`${CALLERS} simultaneous POST /api/appraisal/bookings for one slot: one 201, the rest 409 with alternatives`, async () => {
    await seedCalendar(db());
    const api = await startApi(db(), { now: () => NOW });
    try {
      const body = (i: number) => ({
        procedure: PROCEDURE,
        start: '2026-11-23T09:30:00+07:00',
        businessName: `Đại lý ${i}`,
        address: 'Thôn 1, xã Hòa An',
        phone: '0912 345 678',
      });
      const responses = await Promise.all(Array.from({ length: CALLERS }, (_, i) => postJson(`${api.baseUrl}/api/appraisal/bookings`, body(i))));
      const statuses = responses.map((r) => r.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(CALLERS - 1).fill(409)]);
      for (const r of responses.filter((x) => x.status === 409)) {
        expect(r.body.error).toBe('slot_taken');
        expect(r.body.alternatives.length).toBeGreaterThan(0);
        expect(r.body.alternatives[0]).toEqual({ start: expect.any(String), end: expect.any(String), appraiserId: expect.any(String) });
      }
      expect(await bookedRows()).toHaveLength(1);
    } finally {
      await api.close();
    }
  });
});
