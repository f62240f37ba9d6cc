/** The appraisal service on a real database (PGlite, and PostgreSQL when configured). */
import { eq } from 'drizzle-orm';
import { ZodError } from 'zod';
import { tables } from '../../src/db';
import { describeEachDatabase } from '../support/db';
import { NOW, PROCEDURE, request, seedCalendar, service, vn } from './support';

describeEachDatabase('appraisal service', (getDb) => {
  const db = () => getDb().database.db;

  it('lists free slots from working hours, skipping the holiday and the weekend', async () => {
    await seedCalendar(db());
    const slots = await service(db()).freeSlots({ procedure: PROCEDURE, from: '2026-11-23', days: 7, now: NOW });
    // Mon, Tue, Wed, Fri (Thu 26 is the holiday) × 7 sessions; Sat and Sun closed.
    expect(slots).toHaveLength(28);
    expect(slots[0]?.start.toISOString()).toBe('2026-11-23T00:30:00.000Z');
    expect(slots.some((s) => s.start.toISOString().startsWith('2026-11-26'))).toBe(false);
    expect(await service(db()).freeSlots({ procedure: 'khai-sinh', from: '2026-11-23', days: 7, now: NOW })).toEqual([]);
    expect(await service(db()).freeSlots({ procedure: PROCEDURE, from: '2026-11-23', days: 7, now: NOW, limit: 3 })).toHaveLength(3);
  });

  it('books a free slot: code, normalised phone, status; the slot is gone from the free list', async () => {
    const cal = await seedCalendar(db());
    const s = service(db());
    const result = await s.book(request(vn('2026-11-23T09:30'), { channel: 'zalo', channelUserId: 'z-1', source: 'chat' }), NOW);
    if (!result.ok) throw new Error(`refused: ${result.reason}`);
    const b = result.booking;
    expect(b).toMatchObject({
      procedureSlug: PROCEDURE,
      appraiserId: cal.minh,
      appraiserName: 'Nguyễn Văn Minh',
      status: 'booked',
      phone: '0912345678',
      channel: 'zalo',
      channelUserId: 'z-1',
      source: 'chat',
      rescheduledFrom: null,
      outcome: null,
    });
    expect(b.code).toMatch(/^TĐ-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(b.end.getTime() - b.start.getTime()).toBe(45 * 60_000);
    const [row] = await db().select().from(tables.appraisalBookings).where(eq(tables.appraisalBookings.id, b.id));
    expect(row?.blockedUntil.toISOString()).toBe('2026-11-23T03:30:00.000Z');
    const free = await s.freeSlots({ procedure: PROCEDURE, from: '2026-11-23', days: 1, now: NOW });
    expect(free.map((x) => x.start.toISOString())).not.toContain(b.start.toISOString());
    expect(await s.get(b.id)).toEqual(b);
    expect(await s.findByCode(b.code.toLowerCase().replace('tđ-', 'td '))).toEqual(b);
  });

  it('refuses a taken slot with the next free times, and an impossible one as not_available', async () => {
    await seedCalendar(db());
    const s = service(db());
    expect((await s.book(request(vn('2026-11-23T09:30')), NOW)).ok).toBe(true);
    const again = await s.book(request(vn('2026-11-23T09:30')), NOW);
    expect(again).toMatchObject({ ok: false, reason: 'slot_taken' });
    if (again.ok) return;
    expect(again.alternatives.map((a) => a.start.toISOString())).toEqual(
      ['2026-11-23T03:30', '2026-11-23T06:30', '2026-11-23T07:30', '2026-11-23T08:30', '2026-11-24T00:30'].map((t) => `${t}:00.000Z`),
    );
    for (const start of [vn('2026-11-23T09:00'), vn('2026-11-26T09:30'), vn('2026-11-28T09:30'), vn('2026-11-20T09:30'), vn('2026-11-19T09:30')]) {
      expect(await s.book(request(start), NOW)).toMatchObject({ ok: false, reason: 'not_available' });
    }
    expect(await s.book(request(vn('2026-11-23T09:30'), { procedure: 'khai-sinh' }), NOW)).toEqual({ ok: false, reason: 'unknown_procedure', alternatives: [] });
    await expect(s.book(request(vn('2026-11-23T10:30'), { phone: '12345' }), NOW)).rejects.toBeInstanceOf(ZodError);
    await expect(s.book(request(vn('2026-11-23T10:30'), { businessName: '   ' }), NOW)).rejects.toBeInstanceOf(ZodError);
  });

  it('without an appraiser, fills each free appraiser at that time, then says slot_taken', async () => {
    const cal = await seedCalendar(db(), { twoAppraisers: true });
    const s = service(db());
    const first = await s.book(request(vn('2026-11-23T09:30')), NOW);
    const second = await s.book(request(vn('2026-11-23T09:30')), NOW);
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(new Set([first.booking.appraiserId, second.booking.appraiserId])).toEqual(new Set([cal.minh, cal.lan]));
    expect(await s.book(request(vn('2026-11-23T09:30')), NOW)).toMatchObject({ ok: false, reason: 'slot_taken' });
  });

  it('stops at the daily capacity', async () => {
    await seedCalendar(db(), { capacity: 2 });
    const s = service(db());
    expect((await s.book(request(vn('2026-11-23T07:30')), NOW)).ok).toBe(true);
    expect((await s.book(request(vn('2026-11-23T13:30')), NOW)).ok).toBe(true);
    expect(await s.book(request(vn('2026-11-23T15:30')), NOW)).toMatchObject({ ok: false, reason: 'not_available' });
    expect(await s.freeSlots({ procedure: PROCEDURE, from: '2026-11-23', days: 1, now: NOW })).toEqual([]);
  });

  it('reschedules keeping history; a taken target changes nothing', async () => {
    await seedCalendar(db());
    const s = service(db());
    const original = await s.book(request(vn('2026-11-23T09:30'), { channel: 'messenger', channelUserId: 'psid-1', source: 'chat' }), NOW);
    const other = await s.book(request(vn('2026-11-24T09:30')), NOW);
    if (!original.ok || !other.ok) throw new Error('setup failed');

    const refused = await s.reschedule(original.booking.id, vn('2026-11-24T09:30'), { kind: 'business' }, NOW);
    expect(refused).toMatchObject({ ok: false, reason: 'slot_taken' });
    if (refused.ok) return;
    expect(refused.alternatives.length).toBeGreaterThan(0);
    const all = await db().select().from(tables.appraisalBookings);
    expect(all).toHaveLength(2);
    expect(all.find((r) => r.id === original.booking.id)).toMatchObject({ status: 'booked', replacedBy: null });

    // Moving by one slot within the blocked range of itself works: the old time is freed first.
    const moved = await s.reschedule(original.booking.id, vn('2026-11-23T10:30'), { kind: 'business' }, NOW);
    if (!moved.ok) throw new Error(`refused: ${moved.reason}`);
    expect(moved.booking).toMatchObject({ status: 'booked', rescheduledFrom: original.booking.id, channel: 'messenger', channelUserId: 'psid-1' });
    expect(moved.booking.code).not.toBe(original.booking.code);
    const [old] = await db().select().from(tables.appraisalBookings).where(eq(tables.appraisalBookings.id, original.booking.id));
    expect(old).toMatchObject({ status: 'rescheduled', replacedBy: moved.booking.id });
    // The old code still finds the live booking; the old time is free again.
    expect((await s.findByCode(original.booking.code))?.id).toBe(moved.booking.id);
    expect((await s.book(request(vn('2026-11-23T09:30')), NOW)).ok).toBe(true);
    expect(await s.upcomingFor('messenger', 'psid-1', NOW)).toEqual([moved.booking]);
    // The closed row cannot be moved again.
    expect(await s.reschedule(original.booking.id, vn('2026-11-25T09:30'), { kind: 'business' }, NOW)).toEqual({ ok: false, reason: 'not_changeable', alternatives: [] });
    // A business's own move sends no notice (the chat answers it); no outbox rows.
    expect(await db().select().from(tables.outbox)).toHaveLength(0);
  });

  it('cancels once; the time is free again; only officials’ changes notify the business', async () => {
    await seedCalendar(db());
    const s = service(db());
    const a = await s.book(request(vn('2026-11-23T09:30'), { channel: 'messenger', channelUserId: 'psid-2', source: 'chat' }), NOW);
    const b = await s.book(request(vn('2026-11-23T10:30'), { channel: 'messenger', channelUserId: 'psid-2', source: 'chat' }), NOW);
    if (!a.ok || !b.ok) throw new Error('setup failed');

    const cancelled = await s.cancel(a.booking.id, 'Không còn nhu cầu', { kind: 'business' }, NOW);
    expect(cancelled).toMatchObject({ id: a.booking.id, status: 'cancelled' });
    expect(await s.cancel(a.booking.id, 'again', { kind: 'business' }, NOW)).toBeUndefined();
    expect(await s.cancel('00000000-0000-4000-8000-000000000000', 'x', { kind: 'business' }, NOW)).toBeUndefined();
    expect(await s.get('not-a-uuid')).toBeUndefined();
    expect(await s.upcomingFor('messenger', 'psid-2', NOW)).toEqual([b.booking]);
    expect((await s.book(request(vn('2026-11-23T09:30')), NOW)).ok).toBe(true);
    expect(await db().select().from(tables.outbox)).toHaveLength(0);

    await s.cancel(b.booking.id, 'Cán bộ thẩm định bận đột xuất', { kind: 'official', officialId: '00000000-0000-4000-8000-000000000001' }, NOW);
    const outbox = await db().select().from(tables.outbox);
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({
      dedupeKey: `appraisal:${b.booking.id}:cancelled`,
      channel: 'messenger',
      recipient: { userId: 'psid-2' },
      purpose: 'appointment_update',
      status: 'pending',
    });
    const text = (outbox[0]?.content as { reply: { text: string } }).reply.text;
    expect(text).toContain(b.booking.code);
    expect(text).toContain('10:30 thứ Hai, ngày 23/11/2026');
    expect(text).toContain('Cán bộ thẩm định bận đột xuất');
  });

  it("an official's move notifies the business with the new time", async () => {
    await seedCalendar(db());
    const s = service(db());
    const a = await s.book(request(vn('2026-11-23T09:30'), { channel: 'messenger', channelUserId: 'psid-3', source: 'chat' }), NOW);
    if (!a.ok) throw new Error('setup failed');
    const moved = await s.reschedule(a.booking.id, vn('2026-11-25T14:30'), { kind: 'official', officialId: '00000000-0000-4000-8000-000000000001' }, NOW);
    if (!moved.ok) throw new Error(`refused: ${moved.reason}`);
    const [notice] = await db().select().from(tables.outbox);
    expect(notice?.dedupeKey).toBe(`appraisal:${a.booking.id}:rescheduled`);
    const text = (notice?.content as { reply: { text: string } }).reply.text;
    expect(text).toContain('từ 09:30 thứ Hai, ngày 23/11/2026 sang 14:30 thứ Tư, ngày 25/11/2026');
    expect(text).toContain(moved.booking.code);
  });

  it('lists bookings between two instants and the appraisers', async () => {
    const cal = await seedCalendar(db(), { twoAppraisers: true });
    const s = service(db());
    await s.book(request(vn('2026-11-23T09:30'), { appraiserId: cal.lan }), NOW);
    await s.book(request(vn('2026-11-24T09:30'), { appraiserId: cal.minh }), NOW);
    expect(await s.bookingsBetween(vn('2026-11-23T00:00'), vn('2026-11-24T00:00'))).toHaveLength(1);
    expect(await s.bookingsBetween(vn('2026-11-23T00:00'), vn('2026-11-25T00:00'), cal.lan)).toHaveLength(1);
    expect((await s.appraisers()).map((a) => a.name)).toEqual(['Nguyễn Văn Minh', 'Trần Thị Lan']);
  });
});
