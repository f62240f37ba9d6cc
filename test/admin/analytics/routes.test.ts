/**
 * The analytics routes as an attacker and as a closed network see them: each role against each
 * route, period validation with Vietnamese messages, the chart library served by the app itself,
 * and pages that reference nothing outside it.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/db';
import { conversation, inbound, testApp } from './support';

const MARCH = { from: '2026-03-01', to: '2026-03-14' };
const READ_ROUTES = ['/admin/analytics', '/admin/analytics/unanswered', '/admin/analytics/export.csv?report=messages'];
const WRITE_ROUTES = ['/admin/analytics/unanswered/train', '/admin/analytics/unanswered/alias'];

describeEachDatabase('analytics routes', (getDb) => {
  it('lets viewers, officers and admins read, and refuses appraisers (403) and anonymous visitors', async () => {
    const app = testApp(getDb().database.db);
    for (const url of READ_ROUTES) {
      for (const role of ['viewer', 'officer', 'admin']) {
        const res = await request(app).get(url).set('x-test-role', role);
        expect([url, role, res.status]).toEqual([url, role, 200]);
      }
      expect((await request(app).get(url).set('x-test-role', 'appraiser')).status).toBe(403);
      expect((await request(app).get(url)).status).toBe(302);
    }
  });

  it('lets only officers and admins train the bot', async () => {
    const app = testApp(getDb().database.db);
    for (const url of WRITE_ROUTES) {
      for (const role of ['viewer', 'appraiser']) {
        const res = await request(app).post(url).set('x-test-role', role).type('form').send({ text: 'x', intent: 'greeting' });
        expect([url, role, res.status]).toEqual([url, role, 403]);
      }
      // An officer gets past the role check (to a validation error: no such procedure/intent chosen).
      const ok = await request(app).post(url).set('x-test-role', 'officer').type('form').send({ text: 'x' });
      expect(ok.status).toBe(400);
    }
  });

  it('shows the action forms, with the CSRF field, to officers only', async () => {
    const db = getDb().database.db;
    const c = await conversation(db, 'zalo');
    await inbound(db, c, '2026-03-02T01:00:00Z', { text: 'cho hỏi cái này', intent: 'none', score: 0.9 });
    const officer = await request(testApp(db)).get('/admin/analytics/unanswered').query(MARCH).set('x-test-role', 'officer');
    expect(officer.text.match(/<form method="post"[^>]*>\s*<input type="hidden" name="_csrf" value="test-csrf">/g)).toHaveLength(2);
    expect(officer.text).toContain('Thêm làm câu mẫu');
    expect(officer.text).toContain('Thêm làm tên gọi khác');
    const viewer = await request(testApp(db)).get('/admin/analytics/unanswered').query(MARCH).set('x-test-role', 'viewer');
    expect(viewer.text).toContain('cho hỏi cái này');
    expect(viewer.text).not.toContain('<form method="post"');
  });

  it.each([
    [{ from: '2026-02-31', to: '2026-03-05' }, 'Ngày không hợp lệ'],
    [{ from: '01/03/2026', to: '2026-03-05' }, 'Ngày không hợp lệ'],
    [{ from: '2026-03-10', to: '2026-03-01' }, 'Ngày bắt đầu phải trước hoặc trùng ngày kết thúc.'],
    [{ from: '2024-01-01', to: '2026-03-01' }, 'Khoảng thời gian tối đa là 366 ngày.'],
    [{ ...MARCH, channel: 'sms' }, 'Kênh không hợp lệ.'],
  ])('refuses the period %j with a Vietnamese message (400)', async (query, message) => {
    const app = testApp(getDb().database.db);
    for (const url of ['/admin/analytics', '/admin/analytics/unanswered']) {
      const res = await request(app).get(url).query(query).set('x-test-role', 'viewer');
      expect(res.status).toBe(400);
      expect(res.text).toContain(message);
      // The form comes back with what was typed.
      expect(res.text).toContain(`value="${query.from}"`);
    }
    const csv = await request(app).get('/admin/analytics/export.csv').query({ ...query, report: 'messages' }).set('x-test-role', 'viewer');
    expect(csv.status).toBe(400);
    expect(csv.text).toContain(message);
  });

  it('refuses an unknown report', async () => {
    const res = await request(testApp(getDb().database.db)).get('/admin/analytics/export.csv').query({ ...MARCH, report: 'officials' }).set('x-test-role', 'viewer');
    expect(res.status).toBe(400);
    expect(res.text).toBe('Loại báo cáo không hợp lệ. Vui lòng chọn một báo cáo trong trang Thống kê.');
  });

  it('defaults to the last 30 Vietnam days', async () => {
    // The test clock is 2026-03-20T05:00Z (12:00 in Vietnam).
    const res = await request(testApp(getDb().database.db)).get('/admin/analytics').set('x-test-role', 'viewer');
    expect(res.text).toContain('name="from" value="2026-02-19"');
    expect(res.text).toContain('name="to" value="2026-03-20"');
  });

  it('serves Chart.js and its own script locally, as JavaScript, without signing in', async () => {
    const app = testApp(getDb().database.db);
    const chart = await request(app).get('/admin/assets/analytics/chart.umd.js');
    expect(chart.status).toBe(200);
    expect(chart.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(chart.text.length).toBeGreaterThan(100_000);
    expect(chart.text).toMatch(/Chart\.js v4/);
    const own = await request(app).get('/admin/assets/analytics/analytics.js');
    expect(own.status).toBe(200);
    expect(own.headers['content-type']).toMatch(/javascript/);
    expect(own.text).toContain("getElementById('analytics-data')");
    const css = await request(app).get('/admin/assets/analytics/analytics.css');
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('renders pages that load nothing from outside the app and need no inline script', async () => {
    const db = getDb().database.db;
    const c = await conversation(db, 'zalo');
    await inbound(db, c, '2026-03-02T01:00:00Z', { text: 'https://evil.example/x.js', intent: 'none', score: 0.9 });
    for (const url of ['/admin/analytics', '/admin/analytics/unanswered']) {
      const res = await request(testApp(db)).get(url).query(MARCH).set('x-test-role', 'officer');
      expect(res.status).toBe(200);
      const refs = [...res.text.matchAll(/\b(?:src|href|action)="([^"]*)"/g)].map((m) => m[1]!);
      expect(refs.length).toBeGreaterThan(3);
      for (const ref of refs) expect([url, ref, /^\/(?!\/)/.test(ref)]).toEqual([url, ref, true]);
      expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/json")[^>]*>/);
      expect(res.text).not.toMatch(/\son[a-z]+="/);
    }
    const dashboard = await request(testApp(db)).get('/admin/analytics').query(MARCH).set('x-test-role', 'viewer');
    expect(dashboard.text).toContain('<script src="/admin/assets/analytics/chart.umd.js" defer></script><script src="/admin/assets/analytics/analytics.js" defer></script>');
  });
});
