/**
 * The appraisal calendar over HTTP on the real console stack: who may open it, Vietnam times,
 * Monday-first weeks, day view, navigation, and whose sessions an appraiser and an officer see.
 */
import request from 'supertest';
import { describeEachDatabase } from '../../support/db';
import { appraisalHarness, i18n } from './support';

describeEachDatabase('appraisal calendar', (getDb) => {
  const h = appraisalHarness(getDb);

  it('opens for appraisers, officers and admins; refuses viewers; sends strangers to sign in', async () => {
    for (const who of ['appraiser', 'officer', 'admin'] as const) {
      const res = await (await h.as(who)).agent.get('/admin/appraisal');
      expect(`${who} ${res.status}`).toBe(`${who} 200`);
      expect(res.text).toContain(`href="/admin/appraisal" aria-current="page">${i18n.t('admin-appraisal.nav')}</a>`);
    }
    const viewer = await h.as('viewer');
    for (const path of ['/admin/appraisal', '/admin/appraisal/availability']) {
      const res = await viewer.agent.get(path);
      expect(res.status).toBe(403);
      expect(res.text).not.toContain('href="/admin/appraisal"');
    }
    const stranger = await request(h.app()).get('/admin/appraisal?view=day');
    expect(stranger.status).toBe(302);
    expect(stranger.headers.location).toBe(`/admin/login?next=${encodeURIComponent('/admin/appraisal?view=day')}`);
  });

  it('shows a Monday-first week in Vietnam time, with business, procedure and status', async () => {
    // Tuesday 24/11 08:30 in Vietnam is 01:30 UTC; Sunday 29/11 23:30 in Vietnam is still Sunday there.
    await h.insertSession({ startsAt: new Date('2026-11-24T01:30:00Z'), businessName: 'Đại lý <Phân bón> Minh Tâm' });
    await h.insertSession({ startsAt: new Date('2026-11-29T16:30:00Z'), businessName: 'Cửa hàng Chủ Nhật' });
    await h.insertSession({ startsAt: new Date('2026-11-30T02:00:00Z'), businessName: 'Cơ sở tuần kế tiếp' });
    await h.insertSession({ startsAt: new Date('2026-11-25T02:00:00Z'), businessName: 'Cơ sở đã dời', status: 'rescheduled' });
    const me = await h.as('appraiser');
    // Asked for a Thursday: the week shown starts on the Monday before it.
    const res = await me.agent.get('/admin/appraisal?view=week&date=2026-11-26');
    expect(res.status).toBe(200);
    expect(res.text).toContain(i18n.t('admin-appraisal.calendar.weekOf', { from: '23/11/2026', to: '29/11/2026' }));
    const days = [...res.text.matchAll(/<h2 id="day-(\d{4}-\d{2}-\d{2})">/g)].map((m) => m[1]);
    expect(days).toEqual(['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29']);
    const tuesday = res.text.slice(res.text.indexOf('id="day-2026-11-24"'), res.text.indexOf('id="day-2026-11-25"'));
    expect(tuesday).toContain('<time datetime="2026-11-24T01:30:00.000Z">08:30</time>–<time datetime="2026-11-24T02:15:00.000Z">09:15</time>');
    expect(tuesday).toContain('Đại lý &lt;Phân bón&gt; Minh Tâm');
    expect(tuesday).toContain('Cấp giấy chứng nhận đủ điều kiện buôn bán thuốc BVTV');
    expect(tuesday).toContain(i18n.t('admin-appraisal.status.booked'));
    const sunday = res.text.slice(res.text.indexOf('id="day-2026-11-29"'));
    expect(sunday).toContain('>23:30</time>');
    expect(sunday).toContain('Cửa hàng Chủ Nhật');
    expect(res.text).not.toContain('Cơ sở tuần kế tiếp');
    expect(res.text).not.toContain('Cơ sở đã dời');
    // Navigation by whole weeks, and back to today's week.
    expect(res.text).toContain('href="/admin/appraisal?view=week&amp;date=2026-11-19&amp;appraiser=');
    expect(res.text).toContain('href="/admin/appraisal?view=week&amp;date=2026-12-03&amp;appraiser=');
    expect(res.text).toContain('href="/admin/appraisal?view=week&amp;date=2026-11-23&amp;appraiser=');
  });

  it('shows one day as a table; today by default comes from the Vietnam clock', async () => {
    await h.insertSession({ startsAt: new Date('2026-11-23T02:00:00Z'), businessName: 'Sáng nay' });
    await h.insertSession({ startsAt: new Date('2026-11-22T16:59:00Z'), businessName: 'Đêm Chủ nhật' });
    const me = await h.as('appraiser');
    const res = await me.agent.get('/admin/appraisal?view=day');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<caption>Thứ Hai, 23/11/2026</caption>');
    expect(res.text).toContain('>09:00</time>');
    expect(res.text).toContain('Sáng nay');
    expect(res.text).not.toContain('Đêm Chủ nhật');
    expect(res.text).toContain('href="/admin/appraisal?view=day&amp;date=2026-11-22&amp;appraiser=');
    const empty = await me.agent.get('/admin/appraisal?view=day&date=2026-11-28');
    expect(empty.text).toContain(i18n.t('admin-appraisal.calendar.emptyDay'));
    // A nonsense date falls back to today instead of failing.
    expect((await me.agent.get('/admin/appraisal?view=day&date=2026-02-30')).text).toContain('<caption>Thứ Hai, 23/11/2026</caption>');
  });

  it('opens an appraiser on their own sessions, an officer on everyone\'s, and filters by appraiser', async () => {
    await h.insertSession({ startsAt: new Date('2026-11-24T01:30:00Z'), businessName: 'Của tôi' });
    await h.insertSession({ startsAt: new Date('2026-11-24T02:30:00Z'), businessName: 'Của đồng nghiệp', appraiserId: h.colleagueId() });
    const me = await h.as('appraiser');
    const mine = await me.agent.get('/admin/appraisal');
    expect(mine.text).toContain('Của tôi');
    expect(mine.text).not.toContain('Của đồng nghiệp');
    expect(mine.text).toContain(`<option value="${h.appraiserId()}" selected>`);
    const all = await me.agent.get('/admin/appraisal?appraiser=all');
    expect(all.text).toContain('Của tôi');
    expect(all.text).toContain('Của đồng nghiệp');

    const officer = await h.as('officer');
    const everyone = await officer.agent.get('/admin/appraisal');
    expect(everyone.text).toContain('Của tôi');
    expect(everyone.text).toContain('Của đồng nghiệp');
    expect(everyone.text).toContain('href="/admin/appraisal/availability"');
    const colleague = await officer.agent.get(`/admin/appraisal?appraiser=${h.colleagueId()}`);
    expect(colleague.text).not.toContain('Của tôi');
    expect(colleague.text).toContain('Của đồng nghiệp');
    // The availability link is for officers only.
    expect(mine.text).not.toContain('href="/admin/appraisal/availability"');
  });
});
