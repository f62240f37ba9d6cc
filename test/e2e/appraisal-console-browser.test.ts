/**
 * The appraisal console in a real browser (Debian's chromium via playwright-core) against the real
 * app: an appraiser signs in, opens the week from the navigation, opens today's session, ticks the
 * checklist (saved by the page's script as the boxes are ticked, no button pressed), records
 * "Đạt" and sees the certificate number the register now holds. No CSP violation, no page error,
 * no request leaving the app, no failed response. Screenshots go to /tmp/console-shots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { tables } from '../../src/db';
import { launchChromium, openWatchedPage } from '../support/browser';
import { describeEachDatabase } from '../support/db';
import { eventually, startApp, type RunningApp } from '../support/app';
import { createOfficial } from '../admin/auth/support';

const SHOTS_DIR = '/tmp/console-shots';

/** The strings the pages show (locales/vi), written out so a changed text is noticed. */
const UI = {
  login: { email: 'Email', password: 'Mật khẩu', submit: 'Đăng nhập' },
  nav: 'Thẩm định từ xa',
  calendarTitle: 'Lịch thẩm định từ xa',
  saved: 'Đã lưu.',
  passed: 'Đạt',
  notes: 'Ghi chú',
  submitOutcome: 'Ghi nhận kết quả',
  passedFlash: 'Đã ghi nhận kết quả Đạt và cấp giấy chứng nhận.',
};

const VN_OFFSET_MS = 7 * 3_600_000;
const vnClock = (at: Date) => new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(11, 16);

let browser: Browser | undefined;

beforeAll(async () => {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describeEachDatabase('appraisal console in a browser', (getDb) => {
  let app: RunningApp;
  const contexts: BrowserContext[] = [];

  beforeEach(async () => {
    app = await startApp(getDb().database);
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    await app?.close();
  });

  it('lets an appraiser open the week, tick the checklist, record "passed" and read the licence number', async () => {
    const db = getDb().database.db;
    const q = <T>(text: string, params: unknown[] = []) => getDb().database.query<T>(text, params);
    const me = await createOfficial(db, { role: 'appraiser', email: 'tham-dinh.hoa@mot-cua.test', name: 'Võ Thị Hòa' });
    // The sample calendar (seeded at start) holds the BVTV type; the appraiser gets their own row.
    const [type] = await q<{ checklist: { key: string; label: string }[] }>("select checklist from appraisal_types where procedure_slug = 'buon-ban-thuoc-bvtv'");
    expect(type?.checklist.length).toBeGreaterThan(2);
    const [appraiser] = await db
      .insert(tables.appraisers)
      .values({ name: 'Võ Thị Hòa', officialId: me.id, procedures: ['buon-ban-thuoc-bvtv'], workingHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '23:59' }] })
      .returning();
    // A session that began a few minutes ago, today in Vietnam (never before today's midnight there).
    const now = Date.now();
    const vnMidnight = Math.floor((now + VN_OFFSET_MS) / 86_400_000) * 86_400_000 - VN_OFFSET_MS;
    const start = new Date(Math.max(now - 5 * 60_000, vnMidnight + 60_000));
    const end = new Date(start.getTime() + 45 * 60_000);
    const [booking] = await db
      .insert(tables.appraisalBookings)
      .values({
        code: 'TĐ-E2E001',
        procedureSlug: 'buon-ban-thuoc-bvtv',
        appraiserId: appraiser!.id,
        startsAt: start,
        endsAt: end,
        blockedUntil: end,
        businessName: 'Cửa hàng Vật tư Nông nghiệp Phú Lộc',
        address: 'Thôn 2, xã Phú Lộc',
        phone: '0905123456',
        channel: 'zalo',
        channelUserId: 'zalo-e2e-1',
        source: 'chat',
      })
      .returning();

    const base = app.baseUrl;
    const { page, problems, failures } = await openWatchedPage(browser!, contexts, base, { width: 1280, height: 900 });
    await page.goto(`${base}/admin/login`);
    await page.getByLabel(UI.login.email, { exact: true }).fill(me.email);
    await page.getByLabel(UI.login.password, { exact: true }).fill(me.password);
    await page.getByRole('button', { name: UI.login.submit, exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin');

    // --- The week, from the navigation ------------------------------------------------------------
    await page.locator('#site-nav').getByRole('link', { name: UI.nav, exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/admin/appraisal');
    expect(await page.locator('h1').textContent()).toBe(UI.calendarTitle);
    expect(await page.locator('.appraisal-week > section').count()).toBe(7);
    const block = page.locator('.appraisal-session', { hasText: 'Cửa hàng Vật tư Nông nghiệp Phú Lộc' });
    await block.waitFor();
    expect(await block.locator('.appraisal-time').innerText()).toBe(`${vnClock(start)}–${vnClock(end)}`);
    expect(await page.locator('.appraisal-day.today').count()).toBe(1);
    expect(await page.locator('.appraisal-day.today .appraisal-session').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'appraisal-week.png'), fullPage: true });

    // --- The session: details, then tick the checklist as the call goes -------------------------
    await block.getByRole('link').click();
    await page.waitForURL((url) => url.pathname === `/admin/appraisal/sessions/${booking!.id}`);
    expect(await page.locator('a[href="tel:0905123456"]').innerText()).toBe('0905123456');
    const boxes = page.locator('#appraisal-checklist input[name="ticked"]');
    const total = await boxes.count();
    expect(total).toBe(type!.checklist.length);
    for (let i = 0; i < total; i += 1) await boxes.nth(i).check();
    await page.locator('#checklist-status', { hasText: UI.saved }).waitFor();
    await eventually(async () => {
      const [row] = await q<{ checklist_results: Record<string, boolean> }>('select checklist_results from appraisal_bookings where id = $1', [booking!.id]);
      return Object.values(row?.checklist_results ?? {}).filter(Boolean).length === total;
    });
    await page.locator('[data-checklist-count]', { hasText: `${total}/${total}` }).waitFor();
    await page.screenshot({ path: path.join(SHOTS_DIR, 'appraisal-session.png'), fullPage: true });
    // The ticks survive a reload: they are in the database, not only on the screen.
    await page.reload();
    expect(await page.locator('#appraisal-checklist input[name="ticked"]:checked').count()).toBe(total);

    // --- Outcome: passed -> licence number ----------------------------------------------------------
    await page.getByLabel(UI.passed, { exact: true }).check();
    await page.getByLabel(UI.notes, { exact: true }).fill('Cơ sở đáp ứng đủ các điều kiện.');
    await page.getByRole('button', { name: UI.submitOutcome, exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'passed');
    await page.locator('.flash.success', { hasText: UI.passedFlash }).waitFor();
    const shown = (await page.locator('#licence-number').innerText()).trim();
    expect(shown).toMatch(/^\d+\/\d{4}\/GCN-BVTV$/);
    const licences = await q<{ number: string; booking_id: string }>("select number, booking_id from licences where source = 'appraisal'");
    expect(licences).toEqual([{ number: shown, booking_id: booking!.id }]);
    expect(await q("select licence_id from licence_links where channel = 'zalo' and channel_user_id = 'zalo-e2e-1'")).toHaveLength(1);
    expect(await page.locator('#appraisal-checklist').count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS_DIR, 'appraisal-passed.png'), fullPage: true });

    expect(problems).toEqual([]);
    expect(failures).toEqual([]);
  });
});
