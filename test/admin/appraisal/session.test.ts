/**
 * The session page and what an appraiser records on it, over HTTP on the real console stack and the
 * real database: details, CSRF, the checklist, outcomes (the licence on "passed", exactly once),
 * validation of needs-fixes and failed, and no-shows.
 */
import { describeEachDatabase } from '../../support/db';
import { appraisalHarness, i18n, post } from './support';

/** Monday 23/11/2026 09:00 in Vietnam: an hour before the harness's clock. */
const EARLIER_TODAY = new Date('2026-11-23T02:00:00Z');
const TOMORROW = new Date('2026-11-24T01:30:00Z');

describeEachDatabase('appraisal session', (getDb) => {
  const h = appraisalHarness(getDb);
  const q = <T>(text: string, params: unknown[] = []) => getDb().database.query<T>(text, params);
  const path = (id: string) => `/admin/appraisal/sessions/${id}`;

  it('shows the business, procedure, appraiser, the call and the checklist, in Vietnam time', async () => {
    const id = await h.insertSession({ startsAt: EARLIER_TODAY, channel: 'zalo', channelUserId: 'zalo-42' });
    const me = await h.as('appraiser');
    const res = await me.agent.get(path(id));
    expect(res.status).toBe(200);
    const page = res.text;
    expect(page).toContain('Cửa hàng Vật tư Nông nghiệp Hòa Bình');
    expect(page).toContain('Số 12, thôn Đông, xã Tân Lập');
    expect(page).toContain('<a href="tel:0912345678">0912345678</a>');
    expect(page).toContain('Cấp giấy chứng nhận đủ điều kiện buôn bán thuốc BVTV');
    expect(page).toContain('Hồ Thẩm Định');
    expect(page).toContain('Thứ Hai, 23/11/2026 · 09:00–09:45');
    expect(page).toContain(i18n.t('admin-appraisal.session.viaChat', { channel: 'Zalo' }));
    expect(page).toContain('href="https://meet.example.gov.vn/tham-dinh"');
    expect(page).toContain('Người bán có chứng chỉ &lt;BVTV&gt;');
    expect(page).toContain('name="ticked" value="pccc"');
    expect(page).toContain('0/3 mục');
    expect(page).toContain(`name="_csrf" value="${me.csrfToken}"`);
    expect(page).toContain('<script src="/admin/assets/appraisal/checklist.js" defer></script>');
    expect(page).toContain(`action="${path(id)}/outcome"`);
    expect((await me.agent.get('/admin/assets/appraisal/checklist.js')).status).toBe(200);
    expect((await me.agent.get(path('00000000-0000-4000-8000-000000000000'))).status).toBe(404);
    expect((await me.agent.get(path('not-an-id'))).status).toBe(404);
  });

  it('refuses posts without the session\'s CSRF token and changes nothing', async () => {
    const id = await h.insertSession({ startsAt: EARLIER_TODAY });
    const me = await h.as('appraiser');
    const none = await me.agent.post(`${path(id)}/checklist`).type('form').send('ticked=pccc');
    expect(none.status).toBe(403);
    const wrong = await me.agent.post(`${path(id)}/outcome`).type('form').send({ _csrf: 'x'.repeat(43), outcome: 'passed' });
    expect(wrong.status).toBe(403);
    const b = await h.booking(id);
    expect(b.checklistResults).toEqual({});
    expect(b.status).toBe('booked');
    expect(await q('select id from licences')).toHaveLength(0);
  });

  it('refuses viewers on the session page and its actions', async () => {
    const id = await h.insertSession({ startsAt: EARLIER_TODAY });
    const viewer = await h.as('viewer');
    expect((await viewer.agent.get(path(id))).status).toBe(403);
    expect((await post(viewer, `${path(id)}/outcome`, { outcome: 'passed' })).status).toBe(403);
    expect((await post(viewer, `${path(id)}/no-show`)).status).toBe(403);
    expect((await h.booking(id)).status).toBe('booked');
    const officer = await h.as('officer');
    expect((await officer.agent.get(path(id))).status).toBe(200);
  });

  it('saves the checklist from the form and from the script (whole state, only the type\'s items), audited', async () => {
    const id = await h.insertSession({ startsAt: EARLIER_TODAY });
    const me = await h.as('appraiser');
    const form = await post(me, `${path(id)}/checklist`, { ticked: ['kho_tach_biet', 'not-an-item'] });
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe(`${path(id)}?done=checklistSaved`);
    expect((await h.booking(id)).checklistResults).toEqual({ kho_tach_biet: true, pccc: false, chung_chi: false });

    const json = await me.agent
      .post(`${path(id)}/checklist`)
      .set('Accept', 'application/json')
      .set('X-CSRF-Token', me.csrfToken)
      .type('form')
      .send('ticked=kho_tach_biet&ticked=pccc');
    expect(json.status).toBe(200);
    expect(json.body).toEqual({ results: { kho_tach_biet: true, pccc: true, chung_chi: false }, done: 2, total: 3 });
    const page = await me.agent.get(`${path(id)}?done=checklistSaved`);
    expect(page.text).toContain('2/3 mục');
    expect(page.text).toContain(i18n.t('admin-appraisal.done.checklistSaved'));
    expect(page.text).toMatch(/value="pccc" checked/);

    const audits = await q<{ action: string; official_id: string; after: unknown }>("select action, official_id, after from audit_log where action = 'appraisal.checklist' order by id");
    expect(audits.map((a) => a.after)).toEqual([
      { kho_tach_biet: true, pccc: false, chung_chi: false },
      { kho_tach_biet: true, pccc: true, chung_chi: false },
    ]);
    expect(audits.every((a) => a.official_id === h.people().appraiser.id)).toBe(true);
  });

  it('records "passed" with a licence in the register and a link to the chat, exactly once however often it is posted', async () => {
    const id = await h.insertSession({ startsAt: EARLIER_TODAY, channel: 'zalo', channelUserId: 'zalo-42' });
    const me = await h.as('appraiser');
    await post(me, `${path(id)}/checklist`, { ticked: ['kho_tach_biet', 'pccc', 'chung_chi'] });
    const responses = await Promise.all([
      post(me, `${path(id)}/outcome`, { outcome: 'passed', notes: 'Đủ điều kiện.' }),
      post(me, `${path(id)}/outcome`, { outcome: 'passed', notes: 'Đủ điều kiện.' }),
    ]);
    expect(responses.map((r) => r.status)).toEqual([303, 303]);
    const again = await post(me, `${path(id)}/outcome`, { outcome: 'passed' });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`${path(id)}?done=passed`);

    const licences = await q<{ id: string; number: string; procedure_slug: string; holder_name: string; phone: string; issued_on: string; expires_on: string; source: string; booking_id: string }>(
      "select id, number, procedure_slug, holder_name, phone, to_char(issued_on, 'YYYY-MM-DD') as issued_on, to_char(expires_on, 'YYYY-MM-DD') as expires_on, source, booking_id from licences",
    );
    expect(licences).toEqual([
      {
        id: expect.any(String),
        number: '1/2026/GCN-BVTV',
        procedure_slug: 'buon-ban-thuoc-bvtv',
        holder_name: 'Cửa hàng Vật tư Nông nghiệp Hòa Bình',
        phone: '0912345678',
        issued_on: '2026-11-23',
        expires_on: '2031-11-22',
        source: 'appraisal',
        booking_id: id,
      },
    ]);
    const links = await q<{ licence_id: string; channel: string; channel_user_id: string; verified_by: string }>('select licence_id, channel, channel_user_id, verified_by from licence_links');
    expect(links).toEqual([{ licence_id: licences[0]!.id, channel: 'zalo', channel_user_id: 'zalo-42', verified_by: 'appraisal' }]);
    const b = await h.booking(id);
    expect(b).toMatchObject({ status: 'completed', outcome: 'passed', outcomeNotes: 'Đủ điều kiện.', licenceId: licences[0]!.id, outcomeBy: h.people().appraiser.id });
    expect(await q("select id from audit_log where action = 'appraisal.outcome'")).toHaveLength(1);

    const page = await me.agent.get(`${path(id)}?done=passed`);
    expect(page.text).toContain('<span class="licence-number" id="licence-number">1/2026/GCN-BVTV</span>');
    expect(page.text).toContain(i18n.t('admin-appraisal.recorded.licenceDates', { issued: '23/11/2026', expires: '22/11/2031' }));
    expect(page.text).not.toContain(`action="${path(id)}/outcome"`);
    expect(page.text).not.toContain(`action="${path(id)}/cancel"`);

    // The session is closed: ticks and another outcome are refused.
    expect((await post(me, `${path(id)}/checklist`, { ticked: [] })).status).toBe(409);
    const other = await post(me, `${path(id)}/outcome`, { outcome: 'failed', notes: 'Sai' });
    expect(other.status).toBe(409);
    expect(other.text).toContain(i18n.t('admin-appraisal.errors.alreadyRecorded'));

    // The next licence of the series takes the next number; a web chat booking gets no reminder link.
    const second = await h.insertSession({ startsAt: new Date('2026-11-23T01:00:00Z'), channel: 'webchat', channelUserId: 'web-1' });
    expect((await post(me, `${path(second)}/outcome`, { outcome: 'passed' })).status).toBe(303);
    expect((await q<{ number: string }>('select number from licences order by number')).map((r) => r.number)).toEqual(['1/2026/GCN-BVTV', '2/2026/GCN-BVTV']);
    expect(await q('select licence_id from licence_links')).toHaveLength(1);
  });

  it('requires a re-appraisal date (today or later) and what to fix for "needs fixes", and a reason for "failed"', async () => {
    const id = await h.insertSession({ startsAt: EARLIER_TODAY });
    const me = await h.as('appraiser');
    const noDate = await post(me, `${path(id)}/outcome`, { outcome: 'needs_fixes', notes: 'Thiếu bình chữa cháy <b>', reappraisalOn: '' });
    expect(noDate.status).toBe(400);
    expect(noDate.text).toContain(i18n.t('admin-appraisal.errors.reappraisalRequired'));
    expect(noDate.text).toContain('Thiếu bình chữa cháy &lt;b&gt;</textarea>');
    expect(noDate.text).toContain('value="needs_fixes" checked');
    const past = await post(me, `${path(id)}/outcome`, { outcome: 'needs_fixes', notes: 'Thiếu bình chữa cháy', reappraisalOn: '2026-11-22' });
    expect(past.status).toBe(400);
    expect(past.text).toContain(i18n.t('admin-appraisal.errors.reappraisalPast'));
    const noNotes = await post(me, `${path(id)}/outcome`, { outcome: 'needs_fixes', reappraisalOn: '2026-12-07' });
    expect(noNotes.status).toBe(400);
    expect(noNotes.text).toContain(i18n.t('admin-appraisal.errors.fixesRequired'));
    const nothing = await post(me, `${path(id)}/outcome`, {});
    expect(nothing.status).toBe(400);
    expect(nothing.text).toContain(i18n.t('admin-appraisal.errors.outcomeRequired'));
    const failedNoReason = await post(me, `${path(id)}/outcome`, { outcome: 'failed' });
    expect(failedNoReason.status).toBe(400);
    expect(failedNoReason.text).toContain(i18n.t('admin-appraisal.errors.reasonRequired'));
    expect((await h.booking(id)).status).toBe('booked');

    const ok = await post(me, `${path(id)}/outcome`, { outcome: 'needs_fixes', notes: 'Bổ sung bình chữa cháy.', reappraisalOn: '2026-12-07' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`${path(id)}?done=outcomeSaved`);
    expect(await h.booking(id)).toMatchObject({ status: 'completed', outcome: 'needs_fixes', reappraisalOn: '2026-12-07', licenceId: null });
    expect(await q('select id from licences')).toHaveLength(0);
    const page = await me.agent.get(path(id));
    expect(page.text).toContain('07/12/2026');
    expect(page.text).toContain('Bổ sung bình chữa cháy.');
  });

  it('records a no-show once the session has started, not before', async () => {
    const later = await h.insertSession({ startsAt: TOMORROW });
    const me = await h.as('appraiser');
    const early = await post(me, `${path(later)}/no-show`);
    expect(early.status).toBe(409);
    expect(early.text).toContain(i18n.t('admin-appraisal.errors.tooEarly'));
    expect((await h.booking(later)).status).toBe('booked');

    const id = await h.insertSession({ startsAt: EARLIER_TODAY });
    const res = await post(me, `${path(id)}/no-show`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${path(id)}?done=noShow`);
    expect(await h.booking(id)).toMatchObject({ status: 'no_show', outcomeBy: h.people().appraiser.id });
    expect((await post(me, `${path(id)}/no-show`)).status).toBe(303);
    expect(await q("select id from audit_log where action = 'appraisal.no_show'")).toHaveLength(1);
    const page = await me.agent.get(`${path(id)}?done=noShow`);
    expect(page.text).toContain(i18n.t('admin-appraisal.done.noShow'));
    expect(page.text).toContain(i18n.t('admin-appraisal.status.no_show'));
    expect((await post(me, `${path(id)}/outcome`, { outcome: 'passed' })).status).toBe(409);
  });
});
