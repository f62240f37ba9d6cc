/** The public appraisal API (DESIGN.md §4.2) and the `.ics` calendar files. */
import { postJson } from '../support/app';
import { describeEachDatabase } from '../support/db';
import { startApi, type ApiServer } from './http';
import { LINK_SECRET, NOW, PROCEDURE, seedCalendar, service, vn } from './support';
import { calendarToken } from '../../src/appraisal';

const body = (overrides: Record<string, unknown> = {}) => ({
  procedure: PROCEDURE,
  start: '2026-11-23T02:30:00Z',
  businessName: 'Đại lý thuốc BVTV Minh Phát',
  address: 'Số 5, thôn Đông, xã Hòa An',
  phone: '(+84) 912 345 678',
  ...overrides,
});

describeEachDatabase('appraisal API', (getDb) => {
  const db = () => getDb().database.db;
  let api: ApiServer | undefined;
  const url = (p: string) => `${api!.baseUrl}${p}`;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('GET /api/appraisal/slots lists free slots as ISO UTC strings', async () => {
    const cal = await seedCalendar(db());
    api = await startApi(db(), { now: () => NOW });
    const res = await fetch(url(`/api/appraisal/slots?procedure=${PROCEDURE}&from=2026-11-23&days=2`));
    expect(res.status).toBe(200);
    const json = (await res.json()) as { slots: { start: string; end: string; appraiserId: string }[] };
    expect(json.slots).toHaveLength(14);
    expect(json.slots[0]).toEqual({ start: '2026-11-23T00:30:00.000Z', end: '2026-11-23T01:15:00.000Z', appraiserId: cal.minh });

    for (const bad of ['procedure=&from=2026-11-23', `procedure=${PROCEDURE}&from=23/11/2026`, `procedure=${PROCEDURE}&from=2026-02-30`, `procedure=${PROCEDURE}&from=2026-11-23&days=99`]) {
      const r = await fetch(url(`/api/appraisal/slots?${bad}`));
      expect(r.status).toBe(400);
      const json = (await r.json()) as { error: string; issues: { path: string; message: string }[] };
      expect(json.error).toBe('invalid request');
      expect(json.issues[0]).toEqual({ path: expect.any(String), message: expect.any(String) });
    }
    const unknown = await fetch(url('/api/appraisal/slots?procedure=khai-sinh&from=2026-11-23'));
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ issues: [{ path: 'procedure' }] });
  });

  it('POST /api/appraisal/bookings: 201, then 409 with alternatives, 400 with issues', async () => {
    await seedCalendar(db());
    api = await startApi(db(), { now: () => NOW });
    const created = await postJson(url('/api/appraisal/bookings'), body());
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      code: expect.stringMatching(/^TĐ-/),
      start: '2026-11-23T02:30:00.000Z',
      end: '2026-11-23T03:15:00.000Z',
      appraiserId: expect.any(String),
      status: 'booked',
      calendarUrl: expect.stringMatching(/^https:\/\/motcua\.example\.gov\.vn\/appraisal\/bookings\/[0-9a-f-]{36}\/[A-Za-z0-9_-]{32}\.ics$/),
    });
    expect((await service(db()).get(created.body.id))?.phone).toBe('0912345678');

    // The same instant written in Vietnam time is the same slot.
    const taken = await postJson(url('/api/appraisal/bookings'), body({ start: '2026-11-23T09:30:00+07:00' }));
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ error: 'slot_taken', message: expect.stringContaining('vừa có người đặt') });
    expect(taken.body.alternatives[0]).toEqual({ start: '2026-11-23T03:30:00.000Z', end: '2026-11-23T04:15:00.000Z', appraiserId: expect.any(String) });

    const closed = await postJson(url('/api/appraisal/bookings'), body({ start: '2026-11-26T02:30:00Z' }));
    expect(closed.status).toBe(409);
    expect(closed.body.error).toBe('not_available');

    const invalid = await postJson(url('/api/appraisal/bookings'), { procedure: PROCEDURE, start: '2026-11-23 09:30', businessName: '', phone: '123' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toBe('invalid request');
    expect(invalid.body.issues.map((i: { path: string }) => i.path).sort()).toEqual(['address', 'businessName', 'phone', 'start']);

    const unknown = await postJson(url('/api/appraisal/bookings'), body({ procedure: 'khai-sinh' }));
    expect(unknown).toMatchObject({ status: 400, body: { issues: [{ path: 'procedure' }] } });
  });

  it('limits requests per client address (429 with Retry-After)', async () => {
    await seedCalendar(db());
    api = await startApi(db(), { now: () => NOW, ratePerMinute: 3 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(url(`/api/appraisal/slots?procedure=${PROCEDURE}&from=2026-11-23`))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await fetch(url(`/api/appraisal/slots?procedure=${PROCEDURE}&from=2026-11-23`));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: 'rate_limited' });
  });

  it('serves the .ics only with the right token; a cancelled booking becomes STATUS:CANCELLED', async () => {
    await seedCalendar(db());
    api = await startApi(db(), { now: () => NOW });
    const s = service(db());
    const booked = await s.book(
      { procedure: PROCEDURE, start: vn('2026-11-23T09:30'), businessName: 'Cửa hàng Bình An; chi nhánh 2, Hòa An', address: 'Thôn 3', phone: '0912345678', source: 'api' },
      NOW,
    );
    if (!booked.ok) throw new Error('setup failed');
    const link = s.calendarUrl(booked.booking, api.baseUrl);
    expect(link).toBe(`${api.baseUrl}/appraisal/bookings/${booked.booking.id}/${calendarToken(LINK_SECRET, booked.booking.id)}.ics`);

    const res = await fetch(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const ics = await res.text();
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toContain('\n');
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('METHOD:PUBLISH\r\n');
    expect(unfolded).toContain(`UID:appraisal-${booked.booking.id}@motcua.example.gov.vn\r\n`);
    expect(unfolded).toContain('DTSTAMP:20261120T010000Z\r\n');
    expect(unfolded).toContain('DTSTART:20261123T023000Z\r\n');
    expect(unfolded).toContain('DTEND:20261123T031500Z\r\n');
    expect(unfolded).toContain('STATUS:CONFIRMED\r\n');
    expect(unfolded).toContain(`SUMMARY:Thẩm định từ xa: buon-ban-thuoc-bvtv (${booked.booking.code})\r\n`);
    expect(unfolded).toContain('Cửa hàng Bình An\\; chi nhánh 2\\, Hòa An');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);

    for (const bad of [link.replace(/[A-Za-z0-9_-]{32}\.ics$/, 'A'.repeat(32) + '.ics'), link.replace('.ics', '.txt'), `${api.baseUrl}/appraisal/bookings/nope/${'A'.repeat(32)}.ics`]) {
      expect((await fetch(bad)).status).toBe(404);
    }

    await s.cancel(booked.booking.id, 'Hủy thử', { kind: 'business' }, NOW);
    const cancelled = (await (await fetch(link)).text()).replace(/\r\n /g, '');
    expect(cancelled).toContain('STATUS:CANCELLED\r\n');
    expect(cancelled).toContain('SEQUENCE:1\r\n');
    expect(cancelled).not.toContain('BEGIN:VALARM');
  });
});
