/** The whole application mounts the appraisal API and `.ics` files, with the sample calendar loaded at start. */
import { postJson, startApp, type RunningApp } from '../support/app';
import { describeEachDatabase } from '../support/db';

describeEachDatabase('appraisal in the assembled app', (getDb) => {
  let app: RunningApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('books a sample slot through the public API and serves its calendar file', async () => {
    app = await startApp(getDb().database, { APPRAISAL_LINK_SECRET: 'app-test-secret' });
    const from = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const res = await fetch(`${app.baseUrl}/api/appraisal/slots?procedure=buon-ban-thuoc-bvtv&from=${from}&days=14`);
    expect(res.status).toBe(200);
    const { slots } = (await res.json()) as { slots: { start: string; appraiserId: string }[] };
    expect(slots.length).toBeGreaterThan(0);
    const created = await postJson(`${app.baseUrl}/api/appraisal/bookings`, {
      procedure: 'buon-ban-thuoc-bvtv',
      start: slots[0]!.start,
      appraiserId: slots[0]!.appraiserId,
      businessName: 'Đại lý thử nghiệm',
      address: 'Thôn 1',
      phone: '0912345678',
    });
    expect(created.status).toBe(201);
    expect(created.body.calendarUrl).toMatch(/^http:\/\/localhost:0\/appraisal\/bookings\//);
    const path = new URL(created.body.calendarUrl).pathname;
    const ics = await fetch(`${app.baseUrl}${path}`);
    expect(ics.status).toBe(200);
    expect(await ics.text()).toContain(`DTSTART:${slots[0]!.start.replace(/[-:]/g, '').replace(/\.\d{3}/, '')}`);
    // The chat's per-transaction service shares the settings (same link for the same booking).
    const booking = await app.services.appraisalFor(getDb().database.db).get(created.body.id);
    expect(app.services.appraisal.calendarUrl(booking!, 'http://localhost:0')).toBe(created.body.calendarUrl);
  });
});
