/**
 * Reminders 24 h and 1 h before a session, under a controllable clock: the job's `run(now)` is
 * called at chosen instants and the outbox rows are checked — each reminder exactly once, at the
 * right time, on the right route, and never after the session has started.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import { appraisalRemindersJob } from '../../src/appraisal';
import { loadConfig } from '../../src/config';
import { tables } from '../../src/db';
import { createLogger } from '../../src/logger';
import { describeEachDatabase } from '../support/db';
import { NOW, request, seedCalendar, service, vn } from './support';

const job = (db: Parameters<typeof appraisalRemindersJob>[0], env: Record<string, string> = {}) =>
  appraisalRemindersJob(
    db,
    loadConfig({ NODE_ENV: 'test', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tlmc-appr-')), ...env }),
    createLogger('silent'),
  );

describeEachDatabase('appraisal reminders', (getDb) => {
  const db = () => getDb().database.db;
  const outbox = () => db().select().from(tables.outbox).orderBy(asc(tables.outbox.id));
  const keys = async () => (await outbox()).map((r) => r.dedupeKey);

  it('queues the 24 h and the 1 h reminder once each, at their time', async () => {
    await seedCalendar(db());
    const booked = await service(db()).book(request(vn('2026-11-23T09:30'), { channel: 'messenger', channelUserId: 'psid-9', source: 'chat' }), NOW);
    if (!booked.ok) throw new Error('setup failed');
    const id = booked.booking.id;
    const reminders = job(db());
    expect(reminders.schedule).toBe('*/5 * * * *');

    await reminders.run(vn('2026-11-22T09:25'));
    expect(await keys()).toEqual([]);
    await reminders.run(vn('2026-11-22T09:30'));
    expect(await keys()).toEqual([`appraisal:${id}:reminder:24h`]);
    await reminders.run(vn('2026-11-22T09:35'));
    await reminders.run(vn('2026-11-23T08:25'));
    expect(await keys()).toEqual([`appraisal:${id}:reminder:24h`]);
    await reminders.run(vn('2026-11-23T08:30'));
    await reminders.run(vn('2026-11-23T08:35'));
    await reminders.run(vn('2026-11-23T09:25'));
    expect(await keys()).toEqual([`appraisal:${id}:reminder:24h`, `appraisal:${id}:reminder:1h`]);

    const [day, hour] = await outbox();
    expect(day).toMatchObject({ channel: 'messenger', recipient: { userId: 'psid-9' }, purpose: 'appointment_update', status: 'pending' });
    const text = (r: typeof day) => (r?.content as { type: string; reply: { text: string } }).reply.text;
    expect(text(day)).toContain('09:30 thứ Hai, ngày 23/11/2026');
    expect(text(day)).toContain(booked.booking.code);
    expect(text(day)).toContain('Điện thoại trên giá ba chân');
    expect(text(hour)).toContain('còn khoảng 1 giờ nữa');
  });

  it('after downtime sends only the latest reminder due, and nothing once the session started', async () => {
    await seedCalendar(db());
    const s = service(db());
    const a = await s.book(request(vn('2026-11-24T09:30'), { channel: 'messenger', channelUserId: 'p-a', source: 'chat' }), NOW);
    const b = await s.book(request(vn('2026-11-24T10:30'), { channel: 'messenger', channelUserId: 'p-b', source: 'chat' }), NOW);
    if (!a.ok || !b.ok) throw new Error('setup failed');
    // The server was down from Sunday to Tuesday 09:00: a's 1 h reminder is due, b's 24 h passed.
    await job(db()).run(vn('2026-11-24T09:00'));
    expect(await keys()).toEqual([`appraisal:${a.booking.id}:reminder:1h`, `appraisal:${b.booking.id}:reminder:24h`]);
    // Down again until after both sessions started: nothing more.
    await job(db()).run(vn('2026-11-24T10:31'));
    expect(await keys()).toHaveLength(2);
  });

  it('skips a reminder whose time had passed when the booking was made, and cancelled or moved bookings', async () => {
    await seedCalendar(db());
    const s = service(db());
    // Booked on Monday 13:00 for Tuesday 09:30 (20.5 hours ahead): the confirmation was the 24 h notice.
    const late = await s.book(request(vn('2026-11-24T09:30'), { channel: 'messenger', channelUserId: 'p-late', source: 'chat' }), vn('2026-11-23T13:00'));
    const cancelled = await s.book(request(vn('2026-11-24T10:30'), { channel: 'messenger', channelUserId: 'p-c', source: 'chat' }), NOW);
    const moved = await s.book(request(vn('2026-11-24T13:30'), { channel: 'messenger', channelUserId: 'p-m', source: 'chat' }), NOW);
    if (!late.ok || !cancelled.ok || !moved.ok) throw new Error('setup failed');
    await job(db()).run(vn('2026-11-23T14:00'));
    expect(await keys()).toEqual([`appraisal:${cancelled.booking.id}:reminder:24h`, `appraisal:${moved.booking.id}:reminder:24h`]);

    await s.cancel(cancelled.booking.id, 'Hủy', { kind: 'business' }, vn('2026-11-23T15:00'));
    const next = await s.reschedule(moved.booking.id, vn('2026-11-24T15:30'), { kind: 'business' }, vn('2026-11-23T15:00'));
    if (!next.ok) throw new Error('move refused');
    // Nothing ran from Monday 15:00 to Tuesday 08:30: late's 1 h reminder is due, and the moved
    // session (a new row, booked before its own 24 h mark) still gets its 24 h reminder, late.
    await job(db()).run(vn('2026-11-24T08:30'));
    expect((await keys()).slice(2)).toEqual([`appraisal:${late.booking.id}:reminder:1h`, `appraisal:${next.booking.id}:reminder:24h`]);
    await job(db()).run(vn('2026-11-24T14:30'));
    expect((await keys()).slice(4)).toEqual([`appraisal:${next.booking.id}:reminder:1h`]);
    // Nothing for the cancelled booking, nor for the replaced row.
    expect((await keys()).filter((k) => k.includes(cancelled.booking.id) || k.includes(moved.booking.id))).toHaveLength(2);
  });

  it('routes by channel: Zalo CS in the window, ZNS outside it or by phone, and records the undeliverable', async () => {
    await seedCalendar(db());
    const s = service(db());
    await db()
      .insert(tables.channelContacts)
      .values([
        { channel: 'zalo', channelUserId: 'z-recent', lastInboundAt: vn('2026-11-20T07:00') },
        { channel: 'zalo', channelUserId: 'z-old', lastInboundAt: vn('2026-11-10T07:00') },
      ]);
    const book = async (time: string, extra: Parameters<typeof request>[1]) => {
      const r = await s.book(request(vn(`2026-11-23T${time}`), extra), NOW);
      if (!r.ok) throw new Error('setup failed');
      return r.booking;
    };
    const recent = await book('07:30', { channel: 'zalo', channelUserId: 'z-recent', source: 'chat' });
    const old = await book('08:30', { channel: 'zalo', channelUserId: 'z-old', source: 'chat' });
    const api = await book('09:30', {});
    const web = await book('10:30', { channel: 'webchat', channelUserId: 'web-session-1', source: 'chat' });

    await job(db(), { ZNS_TEMPLATE_APPRAISAL_REMINDER: 'tpl-42' }).run(vn('2026-11-22T12:00'));
    const rows = new Map((await outbox()).map((r) => [r.dedupeKey, r]));
    const row = (id: string) => rows.get(`appraisal:${id}:reminder:24h`);
    expect(row(recent.id)).toMatchObject({ channel: 'zalo', recipient: { userId: 'z-recent' }, content: { type: 'reply' }, status: 'pending' });
    const zns = { type: 'template', templateId: 'tpl-42', data: { customer_name: api.businessName, booking_code: api.code, appraisal_date: '23/11/2026', appraisal_time: '09:30' } };
    expect(row(api.id)).toMatchObject({ channel: 'zalo', recipient: { phone: '0912345678' }, content: zns, status: 'pending' });
    expect(row(old.id)).toMatchObject({ channel: 'zalo', recipient: { userId: 'z-old', phone: '0912345678' }, content: { type: 'template', templateId: 'tpl-42' } });
    expect(row(web.id)).toMatchObject({ channel: 'zalo', recipient: { phone: '0912345678' }, content: { type: 'template' } });

    // Without a template, the same reminders are recorded as failed with the reason, not dropped.
    await db().delete(tables.outbox);
    await job(db()).run(vn('2026-11-22T12:00'));
    const failed = (await outbox()).filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.dedupeKey).sort()).toEqual([old.id, api.id, web.id].map((id) => `appraisal:${id}:reminder:24h`).sort());
    expect(failed[0]?.failureReason).toContain('ZNS_TEMPLATE_APPRAISAL_REMINDER');
    expect((await outbox()).filter((r) => r.status === 'pending').map((r) => r.dedupeKey)).toEqual([`appraisal:${recent.id}:reminder:24h`]);
  });
});
